package io.nginxha.agent.vrrp;

import io.nginxha.agent.config.GarpConfig;

/**
 * The gratuitous ARP timers of a master (garp_master_delay, garp_master_refresh, garp_lower_prio_delay), as
 * deadlines in monotonic nanos. Pure; {@link Instance} arms them and asks how large the burst due now is.
 */
final class MasterGarps {
    private static final long NONE = Long.MAX_VALUE;

    private final GarpConfig garp;
    private long delayDeadline = NONE;
    private long refreshDeadline = NONE;
    private long lowerPrioDeadline = NONE;

    MasterGarps(GarpConfig garp) {
        this.garp = garp;
    }

    /** Becoming master: the second burst after garp_master_delay, and the refreshes. */
    void becameMaster(long now) {
        if (garp.masterDelaySec() > 0) {
            delayDeadline = now + Timers.secondsToNanos(garp.masterDelaySec());
        }
        if (garp.masterRefreshSec() > 0) {
            refreshDeadline = now + Timers.secondsToNanos(garp.masterRefreshSec());
        }
    }

    /** A lower-priority advert was answered with a burst: one more after garp_lower_prio_delay. */
    void lowerPrioAnswered(long now) {
        if (garp.lowerPrioDelaySec() > 0) {
            lowerPrioDeadline = now + Timers.secondsToNanos(garp.lowerPrioDelaySec());
        }
    }

    long nextDeadline() {
        return Math.min(delayDeadline, Math.min(refreshDeadline, lowerPrioDeadline));
    }

    /**
     * A burst later than this (the loop fires timers within milliseconds) means the agent was stalled (SIGSTOP, a
     * paused VM, a JVM starved of CPU)...
     */
    static final long STALE_NANOS = 100_000_000L;
    /** ...and waits this much more, so that what reached the host during the stall is read first. */
    static final long GRACE_NANOS = 200_000_000L;

    /**
     * The GARPs due at {@code now}, 0 for none. Timers due together make one burst, as large as the largest.
     *
     * <p>A burst overdue by more than {@link #STALE_NANOS} is put off by {@link #GRACE_NANOS}: after a stall the
     * loop runs its overdue timers before the capture threads have handed over the adverts that arrived meanwhile,
     * and one of them may be from the better master, back while we were stopped. Sent first, our ARP would pull the
     * clients to a host that is about to step down and drop the VIP (FaultsIT's stalled new master); put off, the
     * step-down disarms it. A master that hears nobody sends it {@link #GRACE_NANOS} later.
     */
    int due(long now) {
        delayDeadline = graced(delayDeadline, now);
        lowerPrioDeadline = graced(lowerPrioDeadline, now);
        refreshDeadline = graced(refreshDeadline, now);
        int garps = 0;
        if (delayDeadline <= now) {
            delayDeadline = NONE;
            garps = Math.max(garps, garp.masterRepeat());
        }
        if (lowerPrioDeadline <= now) {
            lowerPrioDeadline = NONE;
            garps = Math.max(garps, garp.lowerPrioRepeat());
        }
        if (refreshDeadline <= now) {
            refreshDeadline = now + Timers.secondsToNanos(garp.masterRefreshSec());
            garps = Math.max(garps, garp.masterRefreshRepeat());
        }
        return garps;
    }

    private static long graced(long deadline, long now) {
        return deadline != NONE && now - deadline > STALE_NANOS ? now + GRACE_NANOS : deadline;
    }

    void disarm() {
        delayDeadline = NONE;
        refreshDeadline = NONE;
        lowerPrioDeadline = NONE;
    }
}
