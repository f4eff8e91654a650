package io.nginxha.agent.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * The IPv6 counterparts of {@link Frames}' ARP frames, as Ethernet frames for pcap: the unsolicited Neighbor
 * Advertisement a new master sends for each IPv6 VIP (what a gratuitous ARP is for IPv4), and the Neighbor
 * Solicitation that locates an IPv6 unicast peer. Pure byte work, checked byte for byte and by tshark.
 *
 * <p>The NA has the shape of keepalived 2.2.7's ({@code vrrp_ndisc.c}): from the VIP itself to ff02::1 (Ethernet
 * 33:33:00:00:00:01) with the interface's own MAC as Ethernet source and as target link-layer address option,
 * hop limit 255 (RFC 4861 7.1.2 makes receivers drop anything less), traffic class 0, override flag set, solicited
 * flag clear, router flag only when the interface forwards IPv6.
 */
public final class Ipv6Frames {
    /** IPv6 next header of ICMPv6. */
    public static final int ICMPV6 = 58;
    /** ICMPv6 type of a Neighbor Solicitation. */
    public static final int NEIGHBOR_SOLICITATION = 135;
    /** ICMPv6 type of a Neighbor Advertisement. */
    public static final int NEIGHBOR_ADVERTISEMENT = 136;
    /** ff02::1, all nodes on the link. */
    public static final Inet6Address ALL_NODES = address("ff02::1");

    private static final int ETH_HEADER = 14;
    private static final int IPV6_HEADER = 40;
    /** Type, code, checksum, 4 bytes of flags or reserved, 16 bytes of target, one 8-byte link-layer option. */
    private static final int ND_LEN = 32;
    private static final int HOP_LIMIT = 255;
    private static final int FLAG_ROUTER = 0x80;
    private static final int FLAG_OVERRIDE = 0x20;
    private static final int OPTION_SOURCE_LINK_LAYER = 1;
    private static final int OPTION_TARGET_LINK_LAYER = 2;

    private Ipv6Frames() { }

    /**
     * An unsolicited Neighbor Advertisement for {@code vip}: neighbours that cache the VIP take {@code mac} for it.
     *
     * @param router whether to set the router flag (keepalived sets it when the interface forwards IPv6, so hosts
     *               that route through the VIP keep it as a router)
     */
    public static byte[] neighborAdvert(byte[] mac, Inet6Address vip, boolean router) {
        int flags = FLAG_OVERRIDE | (router ? FLAG_ROUTER : 0);
        return neighborDiscovery(mac, Frames.multicastMac(ALL_NODES), vip, ALL_NODES, NEIGHBOR_ADVERTISEMENT, flags,
                vip, OPTION_TARGET_LINK_LAYER);
    }

    /** A Neighbor Solicitation for {@code target} from {@code source}, to the target's solicited-node group. */
    public static byte[] neighborSolicitation(byte[] mac, Inet6Address source, Inet6Address target) {
        Inet6Address group = solicitedNode(target);
        return neighborDiscovery(mac, Frames.multicastMac(group), source, group, NEIGHBOR_SOLICITATION, 0, target,
                OPTION_SOURCE_LINK_LAYER);
    }

    /** ff02::1:ffXX:XXXX, the group whose members include the holder of {@code address} (RFC 4291 2.7.1). */
    public static Inet6Address solicitedNode(Inet6Address address) {
        byte[] a = address.getAddress();
        byte[] group = new byte[16];
        group[0] = (byte) 0xff;
        group[1] = 0x02;
        group[11] = 0x01;
        group[12] = (byte) 0xff;
        group[13] = a[13];
        group[14] = a[14];
        group[15] = a[15];
        return raw(group);
    }

