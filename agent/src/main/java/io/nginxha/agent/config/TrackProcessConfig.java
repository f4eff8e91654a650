package io.nginxha.agent.config;

import java.util.List;

/**
 * keepalived's {@code vrrp_track_process NAME { ... }} (2.2.7 vrrp_parser.c, track_process.c): how many processes
 * match, and whether that count is within [quorum, quorumMax]. An instance or a sync group tracks it with
 * {@code track_process { NAME [weight W [reverse]] }}; weight 0 means FAULT while the quorum is lost (reverse: while
 * it is held), a positive weight is added while it is held, a negative one while it is lost.
 *
 * @param name             the block's name
 * @param process          what a process must be called: its name (/proc/PID/comm, at most 15 characters) or, with
 *                         {@code fullCommand}, the first word of its command line
 * @param params           the parameters written after the process, matched by {@code paramMatch}
 * @param paramMatch       how the parameters are compared; NONE when they are not
 * @param fullCommand      match the command line (/proc/PID/cmdline) instead of the process name
 * @param weight           -254..254, keepalived's default 0
 * @param weightReverse    apply the weight negated
 * @param quorum           fewest matching processes for the quorum, 0..65535 (default 1)
 * @param quorumMax        most matching processes for the quorum (default unlimited, {@link Integer#MAX_VALUE})
 * @param forkDelayMs      a quorum gained by a fork (a matching process's child) counts only after this long
 * @param terminateDelayMs a quorum lost by processes ending counts only after this long
 * @param source           where it was declared
 */
public record TrackProcessConfig(String name, String process, List<String> params, ParamMatch paramMatch,
                                 boolean fullCommand, int weight, boolean weightReverse, int quorum, int quorumMax,
                                 long forkDelayMs, long terminateDelayMs, Source source) {
    /** keepalived's param_match: none, the exact parameters, the first N exactly, or the last one as a prefix. */
    public enum ParamMatch { NONE, EXACT, PARTIAL, INITIAL }

    public TrackProcessConfig {
        params = List.copyOf(params);
    }

    /** The same settings with no source: for comparing configs read from different files or lines. */
    public TrackProcessConfig withoutSource() {
        return new TrackProcessConfig(name, process, params, paramMatch, fullCommand, weight, weightReverse, quorum,
                quorumMax, forkDelayMs, terminateDelayMs, null);
    }
}
