package io.nginxha.agent.vrrp;

import java.net.InetAddress;

/**
 * Encodes and decodes the VRRP part of an IP packet (the IP header is the transport's job).
 * Version 3 checksums cover the IPv4/IPv6 pseudo-header, so source and destination are needed.
 */
public final class AdvertCodec {
    private AdvertCodec() { }

    /** The VRRP payload for {@code advert}, checksum filled in. */
    public static byte[] encode(Advert advert, InetAddress source, InetAddress destination) {
        throw new UnsupportedOperationException("codec: being written");
    }

    /**
     * Decodes and runs the packet-level receive checks of RFC 3768 7.1 / RFC 5798 7.1 that do not need the
     * instance's config: TTL (hop limit) 255, version 2 or 3, checksum, length against the address count.
     */
    public static Decoded decode(byte[] payload, InetAddress source, InetAddress destination, int ttl) {
        throw new UnsupportedOperationException("codec: being written");
    }

    /** Either an advert or why the packet was dropped. */
    public sealed interface Decoded {
        record Ok(Advert advert) implements Decoded { }
        record Dropped(DropReason reason, String detail) implements Decoded { }
    }
}
