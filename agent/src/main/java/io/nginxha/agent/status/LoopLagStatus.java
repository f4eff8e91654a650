package io.nginxha.agent.status;

import java.util.Arrays;

/**
 * How late the agent's loop acted, since start: a histogram of the lag of each timer it fired (past its deadline)
 * and of each input it took (after the capture or check thread queued it). A long lag is a pause the loop suffered
 * (scheduling, GC, a slow action); at advert_int 0.01 a backup takes over after ~36 ms of silence, so the tail of
 * this histogram is what says whether an interval holds on this host.
 *
 * @param boundsNanos      upper bounds of the buckets, ascending (the last bucket, +Inf, is implied)
 * @param cumulativeCounts observations at or under each bound, then the total (length bounds + 1)
 * @param sumNanos         sum of all lags
 * @param maxNanos         the longest lag seen
 */
public record LoopLagStatus(long[] boundsNanos, long[] cumulativeCounts, long sumNanos, long maxNanos) {
    public static final LoopLagStatus NONE = new LoopLagStatus(new long[0], new long[] {0}, 0, 0);

    public LoopLagStatus {
        boundsNanos = boundsNanos.clone();
        cumulativeCounts = cumulativeCounts.clone();
        if (cumulativeCounts.length != boundsNanos.length + 1) {
            throw new IllegalArgumentException("one count per bound and the total: " + boundsNanos.length + " bounds, "
                    + cumulativeCounts.length + " counts");
        }
    }

    public long count() {
        return cumulativeCounts[cumulativeCounts.length - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoopLagStatus l && Arrays.equals(boundsNanos, l.boundsNanos)
                && Arrays.equals(cumulativeCounts, l.cumulativeCounts) && sumNanos == l.sumNanos && maxNanos == l.maxNanos;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(boundsNanos) + Arrays.hashCode(cumulativeCounts);
    }

    @Override
    public String toString() {
        return "LoopLagStatus[count=" + count() + ", max=" + maxNanos + " ns]";
    }
}
