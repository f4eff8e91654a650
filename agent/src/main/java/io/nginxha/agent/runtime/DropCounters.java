package io.nginxha.agent.runtime;

import io.nginxha.agent.vrrp.DropReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dropped adverts by reason: in total (read by any thread), and those no instance could be named for (the loop's
 * thread only). Per-instance drops are in each router's counters. Shared by the intake, which drops what no
 * instance should see, and the action runner, which counts what an instance dropped.
 */
final class DropCounters {
    private static final Logger log = LoggerFactory.getLogger(DropCounters.class);

    private final Map<DropReason, AtomicLong> totals = new EnumMap<>(DropReason.class);
    private final Map<DropReason, Long> unattributed = new EnumMap<>(DropReason.class);

    DropCounters() {
        for (DropReason r : DropReason.values()) {
            totals.put(r, new AtomicLong());
        }
    }

    /** Counts a drop in the totals; the detail goes to the debug log only (a flood must not flood the journal). */
    void count(DropReason reason, String detail) {
        totals.get(reason).incrementAndGet();
        log.debug("advert dropped ({}): {}", reason, detail);
    }

    void unattributed(DropReason reason) {
        unattributed.merge(reason, 1L, Long::sum);
    }

    /**
     * Drops no instance could be named for, with the overloads (turned away on the capture threads, before any
     * instance could be named); read on the loop's thread.
     */
    Map<DropReason, Long> unattributed() {
        Map<DropReason, Long> copy = new EnumMap<>(unattributed);
        long overload = totals.get(DropReason.OVERLOAD).get();
        if (overload > 0) {
            copy.put(DropReason.OVERLOAD, overload);
        }
        return copy;
    }

    Map<DropReason, Long> totals() {
        Map<DropReason, Long> copy = new EnumMap<>(DropReason.class);
        totals.forEach((r, n) -> copy.put(r, n.get()));
        return copy;
    }
}
