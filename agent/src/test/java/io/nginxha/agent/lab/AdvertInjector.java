package io.nginxha.agent.lab;

import io.nginxha.agent.net.Frames;
import io.nginxha.agent.vrrp.Advert;
import io.nginxha.agent.vrrp.AdvertCodec;
import io.nginxha.agent.vrrp.DropReason;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;

/**
 * Sends crafted VRRP frames at the lab's routers for {@link HostileIT}, from a namespace on the lab's bridge
 * (started as {@code ip netns exec NS java -cp ... AdvertInjector IFACE}). Reads commands on stdin, one a line:
 * {@code KIND COUNT DST DST_MAC [GAP_MS]} (DST_MAC {@code -} for a multicast DST), sends COUNT frames GAP_MS
 * (default 1) ms apart and answers {@code SENT KIND COUNT} on stdout once the last is out. Each frame is a valid advert for the lab's
 * VRID 66 with priority 254 (so that it would win if it were accepted) from this namespace's address, then spoiled
 * as {@link Kind} says; the ROGUE kinds are not spoiled at all (a host that knows the password).
 * {@code FLOOD KIND MS DST DST_MAC} sends KIND as fast as the interface takes it for MS ms, each frame from another
 * spoofed source address in 10.66.0.0/16 (so no per-source bound applies), and answers {@code FLOODED N}.
 */
public final class AdvertInjector {
    static final int VRID = 66;
    static final byte[] PASSWORD = {'1', '1', '1', '1', 0, 0, 0, 0};

    /** What is wrong with the advert, in words, and the check that must refuse it. */
    public enum Kind {
        WRONG_PASSWORD("wrong password (PASS 2222, priority 254)", DropReason.AUTH_PASSWORD),
        NO_AUTHENTICATION("no authentication where PASS is configured", DropReason.AUTH_TYPE),
        WRONG_VRID("VRID 67 instead of 66", DropReason.VRID),
        TTL_64("IP TTL 64 instead of 255 (IP checksum right)", DropReason.TTL),
        BAD_CHECKSUM("VRRP checksum wrong", DropReason.CHECKSUM),
        TRUNCATED("truncated to 10 bytes", DropReason.TRUNCATED),
        COUNT_BEYOND_PACKET("announces 20 addresses, carries 1", DropReason.TRUNCATED),
        OVERLONG("1400-byte advert for 1 address (trailing junk)", DropReason.TRUNCATED),
        ADDRESSES_255("255 addresses where 1 is configured", DropReason.ADDRESS_COUNT),
        VERSION_4("VRRP version 4", DropReason.VERSION),
        VERSION_3("VRRPv3 advert to a v2 instance", DropReason.VERSION),
        WRONG_INTERVAL("advert interval 2 s instead of 1 s", DropReason.INTERVAL),
        /** From an address that is not a configured unicast peer; valid otherwise. */
        STRANGER_PRIORITY_255("priority 255 from an address that is not a unicast peer", DropReason.NOT_A_PEER),
        /** A rogue host that knows the password: VRRPv2, priority 255, the pair's 1 s interval. Accepted. */
        ROGUE_V2_255("rogue VRRPv2 router with the right password, priority 255, interval 1 s", null),
        /** A rogue VRRPv3 router claiming priority 255 and the longest interval, 40.95 s. Accepted. */
        ROGUE_V3_255_LONGEST_INTERVAL("rogue VRRPv3 router, priority 255, interval 40.95 s", null);

        public final String description;
        public final DropReason reason;

        Kind(String description, DropReason reason) {
            this.description = description;
            this.reason = reason;
        }
    }

    private AdvertInjector() { }

    public static void main(String[] args) throws Exception {
        NetworkInterface nic = NetworkInterface.getByName(args[0]);
        byte[] mac = nic.getHardwareAddress();
        InetAddress self = nic.getInterfaceAddresses().stream().map(InterfaceAddress::getAddress)
                .filter(a -> a instanceof Inet4Address).findFirst().orElseThrow();
        InetAddress vip = InetAddress.getByName(NetnsLab.VIP);
        try (PcapHandle handle = new PcapHandle.Builder(args[0]).snaplen(2048)
                .promiscuousMode(PromiscuousMode.NONPROMISCUOUS).timeoutMillis(100).build()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            System.out.println("READY");
            System.out.flush();
            for (String line; (line = in.readLine()) != null; ) {
                String[] f = line.strip().split(" ");
                if (f[0].equals("FLOOD")) {
                    flood(handle, Kind.valueOf(f[1]), Long.parseLong(f[2]), f[3], f[4], mac, vip);
                    continue;
                }
                Kind kind = Kind.valueOf(f[0]);
                int count = Integer.parseInt(f[1]);
                InetAddress dst = InetAddress.getByName(f[2]);
                byte[] dstMac = f[3].equals("-") ? Frames.multicastMac(dst)
                        : HexFormat.ofDelimiter(":").parseHex(f[3]);
                byte[] frame = frame(kind, mac, dstMac, self, dst, vip);
                long gap = f.length > 4 ? Long.parseLong(f[4]) : 1;
                for (int i = 0; i < count; i++) {
                    handle.sendPacket(frame);
                    if (i + 1 < count) {
                        Thread.sleep(gap); // none after the last, so SENT comes when it is out
                    }
                }
                System.out.println("SENT " + kind + " " + count);
                System.out.flush();
            }
        }
    }