    private static byte[] neighborDiscovery(byte[] srcMac, byte[] dstMac, Inet6Address src, Inet6Address dst,
                                            int type, int flags, Inet6Address target, int option) {
        if (srcMac.length != 6) {
            throw new IllegalArgumentException("MAC addresses are 6 bytes");
        }
        ByteBuffer icmp = ByteBuffer.allocate(ND_LEN);
        icmp.put((byte) type).put((byte) 0).putShort((short) 0);
        icmp.put((byte) flags).put(new byte[3]);
        icmp.put(target.getAddress());
        icmp.put((byte) option).put((byte) 1).put(srcMac); // option length in units of 8 bytes
        byte[] body = icmp.array();
        int sum = checksum(src, dst, ICMPV6, body);
        body[2] = (byte) (sum >> 8);
        body[3] = (byte) sum;

        ByteBuffer frame = ByteBuffer.allocate(ETH_HEADER + IPV6_HEADER + ND_LEN);
        frame.put(dstMac).put(srcMac).putShort((short) Frames.ETHERTYPE_IPV6);
        frame.putInt(6 << 28); // version 6, traffic class 0 and flow label 0, as keepalived's NAs
        frame.putShort((short) ND_LEN).put((byte) ICMPV6).put((byte) HOP_LIMIT);
        frame.put(src.getAddress()).put(dst.getAddress());
        frame.put(body);
        return frame.array();
    }

    /**
     * The checksum to store in an upper-layer message over IPv6 (RFC 8200 8.1): one's complement sum over the
     * pseudo-header (source, destination, 32-bit length, three zero bytes, next header) and the message, whose
     * checksum field must be zero. Over a message with a correct checksum it yields 0.
     */
    public static int checksum(InetAddress src, InetAddress dst, int nextHeader, byte[] message) {
        long sum = words(src.getAddress()) + words(dst.getAddress());
        sum += (message.length >>> 16) + (message.length & 0xffff) + nextHeader;
        sum += words(message);
        while (sum >> 16 != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static long words(byte[] bytes) {
        long sum = 0;
        for (int i = 0; i < bytes.length; i += 2) {
            sum += (bytes[i] & 0xff) << 8 | (i + 1 < bytes.length ? bytes[i + 1] & 0xff : 0);
        }
        return sum;
    }

    /**
     * The neighbour a Neighbor Advertisement tells of: its target and the MAC of the target link-layer option, or
     * the frame's source MAC without one (a solicited NA may omit it). Empty for anything else, for hop limits
     * other than 255 (RFC 4861 7.1.2: off-link senders) and for a bad checksum.
     */
    public static Optional<Neighbor> parseNeighborAdvert(Frames.IpPacket packet) {
        byte[] m = packet.payload();
        if (packet.protocol() != ICMPV6 || !(packet.src() instanceof Inet6Address) || packet.ttl() != HOP_LIMIT
                || m.length < 24 || (m[0] & 0xff) != NEIGHBOR_ADVERTISEMENT || m[1] != 0
                || checksum(packet.src(), packet.dst(), ICMPV6, m) != 0) {
            return Optional.empty();
        }
        byte[] mac = packet.srcMac();
        for (int at = 24; at + 8 <= m.length; ) {
            int length = (m[at + 1] & 0xff) * 8;
            if (length == 0) {
                return Optional.empty(); // RFC 4861 4.6: a zero-length option makes the packet invalid
            }
            if ((m[at] & 0xff) == OPTION_TARGET_LINK_LAYER && length >= 8) {
                mac = Arrays.copyOfRange(m, at + 2, at + 8);
            }
            at += length;
        }
        return Optional.of(new Neighbor(raw(Arrays.copyOfRange(m, 8, 24)), mac));
    }

    /** @param address the NA's target; @param mac where it is */
    public record Neighbor(Inet6Address address, byte[] mac) { }

    /** Without a scope: frames carry 16 bytes, and addresses parsed off the wire have none either. */
    static Inet6Address raw(byte[] bytes) {
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("16 bytes are always an IPv6 address", impossible);
        }
    }

    private static Inet6Address address(String literal) {
        try {
            return raw(InetAddress.getByName(literal).getAddress());
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(literal, impossible);
        }
    }
}
