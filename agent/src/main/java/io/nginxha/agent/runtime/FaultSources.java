package io.nginxha.agent.runtime;

import io.nginxha.agent.vrrp.Event;
import java.util.EnumMap;
import java.util.Map;

/**
 * Why one instance is in fault, from each source that can put it there. The core knows a single fault flag; this
 * merges the sources and says what to tell the core, so one source recovering never clears a fault another still
 * has (a VIP that cannot be added must not be forgotten when an interface comes back). Pure; the loop's thread only.
 */
final class FaultSources {
    /** Where a fault comes from. */
    enum Source {
        /** The trackers (interfaces, scripts, files, nginx without a weight): their merged verdict. */
        TRACKING,
        /** The instance's own VIPs could not be added while it was master. */
        VIPS
    }

    private final Map<Source, String> active = new EnumMap<>(Source.class);

    /**
     * Records {@code source}'s verdict; returns the event for the core, or null when the merged answer is the same
     * and the core must not hear of it. A tracker's verdict reaches the core as it is whenever no other source is
     * in fault, as it did before there was more than one source.
     */
    Event.FaultChanged set(Source source, boolean faulty, String reason) {
        boolean before = !active.isEmpty();
        boolean othersFaulty = active.keySet().stream().anyMatch(s -> s != source);
        if (faulty) {
            active.put(source, reason);
        } else {
            active.remove(source);
        }
        if (othersFaulty) {
            return null; // faulty before and after, for a reason that still holds
        }
        if (source == Source.TRACKING || before != faulty) {
            return new Event.FaultChanged(faulty, reason);
        }
        return null;
    }

    boolean faulty(Source source) {
        return active.containsKey(source);
    }
}
