package io.nginxha.agent.status;

import java.util.List;

/**
 * One vip_announce group at one moment.
 *
 * @param name            the group
 * @param iface           where its VIPs go (the loopback)
 * @param vips            its VIPs, as ADDRESS/PREFIX
 * @param state           AnnounceState's name: WAITING, ANNOUNCED, WITHDRAWN, HELD_DOWN, DRAINING, STOPPED
 * @param announced       whether the VIPs are offered to the routers now
 * @param cause           the reason in one fixed word (a metric label: waiting, healthy, unhealthy, hold_down,
 *                        hold_failed, retried, stopping, stopped)
 * @param reason          why it is in that state, as a sentence
 * @param sinceEpochMs    when it entered it
 * @param announcements   times announced since start
 * @param withdrawals     times withdrawn since start
 * @param holdFailures    times the VIPs could not be added
 */
public record AnnounceStatus(String name, String iface, List<String> vips, String state, boolean announced,
                             String cause, String reason, long sinceEpochMs, long announcements, long withdrawals,
                             long holdFailures) {
    /** The states, for the one-hot gauge (kept here so the status layer needs nothing above it). */
    public static final List<String> STATES = List.of("WAITING", "ANNOUNCED", "WITHDRAWN", "HELD_DOWN", "DRAINING",
            "STOPPED");

    public AnnounceStatus {
        vips = List.copyOf(vips);
    }
}