    /** FLOOD: frames from 4096 spoofed sources in turn, as fast as pcap sends, for {@code ms}. */
    private static void flood(PcapHandle handle, Kind kind, long ms, String dstText, String dstMacText, byte[] mac,
                              InetAddress vip) throws Exception {
        InetAddress dst = InetAddress.getByName(dstText);
        byte[] dstMac = dstMacText.equals("-") ? Frames.multicastMac(dst) : HexFormat.ofDelimiter(":").parseHex(dstMacText);
        byte[][] frames = new byte[4096][];
        for (int i = 0; i < frames.length; i++) {
            InetAddress src = InetAddress.getByAddress(new byte[] {10, 66, (byte) (i >> 8), (byte) i});
            frames[i] = frame(kind, mac, dstMac, src, dst, vip);
        }
        long end = System.nanoTime() + ms * 1_000_000L;
        long sent = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 64; i++) {
                handle.sendPacket(frames[(int) (sent++ % frames.length)]);
            }
        }
        System.out.println("FLOODED " + sent);
        System.out.flush();
    }

    private static Advert advert(int version, int vrid, int priority, int intervalCs, List<InetAddress> addresses,
                         int authType, byte[] auth) {
        return new Advert(version, vrid, priority, intervalCs, addresses, authType, auth);
    }

    /** The whole Ethernet frame for one advert of {@code kind}. */
    static byte[] frame(Kind kind, byte[] srcMac, byte[] dstMac, InetAddress src, InetAddress dst, InetAddress vip)
            throws Exception {
        List<InetAddress> vips = List.of(vip);
        Advert good = advert(2, VRID, 254, 100, vips, 1, PASSWORD);
        byte[] payload = switch (kind) {
            case WRONG_PASSWORD -> AdvertCodec.encode(advert(2, VRID, 254, 100, vips, 1,
                    new byte[] {'2', '2', '2', '2', 0, 0, 0, 0}), src, dst);
            case NO_AUTHENTICATION -> AdvertCodec.encode(advert(2, VRID, 254, 100, vips, 0, new byte[0]), src, dst);
            case WRONG_VRID -> AdvertCodec.encode(advert(2, VRID + 1, 254, 100, vips, 1, PASSWORD), src, dst);
            case TTL_64, STRANGER_PRIORITY_255 -> AdvertCodec.encode(kind == Kind.TTL_64 ? good
                    : advert(2, VRID, 255, 100, vips, 1, PASSWORD), src, dst);
            case BAD_CHECKSUM -> {
                byte[] p = AdvertCodec.encode(good, src, dst);
                p[7] ^= 0x5a;
                yield p;
            }
            case TRUNCATED -> Arrays.copyOf(AdvertCodec.encode(good, src, dst), 10);
            case COUNT_BEYOND_PACKET -> {
                byte[] p = AdvertCodec.encode(good, src, dst);
                p[3] = 20; // 20 addresses announced, 1 carried
                yield withChecksum(p);
            }
            case OVERLONG -> withChecksum(Arrays.copyOf(AdvertCodec.encode(good, src, dst), 1400));
            case ADDRESSES_255 -> {
                List<InetAddress> many = new ArrayList<>(vips);
                for (int i = 1; many.size() < 255; i++) { // 192.0.2.0/24: documentation addresses
                    many.add(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) i}));
                }
                yield AdvertCodec.encode(advert(2, VRID, 254, 100, many, 1, PASSWORD), src, dst);
            }
            case VERSION_4 -> {
                byte[] p = AdvertCodec.encode(good, src, dst);
                p[0] = 0x41;
                yield withChecksum(p);
            }
            case VERSION_3 -> AdvertCodec.encode(advert(3, VRID, 254, 100, vips, 0, new byte[0]), src, dst);
            case WRONG_INTERVAL -> AdvertCodec.encode(advert(2, VRID, 254, 200, vips, 1, PASSWORD), src, dst);
            case ROGUE_V2_255 -> AdvertCodec.encode(advert(2, VRID, 255, 100, vips, 1, PASSWORD), src, dst);
            case ROGUE_V3_255_LONGEST_INTERVAL -> AdvertCodec.encode(advert(3, VRID, 255, 4095, vips, 0,
                    new byte[0]), src, dst);
        };
        byte[] frame = Frames.vrrp(srcMac, dstMac, src, dst, payload);
        if (kind == Kind.TTL_64) {
            setTtl(frame, 64);
        }
        return frame;
    }

    /** A new TTL and a correct IPv4 header checksum, so that only the TTL is wrong. */
    static void setTtl(byte[] frame, int ttl) {
        int ip = 14;
        frame[ip + 8] = (byte) ttl;
        frame[ip + 10] = 0;
        frame[ip + 11] = 0;
        int sum = internetChecksum(frame, ip, 20);
        frame[ip + 10] = (byte) (sum >> 8);
        frame[ip + 11] = (byte) sum;
    }

    /** The VRRPv2 checksum (over the VRRP message alone) recomputed after a change, so that only the change is wrong. */
    static byte[] withChecksum(byte[] vrrp) {
        vrrp[6] = 0;
        vrrp[7] = 0;
        int sum = internetChecksum(vrrp, 0, vrrp.length);
        vrrp[6] = (byte) (sum >> 8);
        vrrp[7] = (byte) sum;
        return vrrp;
    }

    /** RFC 1071. */
    static int internetChecksum(byte[] bytes, int from, int length) {
        long sum = 0;
        for (int i = from; i < from + length; i += 2) {
            sum += (bytes[i] & 0xff) << 8 | (i + 1 < from + length ? bytes[i + 1] & 0xff : 0);
        }
        while (sum >> 16 != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
