package io.nginxha.agent.net;

import java.nio.ByteOrder;
import java.util.HexFormat;

/**
 * The byte fixtures of the netlink message tests: hex as strace printed it (spaces and line breaks allowed), and
 * the byte order they were captured in.
 */
final class NetlinkFixtures {
    private static final HexFormat HEX = HexFormat.of();

    private NetlinkFixtures() { }

    static byte[] hex(String s) {
        return HEX.parseHex(s.replaceAll("\\s", ""));
    }

    /** The fixtures were captured on x86_64: netlink's host-order fields are little-endian in them. */
    static boolean capturedByteOrder() {
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    }
}
