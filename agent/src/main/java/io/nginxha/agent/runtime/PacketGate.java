package io.nginxha.agent.runtime;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What stands between the capture threads and the loop's queue, so that a flood of adverts can neither run the
 * agent out of memory nor crowd out the adverts of the real master. Two bounds: at most {@link #MAX_QUEUED} packets
 * wait for the loop, and each source address may send {@link #PER_SOURCE_PER_SECOND} a second (with a burst of as
 * many), far above what a router sends (100 a second at the shortest VRRPv3 interval) and far below a flood. What
 * either bound turns away is counted, never queued. Called on the capture threads; the loop tells it when it took
 * a packet off the queue.
 */
final class PacketGate {
    static final int MAX_QUEUED = 1024;
    static final int PER_SOURCE_PER_SECOND = 500;
    /** Sources remembered for the rate bound; the oldest is forgotten first (a spoofing flood cannot grow it). */
    static final int MAX_SOURCES = 256;
    private static final long SECOND = 1_000_000_000L;

    private final AtomicInteger queued = new AtomicInteger();
    private final Map<InetAddress, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
            return size() > MAX_SOURCES;
        }
    };

    /** Tokens of one source, refilled with time. */
    private static final class Bucket {
        double tokens = PER_SOURCE_PER_SECOND;
        long lastNanos;

        Bucket(long now) {
            lastNanos = now;
        }
    }

    /** Whether a packet from {@code source} at {@code nowNanos} may be queued; if so it counts as queued. */
    boolean admit(InetAddress source, long nowNanos) {
        synchronized (buckets) {
            Bucket b = buckets.computeIfAbsent(source, s -> new Bucket(nowNanos));
            long elapsed = nowNanos - b.lastNanos;
            if (elapsed > 0) {
                b.tokens = Math.min(PER_SOURCE_PER_SECOND, b.tokens + (double) elapsed * PER_SOURCE_PER_SECOND / SECOND);
                b.lastNanos = nowNanos;
            }
            if (b.tokens < 1) {
                return false;
            }
            if (queued.incrementAndGet() > MAX_QUEUED) {
                queued.decrementAndGet();
                return false;
            }
            b.tokens -= 1;
            return true;
        }
    }

    int sourcesRemembered() {
        synchronized (buckets) {
            return buckets.size();
        }
    }

    /** The loop took one admitted packet off the queue. */
    void taken() {
        queued.decrementAndGet();
    }
}
