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

        private Heartbeat(String name, long maxSilenceNanos) {
            this.name = name;
            this.maxSilenceNanos = maxSilenceNanos;
            this.lastBeat = clock.getAsLong();
        }

        /** Called by the thread itself, at least once per {@code maxSilence}; also binds it to that thread. */
        public void beat() {
            thread = Thread.currentThread();
            lastBeat = clock.getAsLong();
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
            long silent = now - lastBeat;
            if (silent > maxSilenceNanos) {
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
        Heartbeat h = new Heartbeat(name, maxSilenceMs * 1_000_000L);
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
