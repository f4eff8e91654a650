package io.nginxha.agent.net;

import io.nginxha.agent.config.WireId.Family;
import io.nginxha.agent.os.Liveness;
import io.nginxha.agent.vrrp.Advert;
import io.nginxha.agent.vrrp.AdvertCodec;
import java.io.EOFException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapHandle.PcapDirection;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VRRP over IPv4 or IPv6 with libpcap (pcap4j): adverts are written as whole Ethernet frames, so the source MAC can
 * be the virtual router MAC (00:00:5e:00:01:VRID, or 00:00:5e:00:02:VRID for IPv6) and the TTL / hop limit 255, and
 * read with a BPF filter on the incoming direction only (our own sends are not looped back). One transport carries
 * one family: IPv4 and IPv6 VRRP are separate protocols with VRIDs of their own. The group (224.0.0.18 or
 * ff02::12) is joined through an ordinary socket so NICs and IGMP/MLD-snooping switches deliver the adverts to us.
 */
public final class PcapTransport implements PacketTransport {
    private static final Logger log = LoggerFactory.getLogger(PcapTransport.class);
    /** 224.0.0.18, the IPv4 VRRP group. */
    public static final InetAddress VRRP_GROUP = TransportAddressing.GROUP4;
    /** ff02::12, the IPv6 VRRP group. */
    public static final InetAddress VRRP_GROUP6 = TransportAddressing.GROUP6;
    private static final int VRRP_PROTOCOL = TransportAddressing.VRRP_PROTOCOL;
    /**
     * libpcap wakes the capture thread this often even when nothing arrives; close() does not wait for it
     * (breakLoop wakes the thread at once), so it is long: every wake-up costs an idle daemon CPU time.
     */
    private static final int READ_TIMEOUT_MS = 2000;

    private final String iface;
    private final Family family;
    /** The interface's MAC; read again when the interface is made anew (a new veth, VLAN or bond has a new one). */
    private volatile byte[] ifaceMac;
    private final InetAddress source;
    private final List<InetAddress> peers;
    /** Replaced when the capture fails and the interface is opened again (deleted and made again, VLAN, bond). */
    private volatile PcapHandle handle;
    private volatile DatagramChannel membership;
    /** The multicast group joined (and captured) for multicast adverts. */
    private InetAddress group;
    private final String filter;
    /** Told whether the capture does its job; a no-op until {@link #watchedBy} is called. */
    private volatile Liveness.Heartbeat heartbeat;
    private final PeerMacs<Inet4Address> peerMacs4;
    private final PeerMacs<Inet6Address> peerMacs6;
    /** The sender of gratuitous ARPs: the interface's MAC, or with use_vmac the macvlan's (the virtual MAC). */
    private volatile byte[] garpMac;
    private volatile boolean running = true;
    private Thread receiver;

    private PcapTransport(String iface, Family family, byte[] ifaceMac, InetAddress source, List<InetAddress> peers,
                          PcapHandle handle, DatagramChannel membership) {
        this.iface = iface;
        this.family = family;
        this.ifaceMac = ifaceMac;
        this.source = source;
        this.peers = peers;
        this.handle = handle;
        this.membership = membership;
        this.filter = handle.getFilteringExpression();
        this.peerMacs4 = PeerMacs.ipv4(iface, Path.of("/proc/net/arp"), System::nanoTime, this::sendArpRequest);
        this.peerMacs6 = PeerMacs.ipv6(iface, System::nanoTime, this::sendNeighborSolicitation);
        this.garpMac = ifaceMac;
        this.group = TransportAddressing.group(family);
    }

    /**
     * Opens VRRP for a use_vmac instance whose macvlan {@code vmac} on {@code base} is up. Adverts are sent and
     * heard on the macvlan, from the base's primary address (the macvlan has none of its own), without joining
     * 224.0.0.18 (the macvlan is allmulticast: see {@link NetlinkVmacManager}); with {@code xmitBase} they use
     * the base as {@link #open} does. Either way the gratuitous ARPs carry the macvlan's MAC, the virtual MAC
     * the kernel answers ARP for the VIPs with ({@code virtual}), so clients keep one neighbour entry across
     * failovers. For IPv6 the adverts come from the macvlan's own link-local address (the one
     * {@link NetlinkVmacManager#createIpv6} gave it, keepalived's choice) and the Neighbor Advertisements from the
     * virtual MAC 00:00:5e:00:02:VRID.
     */
    public static PcapTransport openVmac(String vmac, byte[] virtual, String base, boolean xmitBase, Family family,
                                         InetAddress unicastSource, List<InetAddress> unicastPeers)
            throws IOException {
        // The MAC is given, not looked up: Java lists only interfaces with an address, and the macvlan has none.
        if (xmitBase) {
            PcapTransport t = open(base, family, unicastSource, unicastPeers);
            t.garpMac = virtual.clone();
            return t;
        }
        if (!unicastPeers.isEmpty()) {
            throw new IOException("unicast peers need vmac_xmit_base (adverts on " + base + ")");
        }
        // IPv4: the base's primary address (the macvlan has none); IPv6: the macvlan's link-local address
        String from = family == Family.IPV6 ? vmac : base;
        NetworkInterface nic = NetworkInterface.getByName(from);
        if (nic == null) {
            throw new IOException("no interface " + from + (from.equals(vmac) ? " with an IPv6 link-local address"
                    : ""));
        }
        InetAddress source = unicastSource instanceof Inet6Address v6 ? Ipv6Frames.raw(v6.getAddress())
                : unicastSource != null ? unicastSource : TransportAddressing.defaultSource(nic, family)
                .orElseThrow(() -> new IOException(TransportAddressing.noSource(from, family)));
        PcapHandle handle = openHandle(vmac, TransportAddressing.filter(family, List.of()));
        log.debug("{}: VRRP transport open on the macvlan of {}, source {} mac {}", vmac, base,
                source.getHostAddress(), Macs.format(virtual));
        return new PcapTransport(vmac, family, virtual.clone(), source, List.of(), handle, null);
    }

