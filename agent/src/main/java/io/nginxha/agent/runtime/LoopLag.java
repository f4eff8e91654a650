package io.nginxha.agent.runtime;

import io.nginxha.agent.status.LoopLagStatus;

/**
 * The loop's lateness meter, owned by the loop's thread: {@link #record} is on the advert path (every timer fired,
 * every packet taken), so it only adds to arrays made once, with no allocation and no lock. Snapshots are made on
 * the loop too (a status request is an input), so they see a consistent histogram.
 */
final class LoopLag {
    /** 50 us to 1 s: timer slack and wake-up latency at the low end, the 36 ms down interval of advert_int 0.01 in the middle. */
    static final long[] BOUNDS_NANOS = {
        50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000,
        100_000_000, 250_000_000, 1_000_000_000};

    private final long[] counts = new long[BOUNDS_NANOS.length + 1];
    private long sum;
    private long max;

    /** One lag in nanoseconds; a negative one (a timer taken early, clocks of two threads) counts as none. */
    void record(long lagNanos) {
        long lag = Math.max(0, lagNanos);
        int i = 0;
        while (i < BOUNDS_NANOS.length && lag > BOUNDS_NANOS[i]) {
            i++;
        }
        counts[i]++;
        sum += lag;
        if (lag > max) {
            max = lag;
        }
    }

    LoopLagStatus snapshot() {
        long[] cumulative = new long[counts.length];
        long running = 0;
        for (int i = 0; i < counts.length; i++) {
            running += counts[i];
            cumulative[i] = running;
        }
        return new LoopLagStatus(BOUNDS_NANOS, cumulative, sum, max);
    }
}
