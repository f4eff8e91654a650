package io.nginxha.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.ScriptConfig;
import io.nginxha.agent.config.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptTrackerTest {
    @TempDir
    Path dir;

    private static ScriptConfig script(List<String> command, long timeoutMs, int rise, int fall) {
        return new ScriptConfig("chk", command, 1000, timeoutMs, -10, false, rise, fall, null,
                new Source(Path.of("t"), 1), false);
    }

    @Test
    void exitStatusDecides() throws Exception {
        Path out = dir.resolve("out");
        assertTrue(new ScriptTracker(script(List.of("true"), 2000, 1, 1), null).runOnce(out).success());
        ScriptTracker.Result r = new ScriptTracker(script(List.of("sh", "-c", "echo oops; exit 3"), 2000, 1, 1), null)
                .runOnce(out);
        assertFalse(r.success());
        assertEquals("exit status 3", r.detail());
    }

    @Test
    void hangingScriptAndItsChildrenAreKilledAtTheTimeout() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        ScriptTracker t = new ScriptTracker(script(List.of("sh", "-c", "sleep 30 & echo $! > " + pidFile + "; wait"),
                300, 1, 1), null);
        long start = System.nanoTime();
        ScriptTracker.Result r = t.runOnce(dir.resolve("out"));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertFalse(r.success());
        assertEquals("timed out after 300 ms, killed", r.detail());
        assertTrue(tookMs < 10_000, "took " + tookMs);
        long child = Long.parseLong(Files.readString(pidFile).strip());
        // killed and reaped, or at worst a moment from gone
        var handle = ProcessHandle.of(child);
        if (handle.isPresent()) {
            handle.get().onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void closeKillsARunInProgress() throws Exception {
        Path pidFile = dir.resolve("run.pid");
        ScriptTracker t = new ScriptTracker(script(List.of("sh", "-c", "echo $$ > " + pidFile + ".tmp; mv " + pidFile
                + ".tmp " + pidFile + "; sleep 30 & wait"), 60_000, 1, 1), null);
        t.start(new Check.Sink() {
            public void status(String check, boolean up, String why) { }
        });
        for (int i = 0; i < 1000 && !Files.exists(pidFile); i++) {
            Thread.sleep(10);
        }
        long run = Long.parseLong(Files.readString(pidFile).strip());
        ProcessHandle handle = ProcessHandle.of(run).orElseThrow();
        List<ProcessHandle> children = handle.children().toList();
        t.close(); // a reload removing the script, or the agent stopping
        handle.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        for (ProcessHandle c : children) {
            c.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertFalse(handle.isAlive(), "the run was killed, not left to finish its 30 s");
    }

    @Test
    void riseAndFallCountRunsInARow() {
        ScriptTracker t = new ScriptTracker(script(List.of("true"), 1000, 2, 3), null);
        assertTrue(t.initiallyUp());
        assertNull(t.record(false));
        assertNull(t.record(false));
        assertEquals(Boolean.FALSE, t.record(false));
        assertNull(t.record(true));
        assertNull(t.record(false));
        assertNull(t.record(true));
        assertEquals(Boolean.TRUE, t.record(true));
    }
}
