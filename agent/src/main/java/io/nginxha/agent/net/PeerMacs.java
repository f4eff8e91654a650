package io.nginxha.agent.net;

import java.io.IOException;
import java.net.Inet4Address;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MAC addresses of unicast peers, so unicast adverts can be put in an Ethernet frame without the kernel.
 * Sources, in order: our own cache (filled by ARP replies the transport captures), the kernel's table in
 * /proc/net/arp, and finally an ARP request of our own. Never blocks the caller: an unknown peer gets the
 * broadcast MAC, which every host on the link accepts, until its reply arrives.
 */
final class PeerMacs {
    private static final Logger log = LoggerFactory.getLogger(PeerMacs.class);
    static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    /** After this long an entry is still used, but a fresh ARP request is sent to confirm it. */
    static final long STALE_NANOS = 30_000_000_000L;

    private record Entry(byte[] mac, long learnedAt) { }

    private final String iface;
    private final Path procArp;
    private final LongSupplier clock;
    private final Consumer<Inet4Address> requester;
    private final Map<Inet4Address, Entry> cache = new ConcurrentHashMap<>();
    private final Map<Inet4Address, Long> lastRequest = new ConcurrentHashMap<>();

    PeerMacs(String iface, Path procArp, LongSupplier clock, Consumer<Inet4Address> requester) {
        this.iface = iface;
        this.procArp = procArp;
        this.clock = clock;
        this.requester = requester;
    }

    /** The peer's MAC, or broadcast while it is unknown. */
    byte[] lookup(Inet4Address peer) {
        long now = clock.getAsLong();
        Entry entry = cache.get(peer);
        if (entry != null && now - entry.learnedAt() < STALE_NANOS) {
            return entry.mac();
        }
        byte[] kernel = readKernelTable().get(peer);
        if (kernel != null) {
            learn(peer, kernel);
            return kernel;
        }
        requestAtMostEverySecond(peer, now);
        if (entry != null) {
            return entry.mac();
        }
        log.debug("MAC of unicast peer {} unknown yet; sending to broadcast", peer.getHostAddress());
        return BROADCAST;
    }

    /** Records a MAC seen in an ARP packet from {@code ip}. */
    void learn(Inet4Address ip, byte[] mac) {
        Entry old = cache.put(ip, new Entry(mac.clone(), clock.getAsLong()));
        if (old == null || !Arrays.equals(old.mac(), mac)) {
            log.debug("unicast peer {} is at {}", ip.getHostAddress(), Macs.format(mac));
        }
    }

    boolean knows(Inet4Address ip) {
        return cache.containsKey(ip);
    }

    /** Start-up only: asks for every peer and waits up to {@code timeoutMillis} for all answers. */
    boolean resolve(Collection<Inet4Address> peers, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        for (Inet4Address peer : peers) {
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

    private void requestAtMostEverySecond(Inet4Address peer, long now) {
        Long last = lastRequest.get(peer);
        if (last == null || now - last >= 1_000_000_000L) {
            lastRequest.put(peer, now);
            requester.accept(peer);
        }
    }

    private Map<Inet4Address, byte[]> readKernelTable() {
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
