package io.nginxha.agent.check;

import io.nginxha.agent.config.TrackProcessConfig;
import java.util.List;

/**
 * Whether a process is one a vrrp_track_process counts, as keepalived 2.2.7 compares (track_process.c, an exact
 * match, never a pattern: "ssh" does not match sshd): the process name ({@code /proc/PID/comm}) equal to the
 * configured one, or with full_command the first word of the command line; then, when parameters are matched, the
 * rest of the command line: exactly the configured parameters (none when none are written), the first N of them
 * (partial), or the first N with the last one only as a prefix (initial). Zombies are never counted.
 */
final class ProcessMatch {
    private ProcessMatch() { }

    /** One running process as the edge read it; {@code argv} is empty when the command line was not read. */
    record Proc(int pid, int ppid, String comm, boolean zombie, List<String> argv) { }

    static boolean matches(TrackProcessConfig c, Proc p) {
        if (p.zombie()) {
            return false;
        }
        if (!c.fullCommand()) {
            return c.process().equals(p.comm());
        }
        if (p.argv().isEmpty() || !c.process().equals(p.argv().get(0))) {
            return false;
        }
        return params(c, p.argv().subList(1, p.argv().size()));
    }

    private static boolean params(TrackProcessConfig c, List<String> actual) {
        List<String> want = c.params();
        switch (c.paramMatch()) {
            case NONE -> {
                return true;
            }
            case EXACT -> {
                return actual.equals(want);
            }
            case PARTIAL -> {
                return actual.size() >= want.size() && actual.subList(0, want.size()).equals(want);
            }
            case INITIAL -> {
                if (want.isEmpty()) {
                    return true;
                }
                int n = want.size();
                return actual.size() >= n && actual.subList(0, n - 1).equals(want.subList(0, n - 1))
                        && actual.get(n - 1).startsWith(want.get(n - 1));
            }
            default -> throw new AssertionError(c.paramMatch());
        }
    }
}
