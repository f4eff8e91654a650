package io.nginxha.agent.config;

/** Applies garp_* settings (keepalived's names without the vrrp_ prefix) on top of inherited values. */
final class GarpBuilder {
    private static final int MAX = Integer.MAX_VALUE / 1000;
    private final Values values;
    private int masterDelay;
    private int masterRepeat;
    private int masterRefresh;
    private int masterRefreshRepeat;
    private int intervalMs;
    private int lowerPrioDelay;
    private int lowerPrioRepeat;
    private int gnaIntervalMs;

    GarpBuilder(Values values, GarpConfig inherited) {
        this.values = values;
        masterDelay = inherited.masterDelaySec();
        masterRepeat = inherited.masterRepeat();
        masterRefresh = inherited.masterRefreshSec();
        masterRefreshRepeat = inherited.masterRefreshRepeat();
        intervalMs = inherited.intervalMs();
        lowerPrioDelay = inherited.lowerPrioDelaySec();
        lowerPrioRepeat = inherited.lowerPrioRepeat();
        gnaIntervalMs = inherited.gnaIntervalMs();
    }

    /** Sets one of garp_master_delay ... garp_lower_prio_repeat; {@code name} is without any vrrp_ prefix. */
    void set(Entry e, String name) {
        Integer v = values.integer(e, 0, MAX);
        if (v == null) {
            return;
        }
        if (v == 0 && (name.equals("garp_master_repeat") || name.equals("garp_master_refresh_repeat"))) {
            values.problems().warn(e.source(), e.key() + " must be at least 1; using 1, as keepalived does");
            v = 1;
        }
        switch (name) {
            case "garp_master_delay" -> masterDelay = v;
            case "garp_master_repeat" -> masterRepeat = v;
            case "garp_master_refresh" -> masterRefresh = v;
            case "garp_master_refresh_repeat" -> masterRefreshRepeat = v;
            case "garp_lower_prio_delay" -> lowerPrioDelay = v;
            case "garp_lower_prio_repeat" -> lowerPrioRepeat = v;
            default -> throw new IllegalArgumentException(name);
        }
    }

    /** vrrp_garp_interval: decimal seconds, kept in whole milliseconds. */
    void intervalMs(Entry e) {
        Integer ms = milliseconds(e);
        intervalMs = ms != null ? ms : intervalMs;
    }

    /** vrrp_gna_interval, the same for unsolicited Neighbor Advertisements. */
    void gnaIntervalMs(Entry e) {
        Integer ms = milliseconds(e);
        gnaIntervalMs = ms != null ? ms : gnaIntervalMs;
    }

    private Integer milliseconds(Entry e) {
        Long us = values.seconds(e, 0, 1_000_000L);
        if (us == null) {
            return null;
        }
        if (us % 1000 != 0) {
            values.problems().error(e.source(), e.key() + " must be a whole number of milliseconds in vrrp-agent, got '"
                    + e.arg() + "'");
            return null;
        }
        return (int) (us / 1000);
    }

    GarpConfig build() {
        return new GarpConfig(masterDelay, masterRepeat, masterRefresh, masterRefreshRepeat, intervalMs,
                lowerPrioDelay, lowerPrioRepeat, gnaIntervalMs);
    }
}
