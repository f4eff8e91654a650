package io.nginxha.agent.os;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The threads the agent relies on, each with a heartbeat. The loop feeds systemd's watchdog only while every one is
 * alive and has beaten recently: a capture thread that died or hangs in a native call leaves the agent deaf, and a
 * tracker thread killed by an error leaves a check "up" forever; either way the loop itself is fine, so its own
 * ping alone would keep systemd believing a broken agent healthy. Without the pings systemd restarts the agent.
 */
public final class Liveness {
    private final LongSupplier clock;
    private final List<Heartbeat> beats = new CopyOnWriteArrayList<>();

    public Liveness(LongSupplier nanoClock) {
        this.clock = nanoClock;
    }

    /** One thread's heartbeat. */
    public final class Heartbeat {
        private final String name;
        private final long maxSilenceNanos;
        private volatile Thread thread;
        private volatile long lastBeat;
        private volatile boolean ended;
        /** Whether the thread is failing at its job, since when (nanos) and with what, last. */
        private volatile boolean inTrouble;
        private volatile long troubleSince;
        private volatile String trouble;

        private final boolean beatsExpected;

        private Heartbeat(String name, long maxSilenceNanos, boolean beatsExpected) {
            this.name = name;
            this.maxSilenceNanos = maxSilenceNanos;
            this.beatsExpected = beatsExpected;
            this.lastBeat = clock.getAsLong();
        }

        /** Called by the thread itself, at least once per {@code maxSilence}; also binds it to that thread. */
        public void beat() {
            thread = Thread.currentThread();
            lastBeat = clock.getAsLong();
        }

        /**
         * The thread runs but cannot do its job (a capture that errors on every read): if that lasts past the
         * limit, the agent counts as stalled, whatever the beats say.
         */
        public void trouble(String what) {
            thread = Thread.currentThread();
            trouble = what;
            if (!inTrouble) {
                troubleSince = clock.getAsLong();
                inTrouble = true;
            }
        }

        /** The thread does its job again. */
        public void fine() {
            inTrouble = false;
        }

        /** The thread ends on purpose (its component is closed): no longer watched. */
        public void ended() {
            ended = true;
            beats.remove(this);
        }

        Optional<String> stalled(long now) {
            if (ended) {
                return Optional.empty();
            }
            Thread t = thread;
            if (t != null && !t.isAlive()) {
                return Optional.of(name + ": its thread has died");
            }
            long since = troubleSince;
            if (inTrouble && now - since > maxSilenceNanos) {
                return Optional.of(name + ": failing for " + (now - since) / 1_000_000 + " ms: " + trouble);
            }
            long silent = now - lastBeat;
            if (beatsExpected && silent > maxSilenceNanos) {
                return Optional.of(name + ": no sign of life for " + silent / 1_000_000 + " ms (limit "
                        + maxSilenceNanos / 1_000_000 + " ms)");
            }
            return Optional.empty();
        }
    }

    /**
     * Watches a thread that will call {@link Heartbeat#beat()} at least every {@code maxSilenceMs}; until its
     * first beat only the silence counts (from now).
     */
    public Heartbeat register(String name, long maxSilenceMs) {
        Heartbeat h = new Heartbeat(name, maxSilenceMs * 1_000_000L, true);
        beats.add(h);
        return h;
    }

    /**
     * Watches a thread that may block for as long as nothing happens (a capture on a quiet segment), so silence
     * says nothing: it counts as stalled when it has died, or has been in {@link Heartbeat#trouble} for longer
     * than {@code maxTroubleMs}.
     */
    public Heartbeat registerBlocking(String name, long maxTroubleMs) {
        Heartbeat h = new Heartbeat(name, maxTroubleMs * 1_000_000L, false);
        beats.add(h);
        return h;
    }

    /** The first thread that is dead or silent too long, if any. */
    public Optional<String> stalled() {
        long now = clock.getAsLong();
        for (Heartbeat h : beats) {
            Optional<String> s = h.stalled(now);
            if (s.isPresent()) {
                return s;
            }
        }
        return Optional.empty();
    }
}
