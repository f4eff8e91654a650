package io.nginxha.agent.net;

import io.nginxha.agent.vrrp.AdvertCodec;
import io.nginxha.agent.vrrp.Advert;
import java.io.EOFException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapHandle.PcapDirection;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VRRP over IPv4 with libpcap (pcap4j): adverts are written as whole Ethernet frames, so the source MAC can be
 * the virtual router MAC and the TTL 255, and read with a BPF filter on the incoming direction only (our own
 * sends are not looped back). The multicast group 224.0.0.18 is joined through an ordinary socket so NICs and
 * IGMP-snooping switches deliver the adverts to us.
 */
public final class PcapTransport implements PacketTransport {
    private static final Logger log = LoggerFactory.getLogger(PcapTransport.class);
    /** 224.0.0.18, the VRRP group. */
    public static final InetAddress VRRP_GROUP = ipv4(224, 0, 0, 18);
    private static final int VRRP_PROTOCOL = 112;
    /**
     * libpcap wakes the capture thread this often even when nothing arrives; close() does not wait for it
     * (breakLoop wakes the thread at once), so it is long: every wake-up costs an idle daemon CPU time.
     */
    private static final int READ_TIMEOUT_MS = 2000;

    private final String iface;
    private final byte[] ifaceMac;
    private final InetAddress source;
    private final List<Inet4Address> peers;
    private final PcapHandle handle;
    private final DatagramChannel membership;
    private final PeerMacs peerMacs;
    /** The sender of gratuitous ARPs: the interface's MAC, or with use_vmac the macvlan's (the virtual MAC). */
    private byte[] garpMac;
    private volatile boolean running = true;
    private Thread receiver;

    private PcapTransport(String iface, byte[] ifaceMac, InetAddress source, List<Inet4Address> peers,
                          PcapHandle handle, DatagramChannel membership) {
        this.iface = iface;
        this.ifaceMac = ifaceMac;
        this.source = source;
        this.peers = peers;
        this.handle = handle;
        this.membership = membership;
        this.peerMacs = new PeerMacs(iface, Path.of("/proc/net/arp"), System::nanoTime, this::sendArpRequest);
        this.garpMac = ifaceMac;
    }

    /**
     * Opens VRRP for a use_vmac instance whose macvlan {@code vmac} on {@code base} is up. Adverts are sent and
     * heard on the macvlan, from the base's primary address (the macvlan has none of its own), without joining
     * 224.0.0.18 (the macvlan is allmulticast: see {@link NetlinkVmacManager}); with {@code xmitBase} they use
     * the base as {@link #open} does. Either way the gratuitous ARPs carry the macvlan's MAC, the virtual MAC
     * the kernel answers ARP for the VIPs with ({@code virtual}), so clients keep one neighbour entry across
     * failovers.
     */
    public static PcapTransport openVmac(String vmac, byte[] virtual, String base, boolean xmitBase,
                                         InetAddress unicastSource, List<InetAddress> unicastPeers)
            throws IOException {
        // The MAC is given, not looked up: Java lists only interfaces with an address, and the macvlan has none.
        if (xmitBase) {
            PcapTransport t = open(base, unicastSource, unicastPeers);
            t.garpMac = virtual.clone();
            return t;
        }
        if (!unicastPeers.isEmpty()) {
            throw new IOException("unicast peers need vmac_xmit_base (adverts on " + base + ")");
        }
        NetworkInterface bnic = NetworkInterface.getByName(base);
        if (bnic == null) {
            throw new IOException("no interface " + base);
        }
        InetAddress source = unicastSource != null ? unicastSource : primaryIpv4(bnic)
                .orElseThrow(() -> new IOException("interface " + base + " has no IPv4 address"));
        PcapHandle handle = openHandle(vmac, filter(List.of()));
        log.debug("{}: VRRP transport open on the macvlan of {}, source {} mac {}", vmac, base,
                source.getHostAddress(), Macs.format(virtual));
        return new PcapTransport(vmac, virtual.clone(), source, List.of(), handle, null);
    }

    /**
     * Opens {@code iface} for VRRP.
     *
     * @param unicastSource source address for adverts, or null for the interface's primary IPv4 address
     * @param unicastPeers  peers to send to and accept adverts from; empty for multicast
     */
    public static PcapTransport open(String iface, InetAddress unicastSource, List<InetAddress> unicastPeers)
            throws IOException {
        NetworkInterface nic = NetworkInterface.getByName(iface);
        if (nic == null) {
            throw new IOException("no interface " + iface);
        }
        byte[] mac = nic.getHardwareAddress();
        if (mac == null || mac.length != 6) {
            throw new IOException("interface " + iface + " has no Ethernet address");
        }
        InetAddress source = unicastSource != null ? unicastSource : primaryIpv4(nic)
                .orElseThrow(() -> new IOException("interface " + iface + " has no IPv4 address"));
        List<Inet4Address> peers = new ArrayList<>();
        for (InetAddress peer : unicastPeers) {
            if (!(peer instanceof Inet4Address v4)) {
                throw new IOException("IPv6 unicast peers are not supported yet: " + peer.getHostAddress());
            }
            peers.add(v4);
        }
        PcapHandle handle = openHandle(iface, filter(peers));
        DatagramChannel membership = null;
        try {
            if (peers.isEmpty()) {
                membership = DatagramChannel.open(StandardProtocolFamily.INET)
                        .bind(new InetSocketAddress(0));
                membership.join(VRRP_GROUP, nic);
            }
        } catch (IOException e) {
            handle.close();
            throw new IOException("cannot join 224.0.0.18 on " + iface + ": " + e.getMessage(), e);
        }
        PcapTransport transport = new PcapTransport(iface, mac, source, List.copyOf(peers), handle, membership);
        log.debug("{}: VRRP transport open, source {} mac {}, filter '{}'", iface, source.getHostAddress(),
                Macs.format(mac), handle.getFilteringExpression());
        return transport;
    }

