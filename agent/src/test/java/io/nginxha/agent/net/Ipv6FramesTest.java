package io.nginxha.agent.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.vrrp.Advert;
import io.nginxha.agent.vrrp.AdvertCodec;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * IPv6 frames byte for byte. The checksums are also worked out here by a second, deliberately naive routine that
 * lays out the RFC 8200 8.1 pseudo-header as bytes, so a shared mistake in the production sums cannot hide.
 */
class Ipv6FramesTest {
    static final HexFormat HEX = HexFormat.of();
    static final byte[] MAC = HEX.parseHex("020000000128");
    static final Inet6Address VIP = (Inet6Address) FramesTest.ip("fd00:16::130");

    /** The pseudo-header as bytes, then the message, summed as 16-bit words the plain way. */
    static int naiveChecksum(InetAddress src, InetAddress dst, int nextHeader, byte[] message) {
        byte[] all = new byte[40 + message.length + (message.length % 2)];
        System.arraycopy(src.getAddress(), 0, all, 0, 16);
        System.arraycopy(dst.getAddress(), 0, all, 16, 16);
        all[32] = (byte) (message.length >>> 24);
        all[33] = (byte) (message.length >>> 16);
        all[34] = (byte) (message.length >>> 8);
        all[35] = (byte) message.length;
        all[39] = (byte) nextHeader;
        System.arraycopy(message, 0, all, 40, message.length);
        int sum = 0;
        for (int i = 0; i < all.length; i += 2) {
            sum += ((all[i] & 0xff) << 8) + (all[i + 1] & 0xff);
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }

    @Test
    void unsolicitedNeighborAdvertIsKeepalivedsShape() {
        byte[] frame = Ipv6Frames.neighborAdvert(MAC, VIP, false);
        String expected = "333300000001" + "020000000128" + "86dd"
                + "60000000" + "0020" + "3a" + "ff"
                + "fd000016000000000000000000000130" + "ff020000000000000000000000000001"
                + "88" + "00" + "56ea" + "20000000"                      // type 136, checksum, override flag only
                + "fd000016000000000000000000000130"                    // target: the VIP
                + "0201" + "020000000128";                              // target link-layer address option
        assertEquals(expected, HEX.formatHex(frame));
        byte[] icmp = Arrays.copyOfRange(frame, 54, frame.length);
        icmp[2] = 0;
        icmp[3] = 0;
        assertEquals(0x56ea, naiveChecksum(VIP, Ipv6Frames.ALL_NODES, 58, icmp), "independent checksum");
    }

    @Test
    void routerFlagIsSetOnlyWhenAsked() {
        assertEquals((byte) 0xa0, Ipv6Frames.neighborAdvert(MAC, VIP, true)[58]);
        assertEquals((byte) 0x20, Ipv6Frames.neighborAdvert(MAC, VIP, false)[58]);
        byte[] routed = Ipv6Frames.neighborAdvert(MAC, VIP, true);
        Frames.IpPacket p = Frames.parseIp(routed).orElseThrow();
        assertEquals(0, Ipv6Frames.checksum(p.src(), p.dst(), 58, p.payload()), "checksum follows the flags");
    }

    @Test
    void neighborSolicitationGoesToTheSolicitedNodeGroup() {
        Inet6Address src = (Inet6Address) FramesTest.ip("fd00:16::128");
        Inet6Address peer = (Inet6Address) FramesTest.ip("fd00:16::1:2:129");
        byte[] frame = Ipv6Frames.neighborSolicitation(MAC, src, peer);
        assertEquals("3333ff020129", HEX.formatHex(frame, 0, 6), "33:33 + the group's low 32 bits");
        Frames.IpPacket p = Frames.parseIp(frame).orElseThrow();
        assertEquals(FramesTest.ip("ff02::1:ff02:129"), p.dst());
        assertEquals(255, p.ttl());
        assertEquals(135, p.payload()[0] & 0xff);
        assertArrayEquals(peer.getAddress(), Arrays.copyOfRange(p.payload(), 8, 24));
        assertEquals("0101020000000128", HEX.formatHex(p.payload(), 24, 32), "source link-layer option");
        byte[] zeroed = p.payload().clone();
        int carried = (zeroed[2] & 0xff) << 8 | (zeroed[3] & 0xff);
        zeroed[2] = 0;
        zeroed[3] = 0;
        assertEquals(naiveChecksum(src, p.dst(), 58, zeroed), carried);
    }

    @Test
    void neighborAdvertTellsWhereItsTargetIs() {
        Frames.IpPacket p = Frames.parseIp(Ipv6Frames.neighborAdvert(MAC, VIP, false)).orElseThrow();
        Ipv6Frames.Neighbor n = Ipv6Frames.parseNeighborAdvert(p).orElseThrow();
        assertEquals(VIP, n.address());
        assertArrayEquals(MAC, n.mac());
    }

    @Test
    void neighborAdvertWithBadChecksumHopLimitOrTypeTellsNothing() {
        byte[] frame = Ipv6Frames.neighborAdvert(MAC, VIP, false);
        byte[] badSum = frame.clone();
        badSum[57] ^= 1;
        byte[] hop = frame.clone();
        hop[21] = 64;
        byte[] solicitation = Ipv6Frames.neighborSolicitation(MAC, VIP, VIP);
        for (byte[] f : List.of(badSum, hop, solicitation)) {
            assertTrue(Ipv6Frames.parseNeighborAdvert(Frames.parseIp(f).orElseThrow()).isEmpty());
        }
    }

    @Test
    void ipv6AdvertChecksumCoversThePseudoHeader() {
        InetAddress src = FramesTest.ip("fe80::200:ff:fe00:128");
        InetAddress group = FramesTest.ip("ff02::12");
        Advert advert = new Advert(3, 66, 100, 100, List.of(FramesTest.ip("fe80::66"), VIP), 0, null);
        byte[] payload = AdvertCodec.encode(advert, src, group);
        assertEquals("314264020064", HEX.formatHex(payload, 0, 6), "v3 advert, VRID 66, priority 100, 2 addresses, 1 s");
        int carried = (payload[6] & 0xff) << 8 | (payload[7] & 0xff);
        assertEquals(0x6cd3, carried, "worked out by hand (python) from the RFC 8200 pseudo-header");
        byte[] zeroed = payload.clone();
        zeroed[6] = 0;
        zeroed[7] = 0;
        assertEquals(naiveChecksum(src, group, 112, zeroed), carried);
        // and the IPv4 layout would give another sum: the family really is in it
        assertTrue(carried != naiveChecksum(src, FramesTest.ip("ff02::13"), 112, zeroed));
    }

    @Test
    void ipv6AdvertFrameUsesTheIpv6VirtualMacAndHopLimit255() {
        InetAddress src = FramesTest.ip("fe80::200:ff:fe00:128");
        InetAddress group = FramesTest.ip("ff02::12");
        Advert advert = new Advert(3, 66, 100, 100, List.of(VIP), 0, null);
        byte[] frame = Frames.vrrp(Frames.virtualMac(66, true), Frames.multicastMac(group), src, group,
                AdvertCodec.encode(advert, src, group));
        assertEquals("333300000012" + "00005e000242" + "86dd", HEX.formatHex(frame, 0, 14));
        Frames.IpPacket p = Frames.parseIp(frame).orElseThrow();
        assertEquals(255, p.ttl());
        assertEquals(112, p.protocol());
        assertTrue(AdvertCodec.decode(p.payload(), p.src(), p.dst(), p.ttl()) instanceof AdvertCodec.Decoded.Ok);
    }
}