    /**
     * Opens {@code iface} for VRRP of {@code family}.
     *
     * @param unicastSource source address for adverts, or null for the interface's primary IPv4 address (IPv4) or
     *                      its link-local address (IPv6)
     * @param unicastPeers  peers to send to and accept adverts from; empty for multicast
     */
    public static PcapTransport open(String iface, Family family, InetAddress unicastSource,
                                     List<InetAddress> unicastPeers) throws IOException {
        return open(iface, family, unicastSource, unicastPeers, null);
    }

    /**
     * As {@link #open(String, Family, InetAddress, List)}, for multicast adverts to {@code group} (null: the family's
     * VRRP group): that group is joined, and the capture takes only adverts to it (another group is another VRRP
     * domain; keepalived, which does not join it, never hears it), besides unicast ones to us.
     */
    public static PcapTransport open(String iface, Family family, InetAddress unicastSource,
                                     List<InetAddress> unicastPeers, InetAddress group) throws IOException {
        InetAddress joined = group == null ? TransportAddressing.group(family)
                : group instanceof Inet6Address v6 ? Ipv6Frames.raw(v6.getAddress()) : group;
        if (!sameFamily(joined, family) || !joined.isMulticastAddress()) {
            throw new IOException("multicast group " + joined.getHostAddress() + " is not " + family + " multicast");
        }
        NetworkInterface nic = NetworkInterface.getByName(iface);
        if (nic == null) {
            throw new IOException("no interface " + iface);
        }
        byte[] mac = nic.getHardwareAddress();
        if (mac == null || mac.length != 6) {
            throw new IOException("interface " + iface + " has no Ethernet address");
        }
        InetAddress source = unicastSource != null ? unicastSource : TransportAddressing.defaultSource(nic, family)
                .orElseThrow(() -> new IOException(TransportAddressing.noSource(iface, family)));
        if (unicastSource instanceof Inet6Address v6) {
            source = Ipv6Frames.raw(v6.getAddress());
        }
        if (!sameFamily(source, family)) {
            throw new IOException("source " + source.getHostAddress() + " is not " + family);
        }
        List<InetAddress> peers = new ArrayList<>();
        for (InetAddress peer : unicastPeers) {
            if (!sameFamily(peer, family)) {
                throw new IOException("unicast peer " + peer.getHostAddress() + " is not " + family);
            }
            peers.add(peer instanceof Inet6Address v6 ? Ipv6Frames.raw(v6.getAddress()) : peer);
        }
        PcapHandle handle = openHandle(iface, TransportAddressing.filter(family, peers, group == null ? null : joined));
        DatagramChannel membership = null;
        try {
            if (peers.isEmpty()) {
                membership = TransportAddressing.join(nic, family, joined);
            }
        } catch (IOException | RuntimeException e) {
            handle.close();
            throw new IOException("cannot join " + joined.getHostAddress() + " on "
                    + iface + ": " + e.getMessage(), e);
        }
        PcapTransport transport = new PcapTransport(iface, family, mac, source, List.copyOf(peers), handle,
                membership);
        transport.group = joined;
        log.debug("{}: {} VRRP transport open, source {} mac {}, filter '{}'", iface, family,
                source.getHostAddress(), Macs.format(mac), handle.getFilteringExpression());
        return transport;
    }

