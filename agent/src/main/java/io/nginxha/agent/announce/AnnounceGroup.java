package io.nginxha.agent.announce;

import io.nginxha.agent.config.AnnounceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The decision of one announce group, with no I/O and no clock: health verdicts in, actions out, time passed in
 * (nanoseconds, compared by difference so a wrap does not matter).
 *
 * <ul>
 * <li>The first healthy verdict announces at once (no withdraw has happened that a hold-down would protect).</li>
 * <li>An unhealthy verdict withdraws at once: the trackers have already waited their fall count (vrrp_script) or
 *     their restart attempts (nginx), so waiting longer here only sends clients to a broken nginx.</li>
 * <li>After a withdraw, the group must stay healthy for {@code hold_down} before it is announced again; a new
 *     unhealthy verdict meanwhile starts that wait over. A crash-looping nginx therefore costs the routers one
 *     withdraw, not one per crash, and an ECMP group is rehashed once instead of on every flap.</li>
 * <li>A stop withdraws first, keeps accepting for {@code drain_time} (so requests the routers still send while
 *     they converge are served), then lets go; only then may the agent exit and nginx stop.</li>
 * </ul>
 */
public final class AnnounceGroup {
    /** After the edge failed to add the VIPs, the next try. */
    static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String name;
    private AnnounceConfig config;
    private AnnounceState state = AnnounceState.WAITING;
    private String reason = "waiting for the first verdict of the checks";
    private String cause = "waiting";
    private boolean healthy;
    private long sinceNanos;
    private long deadline = Long.MAX_VALUE;
    private int announcements;
    private int withdrawals;

    public AnnounceGroup(AnnounceConfig config, long now) {
        this.name = config.name();
        this.config = config;
        this.sinceNanos = now;
    }

    public List<AnnounceAction> step(AnnounceEvent event, long now) {
        List<AnnounceAction> out = new ArrayList<>(3);
        if (state == AnnounceState.STOPPED) {
            return out; // a stopped group holds nothing and does nothing more
        }
        if (event instanceof AnnounceEvent.Health h) {
            health(h, now, out);
        } else if (event instanceof AnnounceEvent.TimerFired) {
            timer(now, out);
        } else if (event instanceof AnnounceEvent.HoldFailed f) {
            holdFailed(f, now, out);
        } else if (event instanceof AnnounceEvent.Stop) {
            stop(now, out);
        } else {
            throw new AssertionError("no handler for announce event " + event);
        }
        return out;
    }

    private void health(AnnounceEvent.Health h, long now, List<AnnounceAction> out) {
        boolean was = healthy;
        healthy = h.healthy();
        if (state == AnnounceState.DRAINING) {
            return; // stopping anyway: the routers are already moving the clients away
        }
        if (!h.healthy()) {
            if (state == AnnounceState.ANNOUNCED) {
                withdrawals++;
                move(AnnounceState.WITHDRAWN, "unhealthy", "unhealthy: " + h.reason(), now, out);
                out.add(new AnnounceAction.Release());
            } else if (state == AnnounceState.HELD_DOWN) {
                move(AnnounceState.WITHDRAWN, "unhealthy", "unhealthy again during the hold-down: " + h.reason(), now, out);
            } else if (state == AnnounceState.WAITING) {
                move(AnnounceState.WITHDRAWN, "unhealthy", "unhealthy: " + h.reason(), now, out);
                out.add(new AnnounceAction.Release()); // a killed agent may have left the VIPs on
            } else {
                reason = "unhealthy: " + h.reason();
                cause = "unhealthy";
            }
            deadline = Long.MAX_VALUE;
            return;
        }
        if (was && state != AnnounceState.WAITING) {
            return; // no news
        }
        if (state == AnnounceState.WAITING) {
            announce("healthy", "healthy: " + h.reason(), now, out);
        } else if (state == AnnounceState.WITHDRAWN) {
            holdDown("healthy again (" + h.reason() + ")", now, out);
        }
    }

    private void holdDown(String why, long now, List<AnnounceAction> out) {
        long hold = TimeUnit.MILLISECONDS.toNanos(config.holdDownMs());
        if (hold == 0) {
            announce("healthy", why, now, out);
            return;
        }
        move(AnnounceState.HELD_DOWN, "hold_down", why + "; announcing after " + config.holdDownMs() + " ms of health", now, out);
        deadline = deadline(now, hold);
    }

