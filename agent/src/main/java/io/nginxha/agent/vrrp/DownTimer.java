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

    long deadline() {
        return deadline;
    }

    boolean due(long now) {
        return deadline <= now;
    }

    /** Restarts the timer: it fires {@code downNanos} after {@code now} unless an advert restarts it again. */
    void arm(long downNanos, long now) {
        deadline = now + downNanos;
        resetAt = now;
        resignedMaster = null;
        ignoredLowerMaster = null;
    }

    /** The master sent priority 0: fire after the skew time only. */
    void masterResigned(InetAddress source, long skewNanos, long now) {
        deadline = now + skewNanos;
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
        return "master down timer expired (no advert for " + formatSeconds(now - resetAt) + ")";
    }
}
