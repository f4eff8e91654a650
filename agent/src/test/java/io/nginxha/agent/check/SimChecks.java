package io.nginxha.agent.check;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.ScriptConfig;
import io.nginxha.agent.vrrp.Event;
import java.util.function.BiConsumer;

/**
 * The real {@link Trackers} with checks a simulation makes (the whole-agent simulation in the runtime package):
 * the trackers' bookkeeping, priorities and verdicts are the product's, only the children and threads are not.
 */
public final class SimChecks {
    private SimChecks() { }

    /** {@code new Trackers(config, inject, factory)}, which the check package keeps to itself. */
    public static Trackers trackers(AgentConfig config, BiConsumer<String, Event> inject, Trackers.Factory factory) {
        return new Trackers(config, inject, factory);
    }

    /** Whether {@code name} is the check of an interface (track_interface, or the instance's own). */
    public static boolean isInterface(String name) {
        return name.startsWith(InterfaceTracker.PREFIX);
    }

    /** How one run of a simulated child ends. */
    public record Run(boolean success, int exitCode, long durationNanos, String detail) { }

    /** What the simulated child started now will do (how long it takes; a hung one takes forever). */
    public interface Children {
        Run run(ScriptConfig script);
    }

    /**
     * A vrrp_script whose runs are simulated: the rise/fall counting is {@link ScriptTracker}'s own
     * ({@link ScriptTracker#record}); a run that outlives the timeout is killed and fails, as in production.
     */
    public static Check script(ScriptConfig config, Children children, Schedule schedule) {
        return new SimScript(config, children, schedule);
    }

    /** What a simulation does to a script tracker's thread; the time is the simulation's (of {@code Schedule}). */
    public interface ScriptThread {
        /** The thread dies (an Error escaped its loop): no more runs, and its heartbeat is bound to a dead thread. */
        void dies();

        /** The thread hangs where no timeout frees it: no more runs, no more signs of life. */
        void hangs();

        /** How long it may be silent before the agent counts as broken (the bound the tracker promises). */
        long maxSilenceNanos();

        /** When it last showed a sign of life (the simulation's time). */
        long lastAliveNanos();
    }

    /** When the next run starts: the simulation's scheduler. */
    public interface Schedule {
        /** Runs {@code task} {@code delayNanos} from now on the simulation's clock. */
        void after(long delayNanos, Runnable task);

        /** The simulation's time now. */
        long now();
    }

    private static final class SimScript implements Check, ScriptThread {
        private final ScriptConfig config;
        private final ScriptTracker counting;
        private final Children children;
        private final Schedule schedule;
        private boolean closed;
        private boolean stopped;
        private Sink sink;
        private long lastAlive;

        SimScript(ScriptConfig config, Children children, Schedule schedule) {
            this.config = config;
            this.counting = new ScriptTracker(config, null);
            this.children = children;
            this.schedule = schedule;
        }

        @Override public String name() {
            return config.name();
        }

        @Override public boolean initiallyUp() {
            return counting.initiallyUp();
        }

        @Override public void start(Sink sink) {
            this.sink = sink;
            this.lastAlive = schedule.now();
            schedule.after(0, () -> runOnce(sink));
        }

        @Override public long maxSilenceMs() {
            return counting.maxSilenceMs(); // the production tracker's own bound
        }

        /** The bound as stated (twice the longer of interval and timeout, plus the 5 s reap), not as coded. */
        @Override public long maxSilenceNanos() {
            return 2 * (Math.max(config.intervalMs(), config.timeoutMs()) + 5_000) * 1_000_000L;
        }

        @Override public void dies() {
            stopped = true;
            Thread t = new Thread(sink::alive, "sim-script-" + config.name());
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override public long lastAliveNanos() {
            return lastAlive;
        }

        @Override public void hangs() {
            stopped = true;
        }

        private void runOnce(Sink sink) {
            if (closed || stopped) {
                return;
            }
            sink.alive(); // each turn of the production tracker's loop
            lastAlive = schedule.now();
            long timeout = config.timeoutMs() * 1_000_000L;
            Run r = children.run(config);
            Run run = r.durationNanos() > timeout
                    ? new Run(false, -1, timeout, "timed out after " + config.timeoutMs() + " ms, killed") : r;
            schedule.after(run.durationNanos(), () -> {
                if (closed || stopped) {
                    return;
                }
                Boolean changed = counting.record(run.success());
                sink.ran(config.name(), run.exitCode(), run.durationNanos() / 1e9);
                if (changed != null) {
                    sink.status(config.name(), changed, run.detail());
                }
                long left = config.intervalMs() * 1_000_000L - run.durationNanos();
                schedule.after(Math.max(0, left), () -> runOnce(sink));
            });
        }

        @Override public void close() {
            closed = true;
        }
    }

    /** An interface that stays up (the simulation's links fail on the segment, not as link state). */
    public static Check linkUp(String name) {
        return new Check() {
            @Override public String name() {
                return name;
            }

            @Override public boolean initiallyUp() {
                return true;
            }

            @Override public void start(Sink sink) { }

            @Override public void close() { }
        };
    }
}
