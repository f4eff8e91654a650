package io.nginxha.agent.vrrp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nginxha.agent.vrrp.AdvertCodec.Decoded;
import io.nginxha.agent.reliability.Ledger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdvertCodecTest {
    static final InetAddress SRC4 = ip("192.168.16.128");
    static final InetAddress GROUP4 = ip("224.0.0.18");
    static final InetAddress VIP4 = ip("192.168.16.130");
    static final InetAddress SRC6 = ip("fe80::1");
    static final InetAddress GROUP6 = ip("ff02::12");
    static final byte[] PASS_1111 = "1111\0\0\0\0".getBytes(StandardCharsets.US_ASCII);

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Advert v2(int priority) {
        return new Advert(2, 66, priority, 100, List.of(VIP4), 1, PASS_1111);
    }

    static Advert v3(int intervalCs, List<InetAddress> addresses) {
        return new Advert(3, 66, 100, intervalCs, addresses, 0, null);
    }

    static Advert ok(Decoded decoded) {
        if (decoded instanceof Decoded.Ok ok) {
            return ok.advert();
        }
        return fail("expected Ok, got " + decoded);
    }

    static void assertSameAdvert(Advert expected, Advert actual) {
        assertEquals(expected.version(), actual.version());
        assertEquals(expected.vrid(), actual.vrid());
        assertEquals(expected.priority(), actual.priority());
        assertEquals(expected.intervalCs(), actual.intervalCs());
        assertEquals(expected.addresses(), actual.addresses());
        assertEquals(expected.authType(), actual.authType());
        assertArrayEquals(expected.authData(), actual.authData());
    }

    // --- known answers, checksums worked out by hand (RFC 1071 one's complement sums) ---

    @Test
    void v2KnownAnswer() {
        // words 2142 6601 0101 c0a8 1082 3131 3131 -> 0x1bbd0 -> folded 0xbbd1 -> complement 0x442e;
        // byte for byte what keepalived sent in the reference takeover capture (frame 1, priority 102)
        byte[] expected = HexFormat.of().parseHex("214266010101442ec0a8108231313131" + "00000000");
        assertArrayEquals(expected, AdvertCodec.encode(v2(102), SRC4, GROUP4));
    }

    @Test
    void v3Ipv4KnownAnswerIncludesPseudoHeader() {
        // message 3142 6401 0064 c0a8 1082 = 0x166d1; pseudo c0a8 1080 e000 0012 0070 000c = 0x1b1b6
        // total 0x31887 -> folded 0x188a -> complement 0xe775
        byte[] expected = HexFormat.of().parseHex("314264010064e775c0a81082");
        assertArrayEquals(expected, AdvertCodec.encode(v3(100, List.of(VIP4)), SRC4, GROUP4));
    }

    @Test
    void v3ChecksumDependsOnPseudoHeader() {
        byte[] toGroup = AdvertCodec.encode(v3(100, List.of(VIP4)), SRC4, GROUP4);
        byte[] toPeer = AdvertCodec.encode(v3(100, List.of(VIP4)), SRC4, ip("192.168.16.129"));
        assertTrue(toGroup[6] != toPeer[6] || toGroup[7] != toPeer[7], "unicast destination must change the checksum");
        Decoded misaddressed = AdvertCodec.decode(toGroup, SRC4, ip("192.168.16.129"), 255);
        assertEquals(DropReason.CHECKSUM, ((Decoded.Dropped) misaddressed).reason());
    }

    /** Recomputes the v3 checksum from scratch (pseudo-header spelled out here, independent of the codec). */
    static void reChecksum(byte[] wire, InetAddress src, InetAddress dst) {
        wire[6] = 0;
        wire[7] = 0;
        byte[] s = src.getAddress();
        byte[] d = dst.getAddress();
        byte[] pseudo = new byte[s.length == 4 ? 12 : 40];
        System.arraycopy(s, 0, pseudo, 0, s.length);
        System.arraycopy(d, 0, pseudo, s.length, d.length);
        if (s.length == 4) { // src, dst, zero, protocol, 16-bit length
            pseudo[9] = 112;
            pseudo[10] = (byte) (wire.length >> 8);
            pseudo[11] = (byte) wire.length;
        } else { // src, dst, 32-bit length, 3 zero bytes, next header
            pseudo[34] = (byte) (wire.length >> 8);
            pseudo[35] = (byte) wire.length;
            pseudo[39] = 112;
        }
        byte[] all = new byte[pseudo.length + wire.length];
        System.arraycopy(pseudo, 0, all, 0, pseudo.length);
        System.arraycopy(wire, 0, all, pseudo.length, wire.length);
        int sum = 0;
        for (int i = 0; i < all.length; i += 2) {
            sum += (all[i] & 0xff) << 8 | (i + 1 < all.length ? all[i + 1] & 0xff : 0);
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        int checksum = ~sum & 0xffff;
        wire[6] = (byte) (checksum >> 8);
        wire[7] = (byte) checksum;
    }

    @Test
    void independentChecksumAgreesForIpv6() {
        byte[] wire = AdvertCodec.encode(v3(100, List.of(SRC6, ip("2001:db8::1"))), SRC6, GROUP6);
        byte[] redone = wire.clone();
        reChecksum(redone, SRC6, GROUP6);
        assertArrayEquals(redone, wire);
    }

    // --- round trips ---

    @Test
    void v2RoundTrip() {
        Advert advert = new Advert(2, 255, 0, 25500, List.of(VIP4, ip("10.0.0.1"), ip("10.0.0.2")), 1, PASS_1111);
        byte[] wire = AdvertCodec.encode(advert, SRC4, GROUP4);
        assertEquals(8 + 3 * 4 + 8, wire.length);
        assertSameAdvert(advert, ok(AdvertCodec.decode(wire, SRC4, GROUP4, 255)));
    }

    @Test
    void v2WithoutAuthStillCarriesEightZeroBytes() {
        Advert advert = new Advert(2, 1, 255, 100, List.of(VIP4), 0, null);
        byte[] wire = AdvertCodec.encode(advert, SRC4, GROUP4);
        assertEquals(20, wire.length);
        assertArrayEquals(new byte[8], Arrays.copyOfRange(wire, 12, 20));
        assertArrayEquals(new byte[0], ok(AdvertCodec.decode(wire, SRC4, GROUP4, 255)).authData());
    }

    @Test
    void shortPasswordIsZeroPadded() {
        Advert advert = new Advert(2, 1, 100, 100, List.of(VIP4), 1, "ab".getBytes(StandardCharsets.US_ASCII));
        Advert back = ok(AdvertCodec.decode(AdvertCodec.encode(advert, SRC4, GROUP4), SRC4, GROUP4, 255));
        assertArrayEquals(new byte[] {'a', 'b', 0, 0, 0, 0, 0, 0}, back.authData());
    }

    @Test
    void v3Ipv4RoundTrip() {
        Advert advert = v3(4095, List.of(VIP4, ip("10.1.2.3")));
        byte[] wire = AdvertCodec.encode(advert, SRC4, GROUP4);
        assertEquals(8 + 2 * 4, wire.length);
        assertSameAdvert(advert, ok(AdvertCodec.decode(wire, SRC4, GROUP4, 255)));
    }

    @Test
    void v3Ipv6RoundTrip() throws Exception {
        byte[] mapped = HexFormat.of().parseHex("00000000000000000000ffff0a000001"); // ::ffff:10.0.0.1
        List<InetAddress> vips = List.of(ip("fe80::66"), ip("2001:db8::130"), Inet6Address.getByAddress(null, mapped, -1));
        Advert advert = v3(1, vips);
        byte[] wire = AdvertCodec.encode(advert, SRC6, GROUP6);
        assertEquals(8 + 3 * 16, wire.length);
        Advert back = ok(AdvertCodec.decode(wire, SRC6, GROUP6, 255));
        assertSameAdvert(advert, back);
        // an IPv4-mapped address in an IPv6 advert must stay IPv6, or re-encoding would mix families
        assertInstanceOf(Inet6Address.class, back.addresses().get(2));
    }

    @Test
    void v3ReservedBitsAreIgnored() {
        byte[] wire = AdvertCodec.encode(v3(10, List.of(VIP4)), SRC4, GROUP4);
        wire[4] |= (byte) 0xf0;
        reChecksum(wire, SRC4, GROUP4);
        assertEquals(10, ok(AdvertCodec.decode(wire, SRC4, GROUP4, 255)).intervalCs());
    }

    // --- encode validation ---

    @Test
    void v2IntervalMustBeWholeSeconds1To255() {
        for (int cs : new int[] {0, 50, 150, 25600, -100}) {
            Advert advert = new Advert(2, 1, 100, cs, List.of(VIP4), 0, null);
            assertThrows(IllegalArgumentException.class, () -> AdvertCodec.encode(advert, SRC4, GROUP4), "cs=" + cs);
        }
    }

    @Test
    void encodeRejectsWhatTheWireCannotCarry() {
        List<Advert> invalid = List.of(
                v3(0, List.of(VIP4)),
                v3(4096, List.of(VIP4)),
                v3(100, List.of()),
                v3(100, List.of(VIP4, ip("fe80::1"))),
                new Advert(3, 0, 100, 100, List.of(VIP4), 0, null),
                new Advert(3, 66, 256, 100, List.of(VIP4), 0, null),
                new Advert(4, 66, 100, 100, List.of(VIP4), 0, null),
                new Advert(3, 66, 100, 100, List.of(VIP4), 1, PASS_1111),
                new Advert(2, 66, 100, 100, List.of(VIP4), 1, new byte[9]),
                new Advert(2, 66, 100, 100, List.of(VIP4), 2, new byte[8]));
        for (Advert advert : invalid) {
            assertThrows(IllegalArgumentException.class, () -> AdvertCodec.encode(advert, SRC4, GROUP4), advert::toString);
        }
        assertThrows(IllegalArgumentException.class,
                () -> AdvertCodec.encode(new Advert(2, 66, 100, 100, List.of(SRC6), 0, null), SRC6, GROUP6));
        assertThrows(IllegalArgumentException.class,
                () -> AdvertCodec.encode(v3(100, List.of(VIP4)), SRC6, GROUP6));
    }

    // --- drop reasons ---

    static DropReason dropReason(byte[] payload, InetAddress src, InetAddress dst, int ttl) {
        Decoded decoded = AdvertCodec.decode(payload, src, dst, ttl);
        Decoded.Dropped dropped = assertInstanceOf(Decoded.Dropped.class, decoded);
        assertTrue(!dropped.detail().isBlank(), "detail for the log");
        return dropped.reason();
    }

    @Test
    void dropsShortAndLongPackets() {
        byte[] wire = AdvertCodec.encode(v2(100), SRC4, GROUP4);
        assertEquals(DropReason.TRUNCATED, dropReason(new byte[7], SRC4, GROUP4, 255));
        assertEquals(DropReason.TRUNCATED, dropReason(null, SRC4, GROUP4, 255));
        // v2 without its 8 auth bytes: keepalived drops it too
        assertEquals(DropReason.TRUNCATED, dropReason(Arrays.copyOf(wire, 12), SRC4, GROUP4, 255));
        // trailing garbage: the count fixes the length exactly, as in keepalived
        assertEquals(DropReason.TRUNCATED, dropReason(Arrays.copyOf(wire, 24), SRC4, GROUP4, 255));
        byte[] v3 = AdvertCodec.encode(v3(100, List.of(VIP4, VIP4)), SRC4, GROUP4);
        assertEquals(DropReason.TRUNCATED, dropReason(Arrays.copyOf(v3, 12), SRC4, GROUP4, 255));
        Ledger.record("hostile packet", "truncated or oversized VRRP message (decoder)",
                5, "dropped as TRUNCATED, counted");
    }

    @Test
    void dropsWrongTtl() {
        byte[] wire = AdvertCodec.encode(v2(100), SRC4, GROUP4);
        assertEquals(DropReason.TTL, dropReason(wire, SRC4, GROUP4, 254));
        assertEquals(DropReason.TTL, dropReason(wire, SRC4, GROUP4, 64));
        Ledger.record("hostile packet", "TTL other than 255 (decoder)", 2, "dropped as TTL, counted");
    }

    @Test
    void dropsWrongVersionOrType() {
        byte[] wire = AdvertCodec.encode(v3(100, List.of(VIP4)), SRC4, GROUP4);
        for (int versionType : new int[] {0x11, 0x41, 0x32, 0x30}) {
            byte[] bad = wire.clone();
            bad[0] = (byte) versionType;
            assertEquals(DropReason.VERSION, dropReason(bad, SRC4, GROUP4, 255), Integer.toHexString(versionType));
        }
        byte[] v2Over6 = new byte[8 + 16 + 8];
        v2Over6[0] = 0x21;
        v2Over6[3] = 1;
        assertEquals(DropReason.VERSION, dropReason(v2Over6, SRC6, GROUP6, 255));
        Ledger.record("hostile packet", "wrong VRRP version or packet type, v2 over IPv6 (decoder)",
                5, "dropped as VERSION, counted");
    }

    @Test
    void dropsBadChecksumInEveryVariant() {
        byte[][] wires = {
            AdvertCodec.encode(v2(100), SRC4, GROUP4),
            AdvertCodec.encode(v3(100, List.of(VIP4)), SRC4, GROUP4),
            AdvertCodec.encode(v3(100, List.of(SRC6)), SRC6, GROUP6),
        };
        InetAddress[][] ends = {{SRC4, GROUP4}, {SRC4, GROUP4}, {SRC6, GROUP6}};
        for (int i = 0; i < wires.length; i++) {
            byte[] flipped = wires[i].clone();
            flipped[2] ^= 1; // priority
            assertEquals(DropReason.CHECKSUM, dropReason(flipped, ends[i][0], ends[i][1], 255), "variant " + i);
        }
        // the v2 auth bytes are covered too
        byte[] auth = wires[0].clone();
        auth[auth.length - 1] = 'x';
        assertEquals(DropReason.CHECKSUM, dropReason(auth, SRC4, GROUP4, 255));
        // a v3 checksum computed without the pseudo-header (the old, pre-RFC way) is rejected
        byte[] noPseudo = wires[1].clone();
        noPseudo[6] = 0;
        noPseudo[7] = 0;
        int sum = AdvertCodec.checksum(noPseudo, 0);
        noPseudo[6] = (byte) (sum >> 8);
        noPseudo[7] = (byte) sum;
        assertEquals(DropReason.CHECKSUM, dropReason(noPseudo, SRC4, GROUP4, 255));
        Ledger.record("hostile packet", "bad checksum: v2, v3/IPv4, v3/IPv6, auth bytes, v3 without"
                + " pseudo-header (decoder)", 5, "dropped as CHECKSUM, counted");
    }

    @Test
    void dropsBadAddressCountOrFamily() {
        byte[] zero = HexFormat.of().parseHex("31426400006400000000");
        assertEquals(DropReason.ADDRESS_COUNT, dropReason(Arrays.copyOf(zero, 8), SRC4, GROUP4, 255));
        // an IPv4 packet whose length fits 16-byte addresses: IPv6 addresses in an IPv4 advert
        byte[] v6 = AdvertCodec.encode(v3(100, List.of(SRC6)), SRC6, GROUP6);
        assertEquals(DropReason.ADDRESS_COUNT, dropReason(v6, SRC4, GROUP4, 255));
        byte[] v4 = AdvertCodec.encode(v3(100, List.of(VIP4)), SRC4, GROUP4);
        assertEquals(DropReason.ADDRESS_COUNT, dropReason(v4, SRC6, GROUP6, 255));
        assertEquals(DropReason.ADDRESS_COUNT, dropReason(v6, SRC6, GROUP4, 255));
        assertEquals(DropReason.ADDRESS_COUNT, dropReason(v6, null, null, 255));
        Ledger.record("hostile packet", "address count 0 or address family mismatch (decoder)",
                5, "dropped as ADDRESS_COUNT, counted");
    }

    @Test
    void dropsZeroInterval() {
        byte[] wire = AdvertCodec.encode(v3(1, List.of(VIP4)), SRC4, GROUP4);
        wire[5] = 0;
        reChecksum(wire, SRC4, GROUP4);
        assertEquals(DropReason.INTERVAL, dropReason(wire, SRC4, GROUP4, 255));
        Ledger.record("hostile packet", "advert interval 0 (decoder)", 1, "dropped as INTERVAL, counted");
    }

    // --- robustness ---

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(20240521L);
        Map<DropReason, Integer> seen = new EnumMap<>(DropReason.class);
        InetAddress[][] ends = {{SRC4, GROUP4}, {SRC6, GROUP6}, {SRC4, GROUP6}};
        for (int i = 0; i < 100_000; i++) {
            byte[] payload = new byte[random.nextInt(80)];
            random.nextBytes(payload);
            if (random.nextBoolean() && payload.length > 0) {
                payload[0] = (byte) (random.nextBoolean() ? 0x21 : 0x31); // reach the deeper checks more often
            }
            if (payload.length > 3 && random.nextInt(4) == 0) {
                payload[3] = (byte) ((payload.length - 8) / 4); // plausible count, so checksum gets exercised
            }
            InetAddress[] pair = ends[random.nextInt(ends.length)];
            int ttl = random.nextInt(10) == 0 ? random.nextInt(256) : 255;
            Decoded decoded = AdvertCodec.decode(payload, pair[0], pair[1], ttl);
            if (decoded instanceof Decoded.Dropped dropped) {
                seen.merge(dropped.reason(), 1, Integer::sum);
            }
        }
        // the fuzzer really reached each check, not just the first one
        for (DropReason reason : List.of(DropReason.TRUNCATED, DropReason.TTL, DropReason.VERSION,
                DropReason.CHECKSUM, DropReason.ADDRESS_COUNT)) {
            assertTrue(seen.getOrDefault(reason, 0) > 0, reason + " never hit: " + seen);
        }
        Ledger.record("hostile packet", "random bytes as VRRP payload, seeded (decoder)",
                100_000, "no exception; every check reached");
    }

    @Test
    void mutatedValidPacketsNeverThrowAndDecodeConsistently() {
        Random random = new Random(7);
        byte[] base = AdvertCodec.encode(v3(100, List.of(SRC6, ip("2001:db8::1"))), SRC6, GROUP6);
        for (int i = 0; i < 20_000; i++) {
            byte[] mutated = base.clone();
            mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            Decoded decoded = AdvertCodec.decode(mutated, SRC6, GROUP6, 255);
            // one changed byte moves the sum by d or d*256 (0 < |d| < 256), never a multiple of 0xffff
            assertEquals(Arrays.equals(mutated, base), decoded instanceof Decoded.Ok, () -> HexFormat.of().formatHex(mutated));
        }
        Ledger.record("hostile packet", "one byte of a valid v3/IPv6 advert mutated (decoder)",
                20_000, "no exception; every mutation dropped");
    }
}