    private static boolean sameFamily(InetAddress address, Family family) {
        return (address instanceof Inet6Address) == (family == Family.IPV6);
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
            srcMac = Frames.virtualMac(advert.vrid(), family == Family.IPV6);
            dstMac = Frames.multicastMac(destination);
        } else {
            // Unicast adverts go out with our real MAC, as keepalived's do, so switches do not move the VMAC.
            srcMac = ifaceMac;
            dstMac = destination instanceof Inet6Address v6 ? peerMacs6.lookup(Ipv6Frames.raw(v6.getAddress()))
                    : peerMacs4.lookup((Inet4Address) destination);
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
    public void sendNeighborAdverts(List<Inet6Address> addresses) throws IOException {
        boolean router = TransportAddressing.forwardsIpv6(iface);
        for (Inet6Address vip : addresses) {
            sendFrame(Ipv6Frames.neighborAdvert(garpMac, vip, router));
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
                boolean all = family == Family.IPV6 ? peerMacs6.resolve(ipv6(peers), 1000)
                        : peerMacs4.resolve(ipv4(peers), 1000);
                if (!all) {
                    log.warn("{}: no {} reply yet from every unicast peer {}; sending to broadcast until then",
                            iface, family == Family.IPV6 ? "Neighbor Advertisement" : "ARP", peers);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Makes the capture thread part of the agent's liveness: the watchdog stops being fed when the thread dies
     * (an Error is not caught here, on purpose) or its capture keeps failing for {@link #MAX_TROUBLE_MS} despite
     * reopening. Silence itself is fine: on a quiet segment libpcap blocks for as long as nothing arrives.
     */
    public void watchedBy(Liveness liveness) {
        heartbeat = liveness.registerBlocking("capture on " + iface + " (" + family + ")", MAX_TROUBLE_MS);
    }

    /** How long a capture may keep failing, reopened every second, before the agent counts as deaf. */
    static final long MAX_TROUBLE_MS = 6000;
    /** Consecutive errors after which the interface is opened again. */
    private static final int REOPEN_AFTER_ERRORS = 3;

    private void receiveLoop(Listener listener) {
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
                if (errors >= REOPEN_AFTER_ERRORS && reopen()) {
                    errors = fine(errors); // open again: a quiet segment now blocks, it does not error
                }
                continue;
            }
            errors = fine(errors);
            try {
                handleFrame(frame, listener);
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
     * An interface made anew has a new MAC: gratuitous ARPs that still named the old one would send every client to
     * a MAC that no longer exists (seen in LabFaultsIT: the master preempted on the new interface and was
     * unreachable). A use_vmac transport keeps its virtual MAC.
     */
    private void refreshMac(NetworkInterface nic) throws java.net.SocketException {
        byte[] now = nic == null ? null : nic.getHardwareAddress();
        if (now == null || now.length != 6 || java.util.Arrays.equals(now, ifaceMac)) {
            return;
        }
        log.info("{}: the interface has a new MAC {} (was {})", iface, Macs.format(now), Macs.format(ifaceMac));
        if (garpMac == ifaceMac) {
            garpMac = now;
        }
        ifaceMac = now;
    }

    /**
     * Opens the capture (and the multicast membership, which belongs to the old interface index) again, for an
     * interface that was deleted and made again; the old handle is closed. A failure leaves the old one, to be
     * tried again at the next error.
     */
    private boolean reopen() {
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
            refreshMac(nic);
            log.info("{}: capture opened again", iface);
            return true;
        } catch (IOException | RuntimeException e) {
            log.debug("{}: reopening the capture failed: {}", iface, e.toString());
            return false;
        }
    }

    private void handleFrame(byte[] frame, Listener listener) {
        Optional<Frames.IpPacket> ip = Frames.parseIp(frame);
        if (ip.isPresent()) {
            Frames.IpPacket p = ip.get();
            if (p.protocol() == VRRP_PROTOCOL) {
                listener.received(new ReceivedPacket(iface, p.src(), p.dst(), p.ttl(), p.payload()));
            } else if (!peers.isEmpty() && p.protocol() == Ipv6Frames.ICMPV6) {
                learnNeighbor(p);
            }
            return;
        }
        if (!peers.isEmpty()) {
            Frames.parseArp(frame).filter(arp -> peers.contains(arp.senderIp()))
                    .ifPresent(arp -> peerMacs4.learn(arp.senderIp(), arp.senderMac()));
        }
    }

    private void learnNeighbor(Frames.IpPacket p) {
        Ipv6Frames.parseNeighborAdvert(p).filter(na -> peers.contains(na.address()))
                .ifPresent(na -> peerMacs6.learn(na.address(), na.mac()));
    }

    private void sendNeighborSolicitation(Inet6Address target) {
        try {
            sendFrame(Ipv6Frames.neighborSolicitation(ifaceMac, (Inet6Address) source, target));
        } catch (IOException | RuntimeException e) {
            log.warn("{}: Neighbor Solicitation for {} failed: {}", iface, target.getHostAddress(), e.getMessage());
        }
    }

    private static List<Inet4Address> ipv4(List<InetAddress> addresses) {
        List<Inet4Address> out = new ArrayList<>();
        addresses.forEach(a -> out.add((Inet4Address) a));
        return out;
    }

    private static List<Inet6Address> ipv6(List<InetAddress> addresses) {
        List<Inet6Address> out = new ArrayList<>();
        addresses.forEach(a -> out.add((Inet6Address) a));
        return out;
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

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
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
