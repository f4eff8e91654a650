package io.nginxha.agent.net;

import io.nginxha.agent.net.NetlinkSocket.NetlinkException;
import io.nginxha.agent.os.Liveness;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Addresses removed from any interface, told by the kernel's RTMGRP_IPV4_IFADDR / RTMGRP_IPV6_IFADDR events, as
 * keepalived's netlink reflector hears them (netlink_if_address_filter): one daemon thread blocked on a netlink
 * socket, no polling. The edge of keepalived's VIP tracking: what a removal means is the core's decision
 * ({@code Event.VipRemoved}), including the agent's own removals, which reach it when it is no longer master.
 */
public final class AddressMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AddressMonitor.class);
    private static final int RTMGRP_IPV4_IFADDR = 0x10;
    private static final int RTMGRP_IPV6_IFADDR = 0x100;
    private static final int ENODEV = 19;
    private static final int ENOBUFS = 105;

    /** Told of each removal on the monitor's thread; must return quickly. */
    @FunctionalInterface
    public interface Listener {
        void addressRemoved(String iface, InetAddress address, int prefix);
    }

    private final NetlinkSocket events;
    private final NetlinkSocket lookups;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    /** Dies with the thread: the agent then counts as stalled (VIP tracking is part of its job). */
    private final Liveness.Heartbeat heartbeat;

    private AddressMonitor(NetlinkSocket events, NetlinkSocket lookups, Liveness liveness) {
        this.events = events;
        this.lookups = lookups;
        this.heartbeat = liveness.registerBlocking("netlink address monitor", 10_000);
        thread = new Thread(this::run, "netlink-addresses");
        thread.setDaemon(true);
        thread.start();
    }

    /** Opens the sockets and starts the thread, watched by {@code liveness}. */
    public static AddressMonitor open(Liveness liveness) throws IOException {
        NetlinkSocket events = NetlinkSocket.open(RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR);
        try {
            return new AddressMonitor(events, NetlinkSocket.open(), liveness);
        } catch (IOException | RuntimeException e) {
            events.close();
            throw e;
        }
    }

    public void listen(Listener listener) {
        listeners.add(listener);
    }

    /** Whether the thread still runs: the agent's liveness counts it. */
    public boolean running() {
        return thread.isAlive();
    }

    private void run() {
        heartbeat.beat(); // binds the heartbeat to this thread
        try {
            while (events.awaitEvents()) {
                List<NetlinkMessages.Message> messages;
                try {
                    messages = events.receive("receiving address events");
                } catch (NetlinkException e) {
                    if (e.errno() != ENOBUFS) {
                        throw e;
                    }
                    log.warn("address events overflowed the socket buffer; some removals may not be seen");
                    continue;
                } catch (IllegalArgumentException e) {
                    log.warn("unreadable netlink datagram skipped: {}", e.getMessage());
                    continue;
                }
                for (NetlinkMessages.Message m : messages) {
                    if (m.type() == NetlinkMessages.RTM_DELADDR) {
                        removed(m);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            log.error("address monitoring stopped, VIPs removed by others are no longer seen: {}", e.toString());
        } finally {
            events.close();
            lookups.close();
        }
    }

    private void removed(NetlinkMessages.Message m) {
        NetlinkMessages.Address a;
        try {
            a = NetlinkMessages.address(m);
        } catch (IllegalArgumentException e) {
            log.warn("unreadable address message skipped: {}", e.getMessage());
            return;
        }
        if (a.address() == null) {
            return;
        }
        String iface = name(a.index());
        if (iface == null) {
            return; // the interface went with it: link tracking sees that
        }
        for (Listener l : listeners) {
            try {
                l.addressRemoved(iface, a.address(), a.prefix());
            } catch (RuntimeException e) {
                log.error("address listener failed on {}", iface, e);
            }
        }
    }

    /** The interface's name by index, or null when it is gone. */
    private String name(int index) {
        try {
            List<NetlinkMessages.Message> reply = lookups.request(NetlinkMessages.linkByIndex(
                    lookups.nextSequence(), index), "looking up link " + index);
            return reply.isEmpty() ? null : NetlinkMessages.link(reply.get(0)).name();
        } catch (NetlinkException e) {
            if (e.errno() != ENODEV) {
                log.warn("looking up link {}: {}", index, e.getMessage());
            }
            return null;
        } catch (IOException e) {
            log.warn("looking up link {}: {}", index, e.getMessage());
            return null;
        }
    }

    /** Stops the thread, which closes the sockets. */
    @Override
    public void close() {
        heartbeat.ended();
        events.wakeUp();
    }
}
