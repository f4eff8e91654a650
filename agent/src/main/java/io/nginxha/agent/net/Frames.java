package io.nginxha.agent.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Builds and parses the Ethernet frames the agent puts on the wire with pcap: VRRP over IPv4/IPv6 and ARP.
 * Pure byte work, no I/O, so every frame can be checked byte for byte and by tshark.
 */
public final class Frames {
    private Frames() { }

    /** 00:00:5e:00:01:VRID for IPv4 (RFC 5798 7.3), 00:00:5e:00:02:VRID for IPv6. */
    public static byte[] virtualMac(int vrid, boolean ipv6) {
        throw new UnsupportedOperationException("frames: being written");
    }

    /** The Ethernet multicast MAC for an IPv4 or IPv6 multicast group, e.g. 01:00:5e:00:00:12 for 224.0.0.18. */
    public static byte[] multicastMac(InetAddress group) {
        throw new UnsupportedOperationException("frames: being written");
    }

    /** Ethernet + IP header (TTL/hop limit 255, protocol 112) + the VRRP payload from {@code AdvertCodec.encode}. */
    public static byte[] vrrp(byte[] srcMac, byte[] dstMac, InetAddress src, InetAddress dst, byte[] vrrpPayload) {
        throw new UnsupportedOperationException("frames: being written");
    }

    /** A gratuitous ARP for {@code vip}: broadcast ARP request with sender and target address both the VIP. */
    public static byte[] gratuitousArp(byte[] srcMac, Inet4Address vip) {
        throw new UnsupportedOperationException("frames: being written");
    }

    /** A broadcast ARP request asking who has {@code target} (used to resolve unicast peers). */
    public static byte[] arpRequest(byte[] srcMac, Inet4Address sender, Inet4Address target) {
        throw new UnsupportedOperationException("frames: being written");
    }

    /** An IP packet carried in an Ethernet frame (IPv4 or IPv6, VLAN tag skipped), or empty if not IP. */
    public static Optional<IpPacket> parseIp(byte[] frame) {
        throw new UnsupportedOperationException("frames: being written");
    }

    /** An ARP reply or request in an Ethernet frame, or empty. */
    public static Optional<Arp> parseArp(byte[] frame) {
        throw new UnsupportedOperationException("frames: being written");
    }

    /** @param ttl TTL (IPv4) or hop limit (IPv6); @param payload the bytes after the IP header(s) */
    public record IpPacket(byte[] srcMac, InetAddress src, InetAddress dst, int ttl, int protocol, byte[] payload) { }

    /** @param op 1 request, 2 reply */
    public record Arp(int op, byte[] senderMac, Inet4Address senderIp, Inet4Address targetIp) { }
}
