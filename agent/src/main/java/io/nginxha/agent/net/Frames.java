package io.nginxha.agent.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * Builds and parses the Ethernet frames the agent puts on the wire with pcap: VRRP over IPv4/IPv6 and ARP.
 * Pure byte work, no I/O, so every frame can be checked byte for byte and by tshark.
 *
 * <p>Header choices copy keepalived 2.2.7 so captures of both look alike: IPv4 TOS / IPv6 traffic class 0xc0
 * (network control), IPv4 identification 0 and DF clear, TTL / hop limit 255. Frames are not padded to the
 * 60-byte Ethernet minimum (keepalived's aren't either; the NIC pads), so receivers must trust the IP length.
 */
public final class Frames {
    /** EtherType of IPv4. */
    public static final int ETHERTYPE_IPV4 = 0x0800;
    /** EtherType of IPv6. */
    public static final int ETHERTYPE_IPV6 = 0x86dd;
    /** EtherType of ARP. */
    public static final int ETHERTYPE_ARP = 0x0806;

    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETH_HEADER = 14;
    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int ARP_LEN = 28;
    private static final int VRRP_PROTOCOL = 112;
    private static final int NETWORK_CONTROL = 0xc0;
    private static final int TTL = 255;
    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};

    private Frames() { }

    /** 00:00:5e:00:01:VRID for IPv4 (RFC 5798 7.3), 00:00:5e:00:02:VRID for IPv6. */
    public static byte[] virtualMac(int vrid, boolean ipv6) {
        if (vrid < 1 || vrid > 255) {
            throw new IllegalArgumentException("vrid must be 1..255, not " + vrid);
        }
        return new byte[] {0, 0, 0x5e, 0, (byte) (ipv6 ? 2 : 1), (byte) vrid};
    }

    /** The Ethernet multicast MAC for an IPv4 or IPv6 multicast group, e.g. 01:00:5e:00:00:12 for 224.0.0.18. */
    public static byte[] multicastMac(InetAddress group) {
        if (!group.isMulticastAddress()) {
            throw new IllegalArgumentException(group + " is not a multicast address");
        }
        byte[] ip = group.getAddress();
        if (group instanceof Inet4Address) {
            // RFC 1112 6.4: the low 23 bits of the group go under 01:00:5e
            return new byte[] {1, 0, 0x5e, (byte) (ip[1] & 0x7f), ip[2], ip[3]};
        }
        // RFC 2464 7: 33:33 followed by the low 32 bits of the group
        return new byte[] {0x33, 0x33, ip[12], ip[13], ip[14], ip[15]};
    }

    /** Ethernet + IP header (TTL/hop limit 255, protocol 112) + the VRRP payload from {@code AdvertCodec.encode}. */
    public static byte[] vrrp(byte[] srcMac, byte[] dstMac, InetAddress src, InetAddress dst, byte[] vrrpPayload) {
        boolean ipv6 = src instanceof Inet6Address;
        if (ipv6 != (dst instanceof Inet6Address)) {
            throw new IllegalArgumentException("source " + src + " and destination " + dst + " differ in family");
        }
        int ipHeader = ipv6 ? IPV6_HEADER : IPV4_HEADER;
        if (vrrpPayload.length > 0xffff - (ipv6 ? 0 : ipHeader)) {
            throw new IllegalArgumentException("payload of " + vrrpPayload.length + " bytes does not fit an IP packet");
        }
        ByteBuffer frame = ByteBuffer.allocate(ETH_HEADER + ipHeader + vrrpPayload.length);
        ethernet(frame, dstMac, srcMac, ipv6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4);
        if (ipv6) {
            frame.putInt(6 << 28 | NETWORK_CONTROL << 20); // version, traffic class, flow label 0
            frame.putShort((short) vrrpPayload.length);
            frame.put((byte) VRRP_PROTOCOL).put((byte) TTL);
            frame.put(src.getAddress()).put(dst.getAddress());
        } else {
            int start = frame.position();
            frame.put((byte) 0x45).put((byte) NETWORK_CONTROL);
            frame.putShort((short) (IPV4_HEADER + vrrpPayload.length));
            frame.putShort((short) 0).putShort((short) 0); // identification, flags + fragment offset
            frame.put((byte) TTL).put((byte) VRRP_PROTOCOL).putShort((short) 0);
            frame.put(src.getAddress()).put(dst.getAddress());
            int sum = ipv4Checksum(frame.array(), start, IPV4_HEADER);
            frame.putShort(start + 10, (short) sum);
        }
        frame.put(vrrpPayload);
        return frame.array();
    }

    /** A gratuitous ARP for {@code vip}: broadcast ARP request with sender and target address both the VIP. */
    public static byte[] gratuitousArp(byte[] srcMac, Inet4Address vip) {
        // keepalived puts the broadcast address in the target hardware field, so do we
        return arp(srcMac, vip, BROADCAST, vip);
    }

    /** A broadcast ARP request asking who has {@code target} (used to resolve unicast peers). */
    public static byte[] arpRequest(byte[] srcMac, Inet4Address sender, Inet4Address target) {
        return arp(srcMac, sender, new byte[6], target);
    }

    private static byte[] arp(byte[] srcMac, Inet4Address sender, byte[] targetMac, Inet4Address target) {
        ByteBuffer frame = ByteBuffer.allocate(ETH_HEADER + ARP_LEN);
        ethernet(frame, BROADCAST, srcMac, ETHERTYPE_ARP);
        frame.putShort((short) 1).putShort((short) ETHERTYPE_IPV4).put((byte) 6).put((byte) 4);
        frame.putShort((short) 1);
        frame.put(srcMac).put(sender.getAddress()).put(targetMac).put(target.getAddress());
        return frame.array();
    }

    private static void ethernet(ByteBuffer frame, byte[] dstMac, byte[] srcMac, int etherType) {
        if (dstMac.length != 6 || srcMac.length != 6) {
            throw new IllegalArgumentException("MAC addresses are 6 bytes");
        }
        frame.put(dstMac).put(srcMac).putShort((short) etherType);
    }

    /**
     * An IP packet carried in an Ethernet frame (IPv4 or IPv6, VLAN tag skipped), or empty if not IP.
     * Also empty, never an exception, for anything malformed: bad IPv4 header checksum, lengths beyond the frame,
     * fragments (VRRP is never fragmented, and a fragment is not a whole payload). IPv4 options are skipped via
     * the IHL, IPv6 hop-by-hop/routing/destination-options headers via their length; the payload ends where the
     * IP length says, so Ethernet padding is cut off.
     */
    public static Optional<IpPacket> parseIp(byte[] frame) {
        if (frame == null) {
            return Optional.empty();
        }
        int offset = payloadOffset(frame);
        if (offset < 0) {
            return Optional.empty();
        }
        int etherType = u16(frame, offset - 2);
        byte[] srcMac = Arrays.copyOfRange(frame, 6, 12);
        if (etherType == ETHERTYPE_IPV4) {
            return parseIpv4(frame, offset, srcMac);
        }
        if (etherType == ETHERTYPE_IPV6) {
            return parseIpv6(frame, offset, srcMac);
        }
        return Optional.empty();
    }

    private static Optional<IpPacket> parseIpv4(byte[] frame, int at, byte[] srcMac) {
        if (frame.length - at < IPV4_HEADER || (frame[at] & 0xf0) != 0x40) {
            return Optional.empty();
        }
        int headerLen = (frame[at] & 0x0f) * 4;
        int totalLen = u16(frame, at + 2);
        if (headerLen < IPV4_HEADER || totalLen < headerLen || at + totalLen > frame.length) {
            return Optional.empty();
        }
        boolean fragment = (u16(frame, at + 6) & 0x3fff) != 0; // more-fragments flag or an offset
        if (fragment || ipv4Checksum(frame, at, headerLen) != 0) {
            return Optional.empty();
        }
        InetAddress src = address(Arrays.copyOfRange(frame, at + 12, at + 16));
        InetAddress dst = address(Arrays.copyOfRange(frame, at + 16, at + 20));
        return Optional.of(new IpPacket(srcMac, src, dst, frame[at + 8] & 0xff, frame[at + 9] & 0xff,
                Arrays.copyOfRange(frame, at + headerLen, at + totalLen)));
    }

    private static Optional<IpPacket> parseIpv6(byte[] frame, int at, byte[] srcMac) {
        if (frame.length - at < IPV6_HEADER || (frame[at] & 0xf0) != 0x60) {
            return Optional.empty();
        }
        int end = at + IPV6_HEADER + u16(frame, at + 4);
        if (end > frame.length) {
            return Optional.empty();
        }
        int next = frame[at + 6] & 0xff;
        int cursor = at + IPV6_HEADER;
        while (next == 0 || next == 43 || next == 60) { // hop-by-hop, routing, destination options
            if (end - cursor < 8) {
                return Optional.empty();
            }
            int length = ((frame[cursor + 1] & 0xff) + 1) * 8;
            next = frame[cursor] & 0xff;
            cursor += length;
            if (cursor > end) {
                return Optional.empty();
            }
        }
        if (next == 44) { // fragment header
            return Optional.empty();
        }
        InetAddress src = address(Arrays.copyOfRange(frame, at + 8, at + 24));
        InetAddress dst = address(Arrays.copyOfRange(frame, at + 24, at + 40));
        return Optional.of(new IpPacket(srcMac, src, dst, frame[at + 7] & 0xff, next,
                Arrays.copyOfRange(frame, cursor, end)));
    }

    /** An ARP reply or request in an Ethernet frame, or empty. */
    public static Optional<Arp> parseArp(byte[] frame) {
        if (frame == null) {
            return Optional.empty();
        }
        int at = payloadOffset(frame);
        if (at < 0 || u16(frame, at - 2) != ETHERTYPE_ARP || frame.length - at < ARP_LEN) {
            return Optional.empty();
        }
        boolean ethernetIpv4 = u16(frame, at) == 1 && u16(frame, at + 2) == ETHERTYPE_IPV4
                && frame[at + 4] == 6 && frame[at + 5] == 4;
        int op = u16(frame, at + 6);
        if (!ethernetIpv4 || (op != 1 && op != 2)) {
            return Optional.empty();
        }
        return Optional.of(new Arp(op, Arrays.copyOfRange(frame, at + 8, at + 14),
                (Inet4Address) address(Arrays.copyOfRange(frame, at + 14, at + 18)),
                (Inet4Address) address(Arrays.copyOfRange(frame, at + 24, at + 28))));
    }

    /** Offset of the first byte after the EtherType (one 802.1Q tag skipped), or -1 if the frame is too short. */
    private static int payloadOffset(byte[] frame) {
        if (frame.length < ETH_HEADER) {
            return -1;
        }
        if (u16(frame, 12) != ETHERTYPE_VLAN) {
            return ETH_HEADER;
        }
        return frame.length < ETH_HEADER + 4 ? -1 : ETH_HEADER + 4;
    }

    private static int u16(byte[] bytes, int at) {
        return (bytes[at] & 0xff) << 8 | (bytes[at + 1] & 0xff);
    }

    /** RFC 1071 checksum of an IPv4 header: the value to store, or 0 if the stored one is right. */
    private static int ipv4Checksum(byte[] bytes, int from, int length) {
        long sum = 0;
        for (int i = from; i < from + length; i += 2) {
            sum += u16(bytes, i);
        }
        while (sum >> 16 != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** Keeps 16 bytes an IPv6 address even when IPv4-mapped, which {@code InetAddress.getByAddress} would not. */
    private static InetAddress address(byte[] raw) {
        try {
            return raw.length == 16 ? Inet6Address.getByAddress(null, raw, -1) : InetAddress.getByAddress(raw);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("4 or 16 bytes are always an address", impossible);
        }
    }

    /** @param ttl TTL (IPv4) or hop limit (IPv6); @param payload the bytes after the IP header(s) */
    public record IpPacket(byte[] srcMac, InetAddress src, InetAddress dst, int ttl, int protocol, byte[] payload) { }

    /** @param op 1 request, 2 reply */
    public record Arp(int op, byte[] senderMac, Inet4Address senderIp, Inet4Address targetIp) { }
}
