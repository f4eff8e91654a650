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
 * @param gnaIntervalMs         gap between unsolicited Neighbor Advertisements inside a burst (vrrp_gna_interval);
 *                              the counts and delays above govern NAs as they govern GARPs, as in keepalived
 */
public record GarpConfig(int masterDelaySec, int masterRepeat, int masterRefreshSec, int masterRefreshRepeat,
                         int intervalMs, int lowerPrioDelaySec, int lowerPrioRepeat, int gnaIntervalMs) {
    /** keepalived 2.2's defaults. */
    public static final GarpConfig DEFAULTS = new GarpConfig(5, 5, 0, 1, 0, 5, 5, 0);

    /** Without an NA gap of its own (vrrp_gna_interval 0, keepalived's default). */
    public GarpConfig(int masterDelaySec, int masterRepeat, int masterRefreshSec, int masterRefreshRepeat,
                      int intervalMs, int lowerPrioDelaySec, int lowerPrioRepeat) {
        this(masterDelaySec, masterRepeat, masterRefreshSec, masterRefreshRepeat, intervalMs, lowerPrioDelaySec,
                lowerPrioRepeat, 0);
    }
}
