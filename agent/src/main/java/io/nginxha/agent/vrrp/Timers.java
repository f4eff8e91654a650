package io.nginxha.agent.vrrp;

/**
 * The VRRP timer arithmetic, in nanoseconds, for both protocol versions.
 *
 * <p>Version 2 (RFC 3768 6.1): {@code Skew_Time = (256 - Priority) / 256} seconds, whatever the advert interval.
 * Version 3 (RFC 5798 6.1): {@code Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256} centiseconds.
 * Both: {@code Master_Down_Interval = 3 * Master_Adver_Interval + Skew_Time}. Priority is the effective priority,
 * as keepalived computes it (VRRP_TIMER_SKEW uses effective_priority).
 */
public final class Timers {
    /** Nanoseconds in one centisecond, the unit of advert intervals. */
    public static final long NANOS_PER_CS = 10_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int ADVERTS_BEFORE_DOWN = 3;

    private Timers() { }

    public static long centisToNanos(int centiseconds) {
        return centiseconds * NANOS_PER_CS;
    }

    public static long secondsToNanos(int seconds) {
        return seconds * NANOS_PER_SECOND;
    }

    /** Skew_Time for {@code priority}; {@code masterAdverIntervalCs} only matters for version 3. */
    public static long skewNanos(int version, int priority, int masterAdverIntervalCs) {
        long weight = 256L - priority;
        if (version == 2) {
            return weight * NANOS_PER_SECOND / 256;
        }
        return weight * masterAdverIntervalCs * NANOS_PER_CS / 256;
    }

    /** Master_Down_Interval for {@code priority} and the master's advert interval. */
    public static long masterDownNanos(int version, int priority, int masterAdverIntervalCs) {
        return ADVERTS_BEFORE_DOWN * centisToNanos(masterAdverIntervalCs)
                + skewNanos(version, priority, masterAdverIntervalCs);
    }

    /** A duration as seconds with two decimals ({@code 3.61 s}), the form used in every transition reason. */
    public static String formatSeconds(long nanos) {
        // Integer arithmetic, not String.format: a takeover builds this reason, and a Formatter the JIT has not
        // compiled yet costs a millisecond there. Halves round away from zero, as %.2f does.
        long centis = (Math.abs(nanos) + NANOS_PER_CS / 2) / NANOS_PER_CS;
        long fraction = centis % 100;
        return (nanos < 0 ? "-" : "") + (centis / 100) + (fraction < 10 ? ".0" : ".") + fraction + " s";
    }
}
