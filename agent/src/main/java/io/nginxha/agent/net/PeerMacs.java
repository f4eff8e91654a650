package io.nginxha.agent.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MAC addresses of unicast peers, so unicast adverts can be put in an Ethernet frame without the kernel.
 * Sources, in order: our own cache (filled by the ARP replies or IPv6 Neighbor Advertisements the transport
 * captures), the kernel's table where it has a readable one (/proc/net/arp for IPv4; IPv6 has no such file),
 * and finally a request of our own (ARP request, Neighbor Solicitation). Never blocks the caller: an unknown peer
 * gets the broadcast MAC, which every host on the link accepts, until its reply arrives.
 *
 * @param <A> the peers' address type, Inet4Address or Inet6Address
 */
final class PeerMacs<A extends InetAddress> {
    private static final Logger log = LoggerFactory.getLogger(PeerMacs.class);
    static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    /** After this long an entry is still used, but a fresh ARP request is sent to confirm it. */
    static final long STALE_NANOS = 30_000_000_000L;

    private record Entry(byte[] mac, long learnedAt) { }

    private final String iface;
    private final Supplier<Map<A, byte[]>> kernelTable;
    private final LongSupplier clock;
    private final Consumer<A> requester;
    private final Map<A, Entry> cache = new ConcurrentHashMap<>();
    private final Map<A, Long> lastRequest = new ConcurrentHashMap<>();

    private PeerMacs(String iface, Supplier<Map<A, byte[]>> kernelTable, LongSupplier clock, Consumer<A> requester) {
        this.iface = iface;
        this.kernelTable = kernelTable;
        this.clock = clock;
        this.requester = requester;
    }

    /** IPv4 peers, with the kernel's ARP table in {@code procArp} (/proc/net/arp). */
    static PeerMacs<Inet4Address> ipv4(String iface, Path procArp, LongSupplier clock,
                                        Consumer<Inet4Address> requester) {
        return new PeerMacs<>(iface, () -> readProcArp(procArp, iface), clock, requester);
    }

    /** IPv6 peers: only what their Neighbor Advertisements tell us (the kernel's table needs rtnetlink). */
    static PeerMacs<Inet6Address> ipv6(String iface, LongSupplier clock, Consumer<Inet6Address> requester) {
        return new PeerMacs<>(iface, Map::of, clock, requester);
    }

    /** The peer's MAC, or broadcast while it is unknown. */
    byte[] lookup(A peer) {
        long now = clock.getAsLong();
        Entry entry = cache.get(peer);
        if (entry != null && now - entry.learnedAt() < STALE_NANOS) {
            return entry.mac();
        }
        byte[] kernel = kernelTable.get().get(peer);
        if (kernel != null) {
            learn(peer, kernel);
            return kernel;
        }
        requestAtMostEverySecond(peer, now);
        if (entry != null) {
            return entry.mac();
        }
        log.debug("{}: MAC of unicast peer {} unknown yet; sending to broadcast", iface, peer.getHostAddress());
        return BROADCAST;
    }

    /** Records a MAC seen in an ARP packet from {@code ip}. */
    void learn(A ip, byte[] mac) {
        Entry old = cache.put(ip, new Entry(mac.clone(), clock.getAsLong()));
        if (old == null || !Arrays.equals(old.mac(), mac)) {
            log.debug("unicast peer {} is at {}", ip.getHostAddress(), Macs.format(mac));
        }
    }

    boolean knows(A ip) {
        return cache.containsKey(ip);
    }

    /** Start-up only: asks for every peer and waits up to {@code timeoutMillis} for all answers. */
    boolean resolve(Collection<A> peers, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        for (A peer : peers) {
            lookup(peer);
        }
        while (true) {
            if (peers.stream().allMatch(this::knows)) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(10);
        }
    }

    private void requestAtMostEverySecond(A peer, long now) {
        Long last = lastRequest.get(peer);
        if (last == null || now - last >= 1_000_000_000L) {
            lastRequest.put(peer, now);
            requester.accept(peer);
        }
    }

    private static Map<Inet4Address, byte[]> readProcArp(Path procArp, String iface) {
        try {
            return parseProcArp(Files.readString(procArp), iface);
        } catch (IOException e) {
            return Map.of();
        }
    }

    /** The complete entries (flag 0x2) for {@code iface} in the text of /proc/net/arp. */
    static Map<Inet4Address, byte[]> parseProcArp(String text, String iface) {
        Map<Inet4Address, byte[]> result = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || !f[5].equals(iface) || !f[0].matches("[0-9.]+")) {
                continue;
            }
            int flags = Integer.decode(f[2]);
            byte[] mac = Macs.parse(f[3]);
            if ((flags & 0x2) == 0 || mac == null || Arrays.equals(mac, new byte[6])) {
                continue;
            }
            try {
                result.put((Inet4Address) InetAddress.getByName(f[0]), mac);
            } catch (UnknownHostException | ClassCastException e) {
                // a numeric IPv4 literal never fails to parse; skip anything odd
            }
        }
        return result;
    }
}