    private void announce(String cause, String why, long now, List<AnnounceAction> out) {
        announcements++;
        move(AnnounceState.ANNOUNCED, cause, why, now, out);
        out.add(new AnnounceAction.Hold());
        deadline = Long.MAX_VALUE;
    }

    private void timer(long now, List<AnnounceAction> out) {
        if (deadline == Long.MAX_VALUE || now - deadline < 0) {
            return;
        }
        deadline = Long.MAX_VALUE;
        switch (state) {
            case HELD_DOWN -> announce("healthy", "healthy for the whole hold-down of " + config.holdDownMs() + " ms", now, out);
            case WITHDRAWN -> {
                if (healthy) { // the retry after a failed add
                    announce("retried", "retrying after the VIPs could not be added", now, out);
                }
            }
            case DRAINING -> {
                move(AnnounceState.STOPPED, "stopped", "stopped after draining for " + config.drainMs() + " ms", now, out);
                out.add(new AnnounceAction.Release());
                out.add(new AnnounceAction.Stopped());
            }
            default -> { }
        }
    }

    private void holdFailed(AnnounceEvent.HoldFailed f, long now, List<AnnounceAction> out) {
        if (state != AnnounceState.ANNOUNCED) {
            return;
        }
        withdrawals++;
        move(AnnounceState.WITHDRAWN, "hold_failed", "the VIPs could not be added: " + f.why() + "; trying again in "
                + TimeUnit.NANOSECONDS.toMillis(RETRY_NANOS) + " ms", now, out);
        out.add(new AnnounceAction.Release()); // a half-added group announces some VIPs: none rather
        deadline = deadline(now, RETRY_NANOS);
    }

    private void stop(long now, List<AnnounceAction> out) {
        if (state == AnnounceState.DRAINING) {
            return;
        }
        if (state == AnnounceState.ANNOUNCED && config.drainMs() > 0) {
            withdrawals++;
            move(AnnounceState.DRAINING, "stopping", "stopping: withdrawn, still serving for " + config.drainMs() + " ms",
                    now, out);
            out.add(new AnnounceAction.Drain());
            deadline = deadline(now, TimeUnit.MILLISECONDS.toNanos(config.drainMs()));
            return;
        }
        if (state == AnnounceState.ANNOUNCED) {
            withdrawals++;
        }
        move(AnnounceState.STOPPED, "stopped", "stopped", now, out);
        out.add(new AnnounceAction.Release());
        out.add(new AnnounceAction.Stopped());
        deadline = Long.MAX_VALUE;
    }

    /**
     * A reload kept the group with new settings: the state stays (an announced group stays announced), a running
     * hold-down or drain keeps its deadline. The edge compares the VIPs itself.
     */
    public void reconfigure(AnnounceConfig next) {
        if (!next.name().equals(name)) {
            throw new IllegalArgumentException("group " + name + " reconfigured as " + next.name());
        }
        config = next;
    }

    /** {@code now + delay}, never the "no deadline" value itself (one nanosecond early rather than never). */
    private static long deadline(long now, long delay) {
        long at = now + delay;
        return at == Long.MAX_VALUE ? at - 1 : at;
    }

    /** {@code cause}: a short fixed word (a metric label); {@code why}: the sentence for logs and status. */
    private void move(AnnounceState to, String cause, String why, long now, List<AnnounceAction> out) {
        AnnounceState from = state;
        state = to;
        this.cause = cause;
        reason = why;
        sinceNanos = now;
        out.add(new AnnounceAction.Changed(from, to, why));
    }

    public String name() {
        return name;
    }

    public AnnounceConfig config() {
        return config;
    }

    public AnnounceState state() {
        return state;
    }

    public String reason() {
        return reason;
    }

    /** The reason in one fixed word: waiting, healthy, unhealthy, hold_down, hold_failed, retried, stopping, stopped. */
    public String cause() {
        return cause;
    }

    /** When the state last changed (the step's time). */
    public long sinceNanos() {
        return sinceNanos;
    }

    /** The time of the next {@link AnnounceEvent.TimerFired} wanted, or {@code Long.MAX_VALUE}. */
    public long nextDeadline() {
        return deadline;
    }

    /** Times the VIPs were announced, and withdrawn, since start. */
    public int announcements() {
        return announcements;
    }

    public int withdrawals() {
        return withdrawals;
    }
}
