package io.nginxha.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.TrackProcessConfig;
import io.nginxha.agent.config.TrackProcessConfig.ParamMatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process tracker against real processes of a name no other process on this machine has (a copy of sleep):
 * the quorum gained and lost as they start and end, the delay honoured, and the thread's heartbeat.
 */
class ProcessTrackerTest {
    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(Process::destroyForcibly);
    }

    /** A program whose process name (comm) is unique to this test run. */
    private Path program() throws Exception {
        String name = "nhatp" + ProcessHandle.current().pid() % 100000;
        Path p = dir.resolve(name);
        Files.copy(Path.of("/bin/sleep"), p, StandardCopyOption.REPLACE_EXISTING);
        p.toFile().setExecutable(true);
        return p;
    }

    private Process run(Path program) throws Exception {
        Process p = new ProcessBuilder(program.toString(), "60").start();
        started.add(p);
        return p;
    }

    private static TrackProcessConfig tracking(String name, int quorum, long terminateDelayMs) {
        return new TrackProcessConfig("t", name, List.of(), ParamMatch.NONE, false, 0, false, quorum,
                Integer.MAX_VALUE, 0, terminateDelayMs, null);
    }

    private record Report(boolean up, String why) { }

    @Test
    void theQuorumFollowsTheProcessesAsTheyStartAndEnd() throws Exception {
        Path program = program();
        Process first = run(program);
        Thread.sleep(100);
        BlockingQueue<Report> reports = new LinkedBlockingQueue<>();
        AtomicInteger beats = new AtomicInteger();
        try (ProcessTracker t = new ProcessTracker(tracking(program.getFileName().toString(), 2, 0))) {
            assertFalse(t.initiallyUp(), "one of two: no quorum at start");
            t.watchedBy(beats::incrementAndGet);
            t.start((check, up, why) -> reports.add(new Report(up, why)));
            Process second = run(program);
            Report r = reports.poll(5, TimeUnit.SECONDS);
            assertEquals(true, r == null ? null : r.up(), "two running: quorum gained");
            assertTrue(r.why().startsWith("quorum gained: 2 process(es)"), r.why());
            second.destroyForcibly().waitFor();
            r = reports.poll(5, TimeUnit.SECONDS);
            assertEquals(false, r == null ? null : r.up(), "one left: quorum lost");
            first.destroyForcibly().waitFor();
            assertEquals(null, reports.poll(600, TimeUnit.MILLISECONDS), "still lost: nothing to report");
            assertTrue(beats.get() >= 3, "the thread beats at every pass: " + beats.get());
        }
    }

    @Test
    void aRestartWithinTerminateDelayIsNotReported() throws Exception {
        Path program = program();
        Process p = run(program);
        Thread.sleep(100);
        BlockingQueue<Report> reports = new LinkedBlockingQueue<>();
        try (ProcessTracker t = new ProcessTracker(tracking(program.getFileName().toString(), 1, 3000))) {
            assertTrue(t.initiallyUp());
            t.start((check, up, why) -> reports.add(new Report(up, why)));
            p.destroyForcibly().waitFor();
            Thread.sleep(2 * ProcessTracker.POLL_MS + 100);
            run(program); // restarted before terminate_delay ran out
            assertEquals(null, reports.poll(3500, TimeUnit.MILLISECONDS), "no down, no up");
        }
    }

    @Test
    void closingEndsItsHeartbeat() throws Exception {
        AtomicInteger ended = new AtomicInteger();
        ProcessTracker t = new ProcessTracker(tracking("no-such-proc", 1, 0));
        t.watchedBy(new ProcessTracker.Heartbeat() {
            public void beat() { }

            public void ended() {
                ended.incrementAndGet();
            }
        });
        t.close();
        assertEquals(1, ended.get(), "a tracker stopped by a reload is no longer expected to beat");
    }
}
