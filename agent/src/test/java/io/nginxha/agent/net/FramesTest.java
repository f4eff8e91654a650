package io.nginxha.agent.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.net.Frames.Arp;
import io.nginxha.agent.net.Frames.IpPacket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FramesTest {
    static final HexFormat HEX = HexFormat.of();
    static final byte[] MAC = HEX.parseHex("0200c0a81080");
    static final byte[] MCAST_MAC = HEX.parseHex("01005e000012");
    static final InetAddress SRC4 = ip("192.168.16.128");
    static final InetAddress GROUP4 = ip("224.0.0.18");
    static final Inet4Address VIP = (Inet4Address) ip("192.168.16.130");
    static final InetAddress SRC6 = ip("fe80::1");
    static final InetAddress GROUP6 = ip("ff02::12");
    /** keepalived's v2 advert from the reference takeover capture, frame 1. */
    static final String KEEPALIVED_V2_PAYLOAD = "214266010101442ec0a810823131313100000000";

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void virtualMacs() {
        assertArrayEquals(HEX.parseHex("00005e000142"), Frames.virtualMac(66, false));
        assertArrayEquals(HEX.parseHex("00005e0002ff"), Frames.virtualMac(255, true));
        assertThrows(IllegalArgumentException.class, () -> Frames.virtualMac(0, false));
    }

    @Test
    void multicastMacs() {
        assertArrayEquals(MCAST_MAC, Frames.multicastMac(GROUP4));
        assertArrayEquals(HEX.parseHex("01005e7f0102"), Frames.multicastMac(ip("239.255.1.2"))); // top bit dropped
        assertArrayEquals(HEX.parseHex("333300000012"), Frames.multicastMac(GROUP6));
        assertArrayEquals(HEX.parseHex("3333ab12cd34"), Frames.multicastMac(ip("ff05::1:ab12:cd34")));
        assertThrows(IllegalArgumentException.class, () -> Frames.multicastMac(SRC4));
    }

    @Test
    void gratuitousArpIsByteForByteWhatKeepalivedSends() {
        // reference takeover capture, frame 2
        String keepalived = "ffffffffffff0200c0a81080080600010800060400010200c0a81080c0a81082ffffffffffffc0a81082";
        assertEquals(keepalived, HEX.formatHex(Frames.gratuitousArp(MAC, VIP)));
    }

    @Test
    void arpRequestAsksWithZeroTargetMac() {
        byte[] frame = Frames.arpRequest(MAC, (Inet4Address) SRC4, (Inet4Address) ip("192.168.16.129"));
        assertEquals("ffffffffffff0200c0a81080080600010800060400010200c0a81080c0a81080000000000000c0a81081",
                HEX.formatHex(frame));
    }

    @Test
    void ipv4HeaderMatchesKeepalivedApartFromTheIdentification() {
        byte[] frame = Frames.vrrp(MAC, MCAST_MAC, SRC4, GROUP4, HEX.parseHex(KEEPALIVED_V2_PAYLOAD));
        // keepalived's frame had id 0x0005 and checksum 0x0966; with id 0 the checksum is 0x0966 + 5
        String expected = "01005e0000120200c0a810800800" + "45c00028" + "0000" + "0000" + "ff70" + "096b"
                + "c0a81080" + "e0000012"
                + KEEPALIVED_V2_PAYLOAD;
        assertEquals(expected, HEX.formatHex(frame));
    }

    @Test
    void ipv4HeaderChecksumVerifies() {
        byte[] frame = Frames.vrrp(MAC, MCAST_MAC, ip("10.200.3.77"), ip("10.1.1.1"), new byte[37]);
        int sum = 0;
        for (int i = 14; i < 34; i += 2) {
            sum += (frame[i] & 0xff) << 8 | (frame[i + 1] & 0xff);
        }
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        assertEquals(0xffff, sum);
        assertEquals(20 + 37, (frame[16] & 0xff) << 8 | (frame[17] & 0xff));
    }

    @Test
    void ipv6Header() {
        byte[] payload = HEX.parseHex("0102030405");
        byte[] frame = Frames.vrrp(MAC, Frames.multicastMac(GROUP6), SRC6, GROUP6, payload);
        assertEquals("3333000000120200c0a8108086dd" + "6c000000" + "0005" + "70" + "ff"
                + "fe800000000000000000000000000001" + "ff020000000000000000000000000012" + "0102030405",
                HEX.formatHex(frame));
    }

    static void assertPacket(byte[] mac, InetAddress src, InetAddress dst, byte[] payload, IpPacket packet) {
        assertArrayEquals(mac, packet.srcMac());
        assertEquals(src, packet.src());
        assertEquals(dst, packet.dst());
        assertEquals(255, packet.ttl());
        assertEquals(112, packet.protocol());
        assertArrayEquals(payload, packet.payload());
    }

    @Test
    void parseInvertsBuildForBothFamilies() {
        byte[] payload = HEX.parseHex(KEEPALIVED_V2_PAYLOAD);
        assertPacket(MAC, SRC4, GROUP4, payload,
                Frames.parseIp(Frames.vrrp(MAC, MCAST_MAC, SRC4, GROUP4, payload)).orElseThrow());
        assertPacket(MAC, SRC6, GROUP6, payload,
                Frames.parseIp(Frames.vrrp(MAC, MCAST_MAC, SRC6, GROUP6, payload)).orElseThrow());
    }

    @Test
    void parseCutsEthernetPaddingBySkippingToTheIpLength() {
        byte[] payload = HEX.parseHex("314264010064e775c0a81082");
        byte[] padded = Arrays.copyOf(Frames.vrrp(MAC, MCAST_MAC, SRC4, GROUP4, payload), 60);
        assertArrayEquals(payload, Frames.parseIp(padded).orElseThrow().payload());
    }

    @Test
    void parseSkipsOneVlanTag() {
        byte[] plain = Frames.vrrp(MAC, MCAST_MAC, SRC4, GROUP4, new byte[] {9, 8, 7});
        byte[] tagged = new byte[plain.length + 4];
        System.arraycopy(plain, 0, tagged, 0, 12);
        tagged[12] = (byte) 0x81;
        tagged[15] = 42; // VLAN 42
        System.arraycopy(plain, 12, tagged, 16, plain.length - 12);
        assertPacket(MAC, SRC4, GROUP4, new byte[] {9, 8, 7}, Frames.parseIp(tagged).orElseThrow());
    }

    @Test
    void parseSkipsIpv4Options() {
        byte[] plain = Frames.vrrp(MAC, MCAST_MAC, SRC4, GROUP4, new byte[] {9, 8, 7});
        byte[] withOption = new byte[plain.length + 4];
        System.arraycopy(plain, 0, withOption, 0, 34);
        withOption[34] = (byte) 0x94; // router alert, length 4
        withOption[35] = 4;
        System.arraycopy(plain, 34, withOption, 38, plain.length - 34);
        withOption[14] = 0x46;
        withOption[17] += 4;
        fixIpv4Checksum(withOption, 24);
        assertPacket(MAC, SRC4, GROUP4, new byte[] {9, 8, 7}, Frames.parseIp(withOption).orElseThrow());
    }

    static void fixIpv4Checksum(byte[] frame, int headerLen) {
        frame[24] = 0;
        frame[25] = 0;
        int sum = 0;
        for (int i = 14; i < 14 + headerLen; i += 2) {
            sum += (frame[i] & 0xff) << 8 | (frame[i + 1] & 0xff);
        }
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        frame[24] = (byte) (~sum >> 8);
        frame[25] = (byte) ~sum;
    }

    @Test
    void parseSkipsIpv6HopByHopHeader() {
        byte[] payload = {1, 2, 3, 4};
        byte[] plain = Frames.vrrp(MAC, MCAST_MAC, SRC6, GROUP6, payload);
        byte[] withHop = new byte[plain.length + 8];
        System.arraycopy(plain, 0, withHop, 0, 54);
        withHop[54] = 112; // hop-by-hop: next header VRRP, length 0 (8 bytes), PadN
        withHop[56] = 1;
        withHop[57] = 4;
        System.arraycopy(plain, 54, withHop, 62, payload.length);
        withHop[14 + 5] += 8;
        withHop[14 + 6] = 0;
        assertPacket(MAC, SRC6, GROUP6, payload, Frames.parseIp(withHop).orElseThrow());
    }

    @Test
    void parseRejectsWhatItCannotTrust() {
        byte[] frame = Frames.vrrp(MAC, MCAST_MAC, SRC4, GROUP4, new byte[] {9, 8, 7});
        byte[] badChecksum = frame.clone();
        badChecksum[25] ^= 1;
        byte[] fragment = frame.clone();
        fragment[20] = 0x20; // more fragments
        fixIpv4Checksum(fragment, 20);
        byte[] tooLong = frame.clone();
        tooLong[17] += 1; // total length beyond the frame
        fixIpv4Checksum(tooLong, 20);
        for (byte[] bad : new byte[][] {badChecksum, fragment, tooLong, Frames.gratuitousArp(MAC, VIP), null}) {
            assertTrue(Frames.parseIp(bad).isEmpty());
        }
        fragment[20] = 0x40; // don't-fragment alone is fine
        fixIpv4Checksum(fragment, 20);
        assertTrue(Frames.parseIp(fragment).isPresent());
    }

    @Test
    void parseArpReadsGarpAndReply() {
        Arp garp = Frames.parseArp(Frames.gratuitousArp(MAC, VIP)).orElseThrow();
        assertEquals(1, garp.op());
        assertArrayEquals(MAC, garp.senderMac());
        assertEquals(VIP, garp.senderIp());
        assertEquals(VIP, garp.targetIp());
        byte[] reply = Frames.arpRequest(MAC, VIP, (Inet4Address) SRC4);
        reply[21] = 2;
        Arp parsed = Frames.parseArp(reply).orElseThrow();
        assertEquals(2, parsed.op());
        assertEquals(SRC4, parsed.targetIp());
        reply[21] = 3;
        assertTrue(Frames.parseArp(reply).isEmpty());
        assertTrue(Frames.parseArp(Frames.vrrp(MAC, MCAST_MAC, SRC4, GROUP4, new byte[8])).isEmpty());
    }

    @Test
    void junkNeverThrows() {
        Random random = new Random(42);
        byte[][] seeds = {
            Frames.vrrp(MAC, MCAST_MAC, SRC4, GROUP4, new byte[20]),
            Frames.vrrp(MAC, MCAST_MAC, SRC6, GROUP6, new byte[20]),
            Frames.gratuitousArp(MAC, VIP),
        };
        for (byte[] seed : seeds) { // every truncation of a valid frame
            for (int length = 0; length < seed.length; length++) {
                byte[] cut = Arrays.copyOf(seed, length);
                assertTrue(Frames.parseIp(cut).isEmpty() && Frames.parseArp(cut).isEmpty(), "length " + length);
            }
        }
        for (int i = 0; i < 100_000; i++) {
            byte[] frame = random.nextBoolean() ? new byte[random.nextInt(120)] : seeds[random.nextInt(3)].clone();
            for (int flips = random.nextInt(6); flips >= 0 && frame.length > 0; flips--) {
                frame[random.nextInt(frame.length)] = (byte) random.nextInt(256);
            }
            Frames.parseIp(frame);
            Frames.parseArp(frame);
        }
    }
}
