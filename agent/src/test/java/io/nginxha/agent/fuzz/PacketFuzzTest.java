package io.nginxha.agent.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.nginxha.agent.net.Frames;
import io.nginxha.agent.vrrp.Advert;
import io.nginxha.agent.vrrp.AdvertCodec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing (Jazzer) of everything that reads bytes off the wire: whole Ethernet frames as the pcap
 * transport captures them, and VRRP payloads for both versions and both families. Nothing may throw; a payload
 * that decodes must encode back to an advert that decodes the same.
 *
 * <p>In a normal test run these replay the committed corpus in {@code PacketFuzzTestInputs/} (keepalived 2.2.7's
 * real adverts and ARPs, an IPv6 v3 advert, truncated and corrupted variants, and whatever fuzzing found);
 * {@code JAZZER_FUZZ=1} fuzzes the one a run selects for its {@code maxDuration}; {@code ./test} fuzzes
 * {@link #eitherPacket} (the {@code fuzz} profile in agent/pom.xml).
 */
class PacketFuzzTest {
    private static final FuzzLedger ADVERTS = new FuzzLedger("AdvertCodec.decode: VRRPv2/v3 payloads over IPv4 and"
            + " IPv6", "no exception; every advert that decodes re-encodes to the same advert");
    private static final FuzzLedger FRAMES = new FuzzLedger("captured Ethernet frames: IPv4/IPv6 (options, extension"
            + " headers, VLAN), ARP, then the VRRP decoder", "no exception; decoded adverts re-encode the same");
    private static final InetAddress V4_SOURCE = ip("192.168.16.128");
    private static final InetAddress V4_GROUP = ip("224.0.0.18");
    private static final InetAddress V6_SOURCE = ip("fe80::1");
    private static final InetAddress V6_GROUP = ip("ff02::12");

    /**
     * First byte: bit 0 selects IPv6 (else IPv4), bit 1 a TTL of 254 instead of 255 (to reach that check);
     * the rest is the VRRP payload.
     */
    @FuzzTest(maxDuration = "20s")
    void decodeAdvert(byte[] data) throws Exception {
        ADVERTS.run(() -> decode(data));
    }

    private static void decode(byte[] data) {
        if (data.length == 0) {
            return;
        }
        boolean ipv6 = (data[0] & 1) != 0;
        int ttl = (data[0] & 2) != 0 ? 254 : 255;
        byte[] payload = Arrays.copyOfRange(data, 1, data.length);
        InetAddress source = ipv6 ? V6_SOURCE : V4_SOURCE;
        InetAddress group = ipv6 ? V6_GROUP : V4_GROUP;
        if (AdvertCodec.decode(payload, source, group, ttl) instanceof AdvertCodec.Decoded.Ok ok) {
            roundTrip(ok.advert(), source, group);
        }
    }

    /** A captured frame through the receive path: IP, then VRRP if it is VRRP; or ARP. */
    @FuzzTest(maxDuration = "20s")
    void parseFrame(byte[] frame) throws Exception {
        FRAMES.run(() -> parse(frame));
    }

    /**
     * Both targets behind one, for CI's bounded fuzzing run (the {@code fuzz} profile): Jazzer fuzzes one target per
     * JVM, and starting a JVM with Jazzer costs more than the run itself. The first byte's low bit picks the target
     * (0: advert payload, 1: Ethernet frame); its corpus is the two corpora, each file prefixed with its selector.
     */
    @FuzzTest(maxDuration = "20s")
    void eitherPacket(byte[] data) throws Exception {
        if (data.length == 0) {
            return;
        }
        byte[] rest = Arrays.copyOfRange(data, 1, data.length);
        if ((data[0] & 1) == 0) {
            decodeAdvert(rest);
        } else {
            parseFrame(rest);
        }
    }

    @AfterAll
    static void record() {
        ADVERTS.record();
        FRAMES.record();
    }

    private static void parse(byte[] frame) {
        Optional<Frames.IpPacket> packet = Frames.parseIp(frame);
        if (packet.isPresent() && packet.get().protocol() == AdvertCodec.PROTOCOL) {
            Frames.IpPacket ip = packet.get();
            if (AdvertCodec.decode(ip.payload(), ip.src(), ip.dst(), ip.ttl()) instanceof AdvertCodec.Decoded.Ok ok) {
                roundTrip(ok.advert(), ip.src(), ip.dst());
            }
        }
        Frames.parseArp(frame);
    }

    private static void roundTrip(Advert advert, InetAddress source, InetAddress destination) {
        byte[] encoded;
        try {
            encoded = AdvertCodec.encode(advert, source, destination);
        } catch (IllegalArgumentException refused) {
            // encode refuses what we would never send (e.g. a v2 interval over 255 s); decode may still accept it.
            return;
        }
        AdvertCodec.Decoded again = AdvertCodec.decode(encoded, source, destination, AdvertCodec.TTL);
        Advert back = assertInstanceOf(AdvertCodec.Decoded.Ok.class, again).advert();
        assertEquals(advert.version(), back.version());
        assertEquals(advert.vrid(), back.vrid());
        assertEquals(advert.priority(), back.priority());
        assertEquals(advert.intervalCs(), back.intervalCs());
        assertEquals(advert.addresses(), back.addresses());
        assertEquals(advert.authType(), back.authType());
        assertArrayEquals(advert.authData(), back.authData());
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
