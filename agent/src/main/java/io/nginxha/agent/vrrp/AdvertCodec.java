package io.nginxha.agent.vrrp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes and decodes the VRRP part of an IP packet (the IP header is the transport's job).
 * Version 3 checksums cover the IPv4/IPv6 pseudo-header, so source and destination are needed.
 *
 * <p>Wire layouts (all multi-byte fields big endian):
 * <pre>
 * v2 (RFC 3768): ver|type, vrid, priority, count, auth type, interval (s), checksum, count*4 addr, 8 auth bytes
 * v3 (RFC 5798): ver|type, vrid, priority, count, rsvd(4)|max interval (cs, 12 bits), checksum, count*4|16 addr
 * </pre>
 *
 * <p>Length policy matches keepalived 2.2.7 ({@code vrrp_check_packet}): the VRRP message must be exactly as long
 * as its address count implies, and a v2 message always carries its 8 authentication bytes, even with auth type
 * 0. Anything shorter or longer is dropped; Ethernet padding must already have been cut off by the IP layer
 * (the IP total length), which {@code Frames.parseIp} does.
 */
public final class AdvertCodec {
    /** IANA protocol number of VRRP, used in the v3 pseudo-header. */
    public static final int PROTOCOL = 112;
    /** Required TTL / hop limit of a received advert. */
    public static final int TTL = 255;
    /** Maximum v3 advert interval: the field is 12 bits wide. */
    public static final int MAX_V3_INTERVAL_CS = 0x0fff;

    private static final int HEADER_LEN = 8;
    private static final int AUTH_LEN = 8;
    private static final int TYPE_ADVERTISEMENT = 1;

    private AdvertCodec() { }

    /**
     * The VRRP payload for {@code advert}, checksum filled in.
     *
     * @throws IllegalArgumentException if the advert cannot be put on the wire: v2 interval not whole seconds in
     *         1..255, v3 interval outside 1..4095 cs, no or more than 255 addresses, mixed address families, IPv6
     *         with v2, or source/destination family differing from the addresses' family
     */
    public static byte[] encode(Advert advert, InetAddress source, InetAddress destination) {
        validate(advert, source, destination);
        boolean v2 = advert.version() == 2;
        int addrLen = advert.addresses().get(0).getAddress().length;
        int count = advert.addresses().size();
        byte[] out = new byte[HEADER_LEN + count * addrLen + (v2 ? AUTH_LEN : 0)];
        out[0] = (byte) (advert.version() << 4 | TYPE_ADVERTISEMENT);
        out[1] = (byte) advert.vrid();
        out[2] = (byte) advert.priority();
        out[3] = (byte) count;
        if (v2) {
            out[4] = (byte) advert.authType();
            out[5] = (byte) (advert.intervalCs() / 100);
        } else {
            out[4] = (byte) (advert.intervalCs() >> 8);
            out[5] = (byte) advert.intervalCs();
        }
        int at = HEADER_LEN;
        for (InetAddress address : advert.addresses()) {
            System.arraycopy(address.getAddress(), 0, out, at, addrLen);
            at += addrLen;
        }
        if (v2 && advert.authType() != 0) {
            byte[] auth = advert.authData();
            System.arraycopy(auth, 0, out, at, auth.length);
        }
        int sum = v2 ? checksum(out, 0) : checksum(out, pseudoHeaderSum(source, destination, out.length));
        out[6] = (byte) (sum >> 8);
        out[7] = (byte) sum;
        return out;
    }

    private static void validate(Advert advert, InetAddress source, InetAddress destination) {
        if (advert.version() != 2 && advert.version() != 3) {
            throw new IllegalArgumentException("version must be 2 or 3, not " + advert.version());
        }
        requireRange("vrid", advert.vrid(), 1, 255);
        requireRange("priority", advert.priority(), 0, 255);
        List<InetAddress> addresses = advert.addresses();
        if (addresses.isEmpty() || addresses.size() > 255) {
            throw new IllegalArgumentException("an advert carries 1..255 addresses, not " + addresses.size());
        }
        boolean ipv6 = addresses.get(0) instanceof Inet6Address;
        for (InetAddress address : addresses) {
            if ((address instanceof Inet6Address) != ipv6) {
                throw new IllegalArgumentException("addresses mix IPv4 and IPv6: " + addresses);
            }
        }
        if ((source instanceof Inet6Address) != ipv6 || (destination instanceof Inet6Address) != ipv6) {
            throw new IllegalArgumentException("source " + source + " / destination " + destination
                    + " do not match the address family of " + addresses);
        }
        if (advert.version() == 2) {
            if (ipv6) {
                throw new IllegalArgumentException("VRRPv2 carries IPv4 addresses only");
            }
            int cs = advert.intervalCs();
            if (cs % 100 != 0 || cs < 100 || cs > 255 * 100) {
                throw new IllegalArgumentException("VRRPv2 interval must be whole seconds 1..255, not " + cs + " cs");
            }
            requireRange("v2 auth type", advert.authType(), 0, 1);
            if (advert.authData().length > AUTH_LEN) {
                throw new IllegalArgumentException("auth data longer than 8 bytes");
            }
        } else {
            requireRange("v3 interval (cs)", advert.intervalCs(), 1, MAX_V3_INTERVAL_CS);
            if (advert.authType() != 0) {
                throw new IllegalArgumentException("VRRPv3 has no authentication, auth type must be 0");
            }
        }
    }

    private static void requireRange(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be " + min + ".." + max + ", not " + value);
        }
    }

    /**
     * Decodes and runs the packet-level receive checks of RFC 3768 7.1 / RFC 5798 7.1 that do not need the
     * instance's config: TTL (hop limit) 255, version 2 or 3, checksum, length against the address count.
     * Never throws; anything unusable comes back as {@link Decoded.Dropped}.
     *
     * <p>Checks in order: {@code TRUNCATED} (no full header), {@code TTL}, {@code VERSION} (not 2/3, type not
     * advertisement, v2 over IPv6), {@code ADDRESS_COUNT} (count 0, source/destination families differ, or the
     * length fits the count only with the other family's address size), {@code TRUNCATED} (length not exactly
     * what the count implies), {@code CHECKSUM}, {@code INTERVAL} (zero interval, which no sender may use).
     * Auth type/password, VRID, interval mismatch and address list are the instance's checks.
     */
    public static Decoded decode(byte[] payload, InetAddress source, InetAddress destination, int ttl) {
        if (payload == null || payload.length < HEADER_LEN) {
            return drop(DropReason.TRUNCATED, "VRRP message of " + (payload == null ? 0 : payload.length)
                    + " bytes is shorter than the 8-byte header");
        }
        if (ttl != TTL) {
            return drop(DropReason.TTL, "TTL/hop limit " + ttl + ", must be 255");
        }
        int version = (payload[0] & 0xff) >> 4;
        int type = payload[0] & 0x0f;
        if (version != 2 && version != 3) {
            return drop(DropReason.VERSION, "VRRP version " + version + ", expected 2 or 3");
        }
        if (type != TYPE_ADVERTISEMENT) {
            return drop(DropReason.VERSION, "VRRP packet type " + type + ", only 1 (advertisement) exists");
        }
        boolean ipv6 = source instanceof Inet6Address;
        if (!(source instanceof Inet4Address || ipv6) || ipv6 != (destination instanceof Inet6Address)
                || destination == null) {
            return drop(DropReason.ADDRESS_COUNT, "source " + source + " and destination " + destination
                    + " are not one address family");
        }
        if (version == 2 && ipv6) {
            return drop(DropReason.VERSION, "VRRPv2 over IPv6 does not exist");
        }
        int count = payload[3] & 0xff;
        if (count == 0) {
            return drop(DropReason.ADDRESS_COUNT, "address count is 0");
        }
        int addrLen = ipv6 ? 16 : 4;
        int trailer = version == 2 ? AUTH_LEN : 0;
        int expected = HEADER_LEN + count * addrLen + trailer;
        if (payload.length != expected) {
            int otherFamily = HEADER_LEN + count * (ipv6 ? 4 : 16) + trailer;
            if (version == 3 && payload.length == otherFamily) {
                return drop(DropReason.ADDRESS_COUNT, count + " addresses of " + (ipv6 ? "IPv4" : "IPv6")
                        + " size in an " + (ipv6 ? "IPv6" : "IPv4") + " packet");
            }
            return drop(DropReason.TRUNCATED, "VRRPv" + version + " message of " + payload.length
                    + " bytes, " + count + " addresses imply " + expected);
        }
        int sum = version == 2 ? checksum(payload, 0)
                : checksum(payload, pseudoHeaderSum(source, destination, payload.length));
        if (sum != 0) {
            int carried = (payload[6] & 0xff) << 8 | (payload[7] & 0xff);
            return drop(DropReason.CHECKSUM, String.format("VRRPv%d checksum 0x%04x does not verify%s", version,
                    carried, version == 3 ? " (v3 checksum includes the IP pseudo-header)" : ""));
        }
        int intervalCs = version == 2 ? (payload[5] & 0xff) * 100
                : ((payload[4] & 0x0f) << 8 | (payload[5] & 0xff));
        if (intervalCs == 0) {
            return drop(DropReason.INTERVAL, "advert interval 0");
        }
        List<InetAddress> addresses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int from = HEADER_LEN + i * addrLen;
            addresses.add(address(Arrays.copyOfRange(payload, from, from + addrLen)));
        }
        int authType = version == 2 ? payload[4] & 0xff : 0;
        byte[] authData = authType == 0 ? new byte[0]
                : Arrays.copyOfRange(payload, payload.length - AUTH_LEN, payload.length);
        return new Decoded.Ok(new Advert(version, payload[1] & 0xff, payload[2] & 0xff, intervalCs,
                addresses, authType, authData));
    }

    private static Decoded drop(DropReason reason, String detail) {
        return new Decoded.Dropped(reason, detail);
    }

    /** Keeps 16 bytes an IPv6 address even when IPv4-mapped, which {@code InetAddress.getByAddress} would not. */
    private static InetAddress address(byte[] raw) {
        try {
            return raw.length == 16 ? Inet6Address.getByAddress(null, raw, -1) : InetAddress.getByAddress(raw);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("4 or 16 bytes are always an address", impossible);
        }
    }

    /**
     * Unfolded one's complement sum of the pseudo-header: IPv4 (RFC 5798 5.2.8 / RFC 768 style: src, dst, zero,
     * protocol, 16-bit length) or IPv6 (RFC 8200 8.1: src, dst, 32-bit length, zeros, next header).
     */
    private static long pseudoHeaderSum(InetAddress source, InetAddress destination, int length) {
        long sum = sumWords(source.getAddress()) + sumWords(destination.getAddress());
        return sum + PROTOCOL + length; // both layouts put these in the low 16 bits of a word
    }

    private static long sumWords(byte[] bytes) {
        long sum = 0;
        for (int i = 0; i < bytes.length; i += 2) {
            sum += (bytes[i] & 0xff) << 8 | (i + 1 < bytes.length ? bytes[i + 1] & 0xff : 0);
        }
        return sum;
    }

    /**
     * Internet checksum (RFC 1071) of {@code bytes} plus an initial partial sum. Over a message whose checksum
     * field is zero it yields the value to store; over a message with a correct checksum it yields 0.
     */
    static int checksum(byte[] bytes, long initial) {
        long sum = initial + sumWords(bytes);
        while (sum >> 16 != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** Either an advert or why the packet was dropped. */
    public sealed interface Decoded {
        /** A well-formed advert, still to be checked against the instance's config. */
        record Ok(Advert advert) implements Decoded { }

        /** A discarded packet; {@code detail} is for the log. */
        record Dropped(DropReason reason, String detail) implements Decoded { }
    }
}
