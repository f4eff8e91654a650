package io.nginxha.agent.vrrp;

import static io.nginxha.agent.vrrp.Timers.formatSeconds;

import java.net.InetAddress;

/**
 * A backup's Master_Down timer and why it will fire, so the takeover can be explained in the log. Pure: the time is
 * passed in. Kept apart from {@link Instance} so the state machine reads as states, not as deadline bookkeeping.
 */
final class DownTimer {
    static final long NONE = Long.MAX_VALUE;

    private long deadline = NONE;
    private long resetAt;
    private String resignedMaster;
    private String ignoredLowerMaster;
    /** vrrp_startup_delay: no deadline is counted from before this (monotonic nanos). */
    private long notBefore = Long.MIN_VALUE;
    private String held;

    long deadline() {
        return deadline;
    }

    boolean due(long now) {
        return deadline <= now;
    }

    /**
     * keepalived 2.2.7 vrrp_init_instance_sands: while the start-up delay lasts, every arming of the timer counts
     * from the end of the delay instead of from now.
     */
    void holdUntil(long until, long now) {
        if (until > now) {
            notBefore = until;
            held = "vrrp_startup_delay " + formatSeconds(until - now);
        }
    }

    /** When a timer armed now would start counting: now, or the end of the start-up delay. */
    long deadlineFrom(long now) {
        return from(now);
    }

    private long from(long now) {
        return Math.max(now, notBefore);
    }

    /** Restarts the timer: it fires {@code downNanos} after {@code now} unless an advert restarts it again. */
    void arm(long downNanos, long now) {
        deadline = from(now) + downNanos;
        resetAt = now;
        resignedMaster = null;
        ignoredLowerMaster = null;
    }

    /** The master sent priority 0: fire after the skew time only. */
    void masterResigned(InetAddress source, long skewNanos, long now) {
        deadline = from(now) + skewNanos;
        resignedMaster = source.getHostAddress() + " resigned (priority 0), took over after skew time "
                + formatSeconds(skewNanos);
    }

    /** A lower-priority master was heard and ignored (preemption): the timer runs out, then we take over. */
    void ignoredLowerMaster(String why) {
        ignoredLowerMaster = why;
    }

    /** The effective priority changed: only the skew part of the remaining wait changes. */
    void shift(long deltaNanos) {
        if (deadline != NONE) {
            deadline += deltaNanos;
        }
    }

    void disarm() {
        deadline = NONE;
        resignedMaster = null;
        ignoredLowerMaster = null;
    }

    /** Why the timer fired at {@code now}. */
    String reason(long now) {
        if (resignedMaster != null) {
            return "master " + resignedMaster;
        }
        if (ignoredLowerMaster != null) {
            return ignoredLowerMaster;
        }
        String delayed = held != null && resetAt < notBefore ? ", after " + held : "";
        return "master down timer expired (no advert for " + formatSeconds(now - resetAt) + delayed + ")";
    }
}
