package io.nginxha.agent.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.net.Frames.Arp;
import io.nginxha.agent.net.Frames.IpPacket;
import io.nginxha.agent.vrrp.Advert;
import io.nginxha.agent.vrrp.AdvertCodec;
import io.nginxha.agent.vrrp.AdvertCodec.Decoded;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Reads what keepalived 2.2.7 really sent (recorded by {@code src/test/fixtures/capture-keepalived.sh}):
 * MASTER, VRID 66, priority 100, VIP 192.168.16.130 from 192.168.16.128 / 02:00:c0:a8:10:80.
 */
class KeepalivedCaptureTest {
    static final InetAddress VIP = FramesTest.ip("192.168.16.130");
    static final InetAddress KEEPALIVED = FramesTest.ip("192.168.16.128");
    static final InetAddress GROUP = FramesTest.ip("224.0.0.18");
    static final byte[] KEEPALIVED_MAC = HexFormat.of().parseHex("0200c0a81080");

    record Capture(List<Advert> adverts, List<Arp> arps) { }

    static Capture read(String fixture) throws Exception {
        Path file = Path.of(KeepalivedCaptureTest.class.getResource("/fixtures/" + fixture).toURI());
        List<Advert> adverts = new ArrayList<>();
        List<Arp> arps = new ArrayList<>();
        for (byte[] frame : Pcap.read(file)) {
            Optional<IpPacket> ip = Frames.parseIp(frame);
            if (ip.isPresent()) {
                IpPacket packet = ip.get();
                assertEquals(112, packet.protocol());
                assertEquals(KEEPALIVED, packet.src());
                assertEquals(GROUP, packet.dst());
                assertArrayEquals(KEEPALIVED_MAC, packet.srcMac());
                Decoded decoded = AdvertCodec.decode(packet.payload(), packet.src(), packet.dst(), packet.ttl());
                Advert advert = assertInstanceOf(Decoded.Ok.class, decoded, decoded::toString).advert();
                // and our encoder produces keepalived's bytes exactly, checksum included
                assertArrayEquals(packet.payload(), AdvertCodec.encode(advert, packet.src(), packet.dst()));
                adverts.add(advert);
            } else {
                arps.add(Frames.parseArp(frame).orElseThrow(() -> new AssertionError("neither IP nor ARP")));
            }
        }
        return new Capture(adverts, arps);
    }

    static void assertGarps(List<Arp> arps) {
        assertTrue(arps.size() >= 1, "keepalived sends gratuitous ARPs on becoming master");
        for (Arp arp : arps) {
            assertEquals(1, arp.op());
            assertArrayEquals(KEEPALIVED_MAC, arp.senderMac());
            assertEquals(VIP, arp.senderIp());
            assertEquals(VIP, arp.targetIp());
        }
    }

    @Test
    void version2WithPassword() throws Exception {
        Capture capture = read("keepalived-v2.pcap");
        assertTrue(capture.adverts().size() >= 2, "several adverts: " + capture.adverts().size());
        for (Advert advert : capture.adverts()) {
            assertEquals(2, advert.version());
            assertEquals(66, advert.vrid());
            assertEquals(100, advert.priority());
            assertEquals(100, advert.intervalCs());
            assertEquals(List.of(VIP), advert.addresses());
            assertEquals(1, advert.authType());
            assertArrayEquals(new byte[] {'1', '1', '1', '1', 0, 0, 0, 0}, advert.authData());
        }
        assertGarps(capture.arps());
    }

    @Test
    void version3TenthOfASecond() throws Exception {
        Capture capture = read("keepalived-v3.pcap");
        assertTrue(capture.adverts().size() >= 2, "several adverts: " + capture.adverts().size());
        for (Advert advert : capture.adverts()) {
            assertEquals(3, advert.version());
            assertEquals(66, advert.vrid());
            assertEquals(100, advert.priority());
            assertEquals(10, advert.intervalCs());
            assertEquals(List.of(VIP), advert.addresses());
            assertEquals(0, advert.authType());
            assertArrayEquals(new byte[0], advert.authData());
        }
        assertGarps(capture.arps());
    }

    @Test
    void keepalivedFramesLookLikeOurs() throws Exception {
        // Frames copies keepalived's IPv4 header choices (TOS 0xc0, DF clear, TTL 255); only the id differs
        Path file = Path.of(getClass().getResource("/fixtures/keepalived-v3.pcap").toURI());
        byte[] theirs = Pcap.read(file).get(0);
        IpPacket packet = Frames.parseIp(theirs).orElseThrow();
        byte[] ours = Frames.vrrp(KEEPALIVED_MAC, Frames.multicastMac(GROUP), packet.src(), packet.dst(),
                packet.payload());
        assertEquals(theirs.length, ours.length);
        for (int i = 0; i < ours.length; i++) {
            boolean idOrHeaderChecksum = i == 18 || i == 19 || i == 24 || i == 25;
            if (!idOrHeaderChecksum) {
                assertEquals(theirs[i], ours[i], "byte " + i);
            }
        }
    }
}
