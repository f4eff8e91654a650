package io.nginxha.agent.proc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A real child process and a real pidfd: the wait ends when the child does, not at the timeout. */
class ProcessExitsTest {
    @Test
    void theWaitEndsWhenTheProcessExits() throws Exception {
        try (ProcessExits exits = ProcessExits.create()) {
            Assumptions.assumeTrue(exits.available(), "no pidfd on this kernel");
            Process child = new ProcessBuilder("sleep", "0.3").start();
            long t0 = System.nanoTime();
            assertFalse(exits.await(child.pid(), 50), "still running after 50 ms");
            boolean exited = exits.await(child.pid(), 10_000);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(exited, "told of the exit");
            assertTrue(ms < 5_000, "woken by the exit, not the 10 s timeout: " + ms + " ms");
            child.waitFor();
            assertTrue(exits.await(child.pid(), 10_000), "a reaped pid counts as gone at once");
        }
    }

    @Test
    void aPidThatIsGoneIsReportedAtOnce() throws Exception {
        try (ProcessExits exits = ProcessExits.create()) {
            Assumptions.assumeTrue(exits.available(), "no pidfd on this kernel");
            Process child = new ProcessBuilder("true").start();
            child.waitFor();
            long t0 = System.nanoTime();
            assertTrue(exits.await(child.pid(), 10_000));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
        }
    }
}
