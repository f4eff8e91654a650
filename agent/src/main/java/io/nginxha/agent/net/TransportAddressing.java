package io.nginxha.agent.net;

import io.nginxha.agent.config.WireId.Family;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What differs between VRRP over IPv4 (RFC 5798 5.1.1) and over IPv6 (5.1.2) below the VRRP payload: the group,
 * the default source address, the capture filter and the group membership. {@link PcapTransport} asks here.
 */
final class TransportAddressing {
    /** The IP protocol (IPv4) / next header (IPv6) number of VRRP. */
    static final int VRRP_PROTOCOL = 112;
    /** 224.0.0.18, the IPv4 VRRP group. */
    static final InetAddress GROUP4 = literal("224.0.0.18");
    /** ff02::12, the IPv6 VRRP group. */
    static final InetAddress GROUP6 = literal("ff02::12");

    private TransportAddressing() { }

    static InetAddress group(Family family) {
        return family == Family.IPV6 ? GROUP6 : GROUP4;
    }

    /**
     * The source of multicast adverts: IPv4, the interface's primary address (the kernel lists it before the
     * secondaries and our VIPs, and Java keeps that order); IPv6, its link-local address (RFC 5798 5.1.2.2, and
     * what keepalived uses), without the scope, as addresses parsed off the wire have none.
     */
    static Optional<InetAddress> defaultSource(NetworkInterface nic, Family family) {
        for (InterfaceAddress ia : nic.getInterfaceAddresses()) {
            InetAddress a = ia.getAddress();
            if (family == Family.IPV4 && a instanceof Inet4Address) {
                return Optional.of(a);
            }
            if (family == Family.IPV6 && a instanceof Inet6Address && a.isLinkLocalAddress()) {
                return Optional.of(Ipv6Frames.raw(a.getAddress()));
            }
        }
        return Optional.empty();
    }

    /** Why an interface cannot carry adverts of {@code family} without unicast_src_ip. */
    static String noSource(String iface, Family family) {
        return family == Family.IPV6
                ? "interface " + iface + " has no IPv6 link-local address (IPv6 off, or still tentative: duplicate "
                        + "address detection not finished)"
                : "interface " + iface + " has no IPv4 address";
    }

    /**
     * The BPF filter: VRRP of the family only; with unicast peers only theirs, plus what locates them (ARP, or
     * ICMPv6 Neighbor Advertisements: the ICMPv6 type is the first byte after the 40-byte IPv6 header).
     */
    static String filter(Family family, List<? extends InetAddress> peers) {
        return filter(family, peers, null);
    }

    /**
     * As {@link #filter(Family, List)}; a multicast transport of another group than the VRRP one ({@code group}
     * not null) takes only the adverts to that group and unicast ones (whatever is not multicast).
     */
    static String filter(Family family, List<? extends InetAddress> peers, InetAddress group) {
        String vrrp = (family == Family.IPV6 ? "ip6" : "ip") + " proto " + VRRP_PROTOCOL;
        if (peers.isEmpty() && group != null) {
            return vrrp + " and (dst host " + group.getHostAddress() + " or not " + (family == Family.IPV6
                    ? "ip6 multicast" : "ip multicast") + ")";
        }
        if (peers.isEmpty()) {
            return vrrp;
        }
        String hosts = peers.stream().map(p -> "src host " + p.getHostAddress()).collect(Collectors.joining(" or "));
        String locate = family == Family.IPV6 ? "(icmp6 and ip6[40] == " + Ipv6Frames.NEIGHBOR_ADVERTISEMENT + ")"
                : "arp";
        return "(" + vrrp + " and (" + hosts + ")) or " + locate;
    }

    /**
     * Joins the VRRP group on {@code nic} through an ordinary socket (IGMP for IPv4, MLD for IPv6), so NICs and
     * snooping switches deliver the adverts to us; pcap reads them, the socket itself never receives.
     */
    static DatagramChannel join(NetworkInterface nic, Family family) throws IOException {
        return join(nic, family, group(family));
    }

    /** Joins {@code group} on {@code nic}, as {@link #join(NetworkInterface, Family)} joins the VRRP group. */
    static DatagramChannel join(NetworkInterface nic, Family family, InetAddress group) throws IOException {
        DatagramChannel channel = DatagramChannel.open(family == Family.IPV6 ? StandardProtocolFamily.INET6
                : StandardProtocolFamily.INET);
        try {
            channel.bind(new InetSocketAddress(family == Family.IPV6 ? literal("::") : literal("0.0.0.0"), 0));
            channel.join(group, nic);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Whether the interface forwards IPv6: keepalived then sets the router flag of its Neighbor Advertisements. */
    static boolean forwardsIpv6(String iface) {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv6/conf", iface, "forwarding")).strip().equals("1");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static InetAddress literal(String text) {
        try {
            InetAddress a = InetAddress.getByName(text); // a literal: no name look-up
            return a instanceof Inet6Address ? Ipv6Frames.raw(a.getAddress()) : a;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
