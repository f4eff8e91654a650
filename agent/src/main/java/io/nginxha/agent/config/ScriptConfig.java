package io.nginxha.agent.config;

import java.util.List;

/**
 * A keepalived {@code vrrp_script}. Run by the check package (health-tracking issue); parsed and validated now.
 *
 * @param name        the block's name
 * @param command     the script and its arguments, split as keepalived splits them (no shell)
 * @param intervalMs  time between runs
 * @param timeoutMs   a run lasting longer is killed and counts as failed
 * @param weight      added to the priority on success (positive) or on failure (negative); 0 means FAULT on failure
 * @param rise        successes needed to count as up
 * @param fall        failures needed to count as down
 * @param user        user[:group] to run as, null for the global script_user
 * @param source      where it was declared
 * @param initFail    keepalived's init_fail: the script counts as failed until its first run succeeds
 */
public record ScriptConfig(String name, List<String> command, long intervalMs, long timeoutMs, int weight,
                           boolean weightReverse, int rise, int fall, String user, Source source,
                           boolean initFail) {
    public ScriptConfig {
        command = List.copyOf(command);
    }

    /** Without init_fail (the script starts as succeeding), the shape callers had before init_fail was added. */
    public ScriptConfig(String name, List<String> command, long intervalMs, long timeoutMs, int weight,
                        boolean weightReverse, int rise, int fall, String user, Source source) {
        this(name, command, intervalMs, timeoutMs, weight, weightReverse, rise, fall, user, source, false);
    }

    /** The same settings with no source: for comparing configs read from different files or lines. */
    public ScriptConfig withoutSource() {
        return new ScriptConfig(name, command, intervalMs, timeoutMs, weight, weightReverse, rise, fall, user, null,
                initFail);
    }
}
