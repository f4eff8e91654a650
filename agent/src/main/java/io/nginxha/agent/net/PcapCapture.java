package io.nginxha.agent.net;

import io.nginxha.agent.config.WireId.Family;
import io.nginxha.agent.os.Liveness;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapHandle.PcapDirection;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one interface's libpcap capture alive for {@link PcapTransport}: the handle (and the multicast membership,
 * which belongs to the interface index), the thread that reads it, and the supervision of that thread. A capture
 * that keeps failing is opened again, as for an interface deleted and made again (VLAN, bond, veth), and the
 * thread reports to the agent's liveness. What the frames mean is the transport's business.
 */
final class PcapCapture {
    /** Under the transport's name, as before this class was split out of it: operators' log filters keep working. */
    private static final Logger log = LoggerFactory.getLogger(PcapTransport.class);
    /**
     * libpcap wakes the capture thread this often even when nothing arrives; close() does not wait for it
     * (breakLoop wakes the thread at once), so it is long: every wake-up costs an idle daemon CPU time.
     */
    private static final int READ_TIMEOUT_MS = 2000;
    /** How long a capture may keep failing, reopened every second, before the agent counts as deaf. */
    static final long MAX_TROUBLE_MS = 6000;
    /** Consecutive errors after which the interface is opened again. */
    private static final int REOPEN_AFTER_ERRORS = 3;

    /** Told after the capture was opened again, with the interface as it is now (null when it is gone). */
    @FunctionalInterface
    interface Reopened {
        void on(NetworkInterface nic) throws IOException;
    }

    private final String iface;
    private final Family family;
    private final String filter;
    /** The multicast group joined again on reopening; unused without a membership. */
    private final InetAddress group;
    /** Replaced when the capture fails and the interface is opened again (deleted and made again, VLAN, bond). */
    private volatile PcapHandle handle;
    private volatile DatagramChannel membership;
    /** Told whether the capture does its job; a no-op until {@link #watchedBy} is called. */
    private volatile Liveness.Heartbeat heartbeat;
    private volatile boolean running = true;
    private Thread receiver;

    /** @param membership the joined multicast group's socket, null for none (unicast, or a use_vmac macvlan) */
    PcapCapture(String iface, Family family, PcapHandle handle, DatagramChannel membership, InetAddress group) {
        this.iface = iface;
        this.family = family;
        this.handle = handle;
        this.membership = membership;
        this.group = group;
        this.filter = handle.getFilteringExpression();
    }

    /** Opens {@code iface} for incoming frames that match {@code filter}. */
    static PcapHandle openHandle(String iface, String filter) throws IOException {
        try {
            PcapHandle handle = new PcapHandle.Builder(iface)
                    .snaplen(1600)
                    .promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(READ_TIMEOUT_MS)
                    .immediateMode(true)
                    .direction(PcapDirection.IN)
                    .build();
            try {
                handle.setFilter(filter, BpfCompileMode.OPTIMIZE);
            } catch (PcapNativeException | NotOpenException e) {
                handle.close();
                throw e;
            }
            return handle;
        } catch (PcapNativeException | NotOpenException e) {
            throw new IOException("cannot capture on " + iface + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes the capture thread part of the agent's liveness: the watchdog stops being fed when the thread dies
     * (an Error is not caught here, on purpose) or its capture keeps failing for {@link #MAX_TROUBLE_MS} despite
     * reopening. Silence itself is fine: on a quiet segment libpcap blocks for as long as nothing arrives.
     */
    void watchedBy(Liveness liveness) {
        heartbeat = liveness.registerBlocking("capture on " + iface + " (" + family + ")", MAX_TROUBLE_MS);
    }

    /**
     * Starts the capture thread: each frame goes to {@code frames} (one that throws is dropped with a warning);
     * {@code reopened} hears of every reopening.
     */
    void start(Consumer<byte[]> frames, Reopened reopened) {
        if (receiver != null) {
            throw new IllegalStateException("already started");
        }
        receiver = new Thread(() -> receiveLoop(frames, reopened), "pcap-" + iface);
        receiver.setDaemon(true);
        receiver.start();
    }

    private void receiveLoop(Consumer<byte[]> frames, Reopened reopened) {
        int errors = 0;
        Liveness.Heartbeat beat = heartbeat;
        if (beat != null) {
            beat.beat(); // binds the heartbeat to this thread, so its death is seen
        }
        while (running) {
            byte[] frame;
            try {
                frame = handle.getNextRawPacketEx();
            } catch (TimeoutException e) {
                errors = fine(errors);
                continue;
            } catch (EOFException | NotOpenException | PcapNativeException e) {
                if (!running) {
                    break;
                }
                errors++;
                if (heartbeat != null) {
                    heartbeat.trouble(e.toString());
                }
                if (errors == 1) {
                    log.warn("{}: capture error: {}; reopening after {} in a row", iface, e.getMessage(),
                            REOPEN_AFTER_ERRORS);
                }
                pause(errors >= REOPEN_AFTER_ERRORS ? 1000 : 100);
                if (errors >= REOPEN_AFTER_ERRORS && reopen(reopened)) {
                    errors = fine(errors); // open again: a quiet segment now blocks, it does not error
                }
                continue;
            }
            errors = fine(errors);
            try {
                frames.accept(frame);
            } catch (RuntimeException e) {
                log.warn("{}: dropped a frame that could not be handled: {}", iface, e.toString());
            }
        }
    }

    private int fine(int errors) {
        if (errors > 0) {
            log.info("{}: capture works after {} error(s)", iface, errors);
            if (heartbeat != null) {
                heartbeat.fine();
            }
        }
        return 0;
    }

    /**
     * Opens the capture (and the multicast membership, which belongs to the old interface index) again, for an
     * interface that was deleted and made again; the old handle is closed. A failure leaves the old one, to be
     * tried again at the next error.
     */
    private boolean reopen(Reopened reopened) {
        try {
            PcapHandle fresh = openHandle(iface, filter);
            PcapHandle old = handle;
            handle = fresh;
            old.close();
            NetworkInterface nic = NetworkInterface.getByName(iface);
            DatagramChannel oldMembership = membership;
            if (oldMembership != null && nic != null) {
                membership = TransportAddressing.join(nic, family, group);
                oldMembership.close();
            }
            reopened.on(nic);
            log.info("{}: capture opened again", iface);
            return true;
        } catch (IOException | RuntimeException e) {
            log.debug("{}: reopening the capture failed: {}", iface, e.toString());
            return false;
        }
    }

    /** Writes one whole Ethernet frame on the interface. */
    void send(byte[] frame) throws IOException {
        try {
            handle.sendPacket(frame);
        } catch (PcapNativeException | NotOpenException e) {
            throw new IOException(iface + ": send failed: " + e.getMessage(), e);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the thread (waking it from libpcap), then closes the handle and the membership. */
    void close() {
        running = false;
        if (heartbeat != null) {
            heartbeat.ended();
        }
        if (receiver != null) {
            // In immediate mode libpcap 1.10 blocks in poll() without honouring the read timeout; breakloop
            // wakes it (through an eventfd) so the handle is free to close.
            try {
                handle.breakLoop();
            } catch (NotOpenException e) {
                // closed already
            }
            try {
                receiver.join(2L * READ_TIMEOUT_MS + 100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        handle.close();
        if (membership != null) {
            try {
                membership.close();
            } catch (IOException e) {
                log.debug("{}: closing the multicast membership: {}", iface, e.getMessage());
            }
        }
    }
}
