package io.nginxha.agent.check;

/**
 * The decision of one vrrp_track_process, pure: counts of matching processes in, quorum held or lost out, with
 * keepalived 2.2.7's delays (track_process.c) and the time passed in. The quorum is held while
 * {@code quorum <= count <= quorumMax}. A change that comes from processes ending counts only once it has lasted
 * {@code terminateDelay}; one that comes only from forks of matching processes (a worker forked off its master)
 * counts once it has lasted {@code forkDelay}; any other (a process started afresh, or an exec) counts at once, as
 * keepalived's exec events do. When the count goes back before a delay ran out, nothing changed. The first count
 * sets the state at once, as keepalived's scan of /proc at start does.
 */
public final class ProcessQuorum {
    private final int quorum;
    private final int quorumMax;
    private final long forkDelayNanos;
    private final long terminateDelayNanos;
    private Boolean held;
    private int last = -1;
    private long deadline = Long.MAX_VALUE;

    public ProcessQuorum(int quorum, int quorumMax, long forkDelayNanos, long terminateDelayNanos) {
        this.quorum = quorum;
        this.quorumMax = quorumMax;
        this.forkDelayNanos = forkDelayNanos;
        this.terminateDelayNanos = terminateDelayNanos;
    }

    private boolean within(int count) {
        return count >= quorum && count <= quorumMax;
    }

    /**
     * A new count at {@code now}.
     *
     * @param forksOnly whether every process that is new since the last count is the child of a matching process
     * @return the new state when it changed (TRUE held, FALSE lost), else null
     */
    public Boolean observe(int count, boolean forksOnly, long now) {
        int before = last;
        last = count;
        boolean want = within(count);
        if (held == null) {
            held = want;
            return held;
        }
        if (want == held) {
            deadline = Long.MAX_VALUE; // back before the delay ran out: as if nothing happened
            return null;
        }
        if (deadline != Long.MAX_VALUE) {
            return tick(now); // the crossing already started its delay; later counts do not restart it
        }
        long delay = count < before ? terminateDelayNanos : count > before && forksOnly ? forkDelayNanos : 0;
        if (delay == 0) {
            deadline = Long.MAX_VALUE;
            held = want;
            return held;
        }
        deadline = now + delay;
        return tick(now);
    }

    /** The delay may have run out: the state the last count asks for, when it changed; else null. */
    public Boolean tick(long now) {
        if (deadline == Long.MAX_VALUE || now < deadline) {
            return null;
        }
        deadline = Long.MAX_VALUE;
        boolean want = within(last);
        if (held != null && want == held) {
            return null;
        }
        held = want;
        return held;
    }

    /** When a running delay ends (monotonic nanos), or {@link Long#MAX_VALUE}. */
    public long deadline() {
        return deadline;
    }

    /** Whether the quorum is held; false before the first count. */
    public boolean held() {
        return held != null && held;
    }

    /** The last count seen, -1 before the first. */
    public int count() {
        return last;
    }
}
