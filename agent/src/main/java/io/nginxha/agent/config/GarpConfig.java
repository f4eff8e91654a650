package io.nginxha.agent.config;

/**
 * Gratuitous ARP timing (keepalived's garp_* / vrrp_garp_* keywords).
 *
 * @param masterDelaySec        second burst this many seconds after becoming master (0: none)
 * @param masterRepeat          GARPs per burst
 * @param masterRefreshSec      periodic refresh while master (0: none)
 * @param masterRefreshRepeat   GARPs per refresh
 * @param intervalMs            gap between GARPs inside a burst
 * @param lowerPrioDelaySec     burst again this long after hearing a lower-priority advert (0: at once)
 * @param lowerPrioRepeat       GARPs sent then (0: none)
 */
public record GarpConfig(int masterDelaySec, int masterRepeat, int masterRefreshSec, int masterRefreshRepeat,
                         int intervalMs, int lowerPrioDelaySec, int lowerPrioRepeat) {
    /** keepalived 2.2's defaults. */
    public static final GarpConfig DEFAULTS = new GarpConfig(5, 5, 0, 1, 0, 5, 5);
}
