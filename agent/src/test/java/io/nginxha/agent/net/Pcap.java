package io.nginxha.agent.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The classic libpcap file format, just enough for tests: Ethernet (link type 1) frames in and out.
 * Layout: 24-byte file header (magic, version 2.4, zone, sigfigs, snaplen, link type), then per frame a 16-byte
 * record header (seconds, micro- or nanoseconds, captured length, original length) and the bytes.
 */
final class Pcap {
    static final int LINKTYPE_ETHERNET = 1;
    private static final int MAGIC_MICROS = 0xa1b2c3d4;
    private static final int MAGIC_NANOS = 0xa1b23c4d;

    private Pcap() { }

    static void write(Path file, List<byte[]> frames) throws IOException {
        int size = 24 + frames.stream().mapToInt(f -> 16 + f.length).sum();
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC_MICROS).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(65535).putInt(LINKTYPE_ETHERNET);
        int second = 1_700_000_000;
        for (byte[] frame : frames) {
            out.putInt(second++).putInt(0).putInt(frame.length).putInt(frame.length).put(frame);
        }
        Files.write(file, out.array());
    }

    /** The frames of a classic pcap file of either byte order; fails on pcapng or a non-Ethernet link type. */
    static List<byte[]> read(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int magic = in.getInt(0);
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            in.order(ByteOrder.BIG_ENDIAN);
            magic = in.getInt(0);
        }
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            throw new IOException(file + " is not a classic pcap file (magic " + Integer.toHexString(magic) + ")");
        }
        int linkType = in.getInt(20);
        if (linkType != LINKTYPE_ETHERNET) {
            throw new IOException(file + " has link type " + linkType + ", expected Ethernet");
        }
        List<byte[]> frames = new ArrayList<>();
        int at = 24;
        while (at + 16 <= in.limit()) {
            int captured = in.getInt(at + 8);
            int start = at + 16;
            if (captured < 0 || start + captured > in.limit()) {
                throw new IOException(file + ": record at " + at + " runs past the end");
            }
            frames.add(Arrays.copyOfRange(in.array(), start, start + captured));
            at = start + captured;
        }
        return frames;
    }
}