    /** The BPF filter: VRRP only, and with unicast peers only theirs plus the ARP replies that locate them. */
    static String filter(List<Inet4Address> peers) {
        if (peers.isEmpty()) {
            return "ip proto " + VRRP_PROTOCOL;
        }
        String hosts = peers.stream().map(p -> "src host " + p.getHostAddress())
                .collect(Collectors.joining(" or "));
        return "(ip proto " + VRRP_PROTOCOL + " and (" + hosts + ")) or arp";
    }

    private static PcapHandle openHandle(String iface, String filter) throws IOException {
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

    private static Optional<InetAddress> primaryIpv4(NetworkInterface nic) {
        // The kernel lists the primary address before secondaries and our VIPs; Java keeps that order.
        return nic.getInterfaceAddresses().stream().map(InterfaceAddress::getAddress)
                .filter(a -> a instanceof Inet4Address).findFirst();
    }

    @Override
    public String interfaceName() {
        return iface;
    }

    @Override
    public InetAddress sourceAddress() {
        return source;
    }

    @Override
    public void send(Advert advert, InetAddress destination) throws IOException {
        byte[] payload = AdvertCodec.encode(advert, source, destination);
        byte[] srcMac;
        byte[] dstMac;
        if (destination.isMulticastAddress()) {
            srcMac = Frames.virtualMac(advert.vrid(), false);
            dstMac = Frames.multicastMac(destination);
        } else if (destination instanceof Inet4Address peer) {
            // Unicast adverts go out with our real MAC, as keepalived's do, so switches do not move the VMAC.
            srcMac = ifaceMac;
            dstMac = peerMacs.lookup(peer);
        } else {
            throw new IOException("IPv6 destinations are not supported yet: " + destination.getHostAddress());
        }
        sendFrame(Frames.vrrp(srcMac, dstMac, source, destination, payload));
    }

    @Override
    public void sendGarp(List<Inet4Address> addresses) throws IOException {
        for (Inet4Address vip : addresses) {
            sendFrame(Frames.gratuitousArp(garpMac, vip));
        }
    }

    @Override
    public void start(Listener listener) {
        if (receiver != null) {
            throw new IllegalStateException("already started");
        }
        receiver = new Thread(() -> receiveLoop(listener), "pcap-" + iface);
        receiver.setDaemon(true);
        receiver.start();
        if (!peers.isEmpty()) {
            try {
                if (!peerMacs.resolve(peers, 1000)) {
                    log.warn("{}: no ARP reply yet from every unicast peer {}; sending to broadcast until then",
                            iface, peers);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void receiveLoop(Listener listener) {
        while (running) {
            byte[] frame;
            try {
                frame = handle.getNextRawPacketEx();
            } catch (TimeoutException e) {
                continue;
            } catch (EOFException | NotOpenException e) {
                break;
            } catch (PcapNativeException e) {
                if (running) {
                    log.warn("{}: capture error: {}", iface, e.getMessage());
                    pause();
                }
                continue;
            }
            try {
                handleFrame(frame, listener);
            } catch (RuntimeException e) {
                log.warn("{}: dropped a frame that could not be handled: {}", iface, e.toString());
            }
        }
    }

    private void handleFrame(byte[] frame, Listener listener) {
        Optional<Frames.IpPacket> ip = Frames.parseIp(frame);
        if (ip.isPresent()) {
            Frames.IpPacket p = ip.get();
            if (p.protocol() == VRRP_PROTOCOL) {
                listener.received(new ReceivedPacket(iface, p.src(), p.dst(), p.ttl(), p.payload()));
            }
            return;
        }
        if (!peers.isEmpty()) {
            Frames.parseArp(frame).filter(arp -> peers.contains(arp.senderIp()))
                    .ifPresent(arp -> peerMacs.learn(arp.senderIp(), arp.senderMac()));
        }
    }

    private void sendArpRequest(Inet4Address target) {
        if (!(source instanceof Inet4Address sender)) {
            return;
        }
        try {
            sendFrame(Frames.arpRequest(ifaceMac, sender, target));
        } catch (IOException e) {
            log.warn("{}: ARP request for {} failed: {}", iface, target.getHostAddress(), e.getMessage());
        }
    }

    private void sendFrame(byte[] frame) throws IOException {
        try {
            handle.sendPacket(frame);
        } catch (PcapNativeException | NotOpenException e) {
            throw new IOException(iface + ": send failed: " + e.getMessage(), e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
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

    private static InetAddress ipv4(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
