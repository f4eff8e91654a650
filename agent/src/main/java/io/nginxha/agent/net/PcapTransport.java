package io.nginxha.agent.net;

import io.nginxha.agent.config.WireId.Family;
import io.nginxha.agent.os.Liveness;
import io.nginxha.agent.vrrp.Advert;
import io.nginxha.agent.vrrp.AdvertCodec;
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
import org.pcap4j.core.PcapHandle;
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

    private final String iface;
    private final Family family;
    /** The interface's MAC; read again when the interface is made anew (a new veth, VLAN or bond has a new one). */
    private volatile byte[] ifaceMac;
    private final InetAddress source;
    private final List<InetAddress> peers;
    /** The libpcap handle and multicast membership, kept open by its own thread. */
    private final PcapCapture capture;
    private final PeerMacs<Inet4Address> peerMacs4;
    private final PeerMacs<Inet6Address> peerMacs6;
    /** The sender of gratuitous ARPs: the interface's MAC, or with use_vmac the macvlan's (the virtual MAC). */
    private volatile byte[] garpMac;

    private PcapTransport(String iface, Family family, byte[] ifaceMac, InetAddress source, List<InetAddress> peers,
                          PcapHandle handle, DatagramChannel membership, InetAddress group) {
        this.iface = iface;
        this.family = family;
        this.ifaceMac = ifaceMac;
        this.source = source;
        this.peers = peers;
        this.capture = new PcapCapture(iface, family, handle, membership, group);
        this.peerMacs4 = PeerMacs.ipv4(iface, Path.of("/proc/net/arp"), System::nanoTime, this::sendArpRequest);
        this.peerMacs6 = PeerMacs.ipv6(iface, System::nanoTime, this::sendNeighborSolicitation);
        this.garpMac = ifaceMac;
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
        PcapHandle handle = PcapCapture.openHandle(vmac, TransportAddressing.filter(family, List.of()));
        log.debug("{}: VRRP transport open on the macvlan of {}, source {} mac {}", vmac, base,
                source.getHostAddress(), Macs.format(virtual));
        return new PcapTransport(vmac, family, virtual.clone(), source, List.of(), handle, null,
                TransportAddressing.group(family));
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
        PcapHandle handle = PcapCapture.openHandle(iface,
                TransportAddressing.filter(family, peers, group == null ? null : joined));
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
                membership, joined);
        log.debug("{}: {} VRRP transport open, source {} mac {}, filter '{}'", iface, family,
                source.getHostAddress(), Macs.format(mac), handle.getFilteringExpression());
        return transport;
    }

    private static boolean sameFamily(InetAddress address, Family family) {
        return (address instanceof Inet6Address) == (family == Family.IPV6);
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
        capture.start(frame -> handleFrame(frame, listener), this::refreshMac);
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
     * or its capture keeps failing for {@link #MAX_TROUBLE_MS} despite reopening (see {@link PcapCapture}).
     */
    public void watchedBy(Liveness liveness) {
        capture.watchedBy(liveness);
    }

    /** How long a capture may keep failing, reopened every second, before the agent counts as deaf. */
    static final long MAX_TROUBLE_MS = PcapCapture.MAX_TROUBLE_MS;

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
        capture.send(frame);
    }

    @Override
    public void close() {
        capture.close();
    }
}
