package io.nginxha.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.GlobalConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.InstanceConfig.Tracked;
import io.nginxha.agent.config.ScriptConfig;
import io.nginxha.agent.config.Source;
import io.nginxha.agent.os.Liveness;
import io.nginxha.agent.os.Stalls;
import io.nginxha.agent.reliability.Ledger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The check threads are part of the agent's liveness (Trackers.watchedBy): one that dies, or hangs past its
 * silence bound, makes {@link Liveness#stalled} name it, so the loop stops feeding systemd's watchdog; one stopped
 * on purpose (reload, shutdown) does not.
 */
class TrackerLivenessTest {
    private static final Source SRC = new Source(Path.of("t"), 1);
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Liveness liveness = new Liveness(now::get);

    private static AgentConfig tracking(ScriptConfig script) {
        InstanceConfig vi1 = InstanceConfig.builder("VI_1").iface("eth0").vrid(1).priority(100).source(SRC)
                .trackScripts(List.of(new Tracked(script.name(), null, false, SRC))).dontTrackPrimary(true).build();
        GlobalConfig g = new GlobalConfig("ha1", 2, null, false, List.of(), null, null, 30, GarpConfig.DEFAULTS);
        return new AgentConfig(g, Map.of(script.name(), script), List.of(vi1));
    }

    private static ScriptConfig script(String name, List<String> command) {
        return new ScriptConfig(name, command, 200, 1000, -10, false, 1, 1, null, SRC);
    }

    /** Waits (real time) until the liveness names a stall, or 10 s. */
    private Optional<String> awaitStall() throws InterruptedException {
        return Stalls.await(liveness, Duration.ofSeconds(10));
    }

    private static Thread thread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no thread " + name));
    }

    @Test
    void aScriptTrackerWhoseThreadEndsStopsTheWatchdog() throws Exception {
        AgentConfig config = tracking(script("chk", List.of("/bin/true")));
        try (Trackers trackers = Trackers.create(config, (i, e) -> { })) {
            trackers.watchedBy(liveness);
            trackers.start();
            Thread.sleep(300); // a run or two: the thread has beaten
            assertEquals(Optional.empty(), liveness.stalled(), "a working script thread");
            Thread t = thread("script-chk");
            t.interrupt(); // its loop ends, as it would on an Error, without anyone closing the check
            t.join(5000);
            assertEquals(Optional.of("check chk: its thread has died"), awaitStall());
        }
        assertEquals(Optional.empty(), liveness.stalled(), "closed: no longer watched");
        Ledger.record("hardening", "a vrrp_script tracker thread that ends (interrupted, as by an Error)", 1,
                "the watchdog stops being fed at the loop's next pass");
    }

    @Test
    void aCheckThreadThatHangsStopsTheWatchdogAfterItsBound() throws Exception {
        CountDownLatch hang = new CountDownLatch(1);
        CountDownLatch beaten = new CountDownLatch(1);
        Check hanging = new Check() {
            public String name() {
                return "chk";
            }

            public boolean initiallyUp() {
                return true;
            }

            public long maxSilenceMs() {
                return 5_000;
            }

            public void start(Sink sink) {
                Thread t = new Thread(() -> {
                    sink.alive();
                    beaten.countDown();
                    try {
                        hang.await(); // stuck where no run frees it
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "hanging-check");
                t.setDaemon(true);
                t.start();
            }

            public void close() {
                hang.countDown();
            }
        };
        Trackers trackers = new Trackers(tracking(script("chk", List.of("/bin/true"))), (i, e) -> { },
                (c, name, reloading) -> hanging);
        trackers.watchedBy(liveness);
        trackers.start();
        assertTrue(beaten.await(5, TimeUnit.SECONDS));
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(5_000));
        assertEquals(Optional.empty(), liveness.stalled(), "silent for its bound: still fine");
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertEquals(Optional.of("check chk: no sign of life for 5001 ms (limit 5000 ms)"), liveness.stalled());
        trackers.close();
        assertEquals(Optional.empty(), liveness.stalled());
        Ledger.record("hardening", "a check thread that hangs past its silence bound", 1,
                "the watchdog stops being fed once the bound has passed, not before");
    }

    @Test
    void aCheckStoppedByAReloadIsNoLongerWatched() throws Exception {
        AgentConfig config = tracking(script("chk", List.of("/bin/true")));
        try (Trackers trackers = Trackers.create(config, (i, e) -> { })) {
            trackers.watchedBy(liveness);
            trackers.start();
            Thread.sleep(300);
            Thread old = thread("script-chk");
            trackers.reload(tracking(script("other", List.of("/bin/true"))), Set.of());
            old.join(5000);
            now.addAndGet(TimeUnit.SECONDS.toNanos(1)); // the new script's thread has beaten within its bound
            Thread.sleep(300);
            assertEquals(Optional.empty(), liveness.stalled(), "the retired check's thread ended on purpose");
        }
    }

    @Test
    void boundsFollowWhatEachCheckWaitsFor() {
        ScriptConfig slow = new ScriptConfig("slow", List.of("/bin/true"), 2000, 30_000, 0, false, 1, 1, null, SRC);
        assertEquals(70_000, new ScriptTracker(slow, null).maxSilenceMs(), "twice the longest turn: timeout and reap");
        assertEquals(0, new FileTracker(new io.nginxha.agent.config.TrackFileConfig("f", "/tmp/x", 0, false, null,
                false, SRC), false).maxSilenceMs(), "waits on its watch: only death counts");
        assertEquals(-1, SimChecks.linkUp("interface:eth0").maxSilenceMs(), "no thread of its own");
    }
}
