package io.nginxha.agent.check;

import io.nginxha.agent.config.TrackProcessConfig;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's vrrp_track_process: up while the number of matching processes is within its quorum. A thin edge
 * around the pure {@link ProcessQuorum}: every {@link #POLL_MS} ms (sooner when a delay runs out) it reads the
 * process table ({@link ProcessTable}), counts the matches ({@link ProcessMatch}), and tells whether the rise came
 * from forks of matching processes only; the quorum decides, with its delays.
 */
public final class ProcessTracker implements Check {
    private static final Logger log = LoggerFactory.getLogger(ProcessTracker.class);
    static final String PREFIX = "process:";
    /**
     * The poll: a process that ends is seen within this (keepalived's connector sees it at once; the pidof scripts
     * it replaces poll every few seconds); each pass costs a few ms of CPU ({@link ProcessTable}).
     */
    static final long POLL_MS = 500;

    /** Told of each pass of the thread, for the agent's liveness; {@link #NONE} when nothing watches. */
    @FunctionalInterface
    public interface Heartbeat {
        void beat();

        /** The tracker stopped on purpose (a reload removed it): nothing is to be expected of it any more. */
        default void ended() { }

        Heartbeat NONE = () -> { };
    }

    /** The most a pass may be late before the agent counts the tracker as stalled (a hung read of /proc). */
    public static final long MAX_SILENCE_MS = 10_000;

    private final TrackProcessConfig config;
    private final ProcessTable table;
    private final LongSupplier clock;
    private final ProcessQuorum quorum;
    private final Set<Integer> seen = new HashSet<>();
    private volatile Heartbeat heartbeat = Heartbeat.NONE;
    private volatile boolean closed;
    private Thread thread;

    public ProcessTracker(TrackProcessConfig config) {
        this(config, ProcessTable.system(), System::nanoTime);
    }

    ProcessTracker(TrackProcessConfig config, ProcessTable table, LongSupplier clock) {
        this.config = config;
        this.table = table;
        this.clock = clock;
        this.quorum = new ProcessQuorum(config.quorum(), config.quorumMax(),
                TimeUnit.MILLISECONDS.toNanos(config.forkDelayMs()),
                TimeUnit.MILLISECONDS.toNanos(config.terminateDelayMs()));
        pass(); // the first count, at once, as keepalived's scan at start
    }

    /** Check names of tracked processes are prefixed, so they never collide with vrrp_script names. */
    public static String checkName(String trackProcess) {
        return PREFIX + trackProcess;
    }

    @Override
    public String name() {
        return checkName(config.name());
    }

    @Override
    public boolean initiallyUp() {
        return quorum.held();
    }

    /** Where each pass of the thread is reported: the agent's liveness. */
    public void watchedBy(Heartbeat heartbeat) {
        this.heartbeat = heartbeat;
    }

    /** One reading: the count, and whether what is new are forks of matching processes. */
    record Count(int count, boolean forksOnly) { }

    /** Counts the matches in {@code procs}; {@code before} holds the matching pids of the last pass and is updated. */
    static Count count(TrackProcessConfig c, List<ProcessMatch.Proc> procs, Set<Integer> before) {
        Set<Integer> now = new HashSet<>();
        for (ProcessMatch.Proc p : procs) {
            if (ProcessMatch.matches(c, p)) {
                now.add(p.pid());
            }
        }
        boolean forksOnly = true;
        boolean anyNew = false;
        for (ProcessMatch.Proc p : procs) {
            if (now.contains(p.pid()) && !before.contains(p.pid())) {
                anyNew = true;
                forksOnly &= now.contains(p.ppid()) || before.contains(p.ppid());
            }
        }
        before.clear();
        before.addAll(now);
        return new Count(now.size(), anyNew && forksOnly);
    }

    /** Reads the table once and feeds the quorum; returns its change (null for none). */
    private Boolean pass() {
        List<ProcessMatch.Proc> procs;
        try {
            procs = table.scan(config.fullCommand());
        } catch (IOException | RuntimeException e) {
            log.warn("track_process {}: cannot read the process table: {}", config.name(), e.toString());
            return null;
        }
        Count c = count(config, procs, seen);
        return quorum.observe(c.count(), c.forksOnly(), clock.getAsLong());
    }

    @Override
    public void start(Check.Sink sink) {
        thread = new Thread(() -> loop(sink), "track-process-" + config.name());
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(Check.Sink sink) {
        long nextPoll = clock.getAsLong();
        while (!closed) {
            heartbeat.beat();
            long now = clock.getAsLong();
            Boolean change = quorum.tick(now);
            if (change == null && now >= nextPoll) {
                change = pass();
                nextPoll = now + TimeUnit.MILLISECONDS.toNanos(POLL_MS);
            }
            if (change != null) {
                sink.status(name(), change, "quorum " + (change ? "gained" : "lost") + ": " + quorum.count()
                        + " process(es) " + config.process() + ", quorum " + config.quorum() + ".."
                        + (config.quorumMax() == Integer.MAX_VALUE ? "" : config.quorumMax()));
            }
            LockSupport.parkNanos(Math.max(1, Math.min(nextPoll, quorum.deadline()) - clock.getAsLong()));
        }
    }

    @Override
    public void close() {
        closed = true;
        heartbeat.ended();
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }
}
