package io.nginxha.agent.announce;

/** What an announce group is told; the time comes with the step, never from a clock. */
public sealed interface AnnounceEvent {
    /** The trackers' verdict for the group changed (their rise/fall, the nginx tracker's restarts are done). */
    record Health(boolean healthy, String reason) implements AnnounceEvent { }

    /** The group's deadline has come (see {@link AnnounceGroup#nextDeadline()}). */
    record TimerFired() implements AnnounceEvent { }

    /** The edge could not put the VIPs on: the group counts as withdrawn and tries again later. */
    record HoldFailed(String why) implements AnnounceEvent { }

    /** A graceful stop (SIGTERM): withdraw, drain, then let go. */
    record Stop() implements AnnounceEvent { }
}
