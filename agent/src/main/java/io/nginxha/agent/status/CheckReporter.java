package io.nginxha.agent.status;

import java.util.Map;

/**
 * The seam through which the health checks publish their latest results to the endpoint. Called from the HTTP
 * thread, so implementations must be thread-safe (a ConcurrentHashMap of immutable results is enough).
 */
@FunctionalInterface
public interface CheckReporter {
    CheckReporter NONE = Map::of;

    /** Latest result per vrrp_script name. */
    Map<String, CheckResult> results();

    /**
     * One check's latest result.
     *
     * @param up               whether it counts as up (after rise/fall)
     * @param lastExitCode     exit status of the last run, -1 when killed by timeout
     * @param lastDurationSec  how long the last run took
     * @param lastRunEpochMs   when it finished
     */
    record CheckResult(boolean up, int lastExitCode, double lastDurationSec, long lastRunEpochMs) { }
}
