package io.nginxha.agent.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nginxha.agent.reliability.Ledger;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SignalsTest {

    @Test
    void reloadsRunOneAtATimeAndSignalsDuringOneAddExactlyOneMore() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch secondDone = new CountDownLatch(2);
        Signals.Reloads reloads = new Signals.Reloads(() -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            firstStarted.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            runs.incrementAndGet();
            running.decrementAndGet();
            secondDone.countDown();
        });
        reloads.request();
        assertTrue(firstStarted.await(5, TimeUnit.SECONDS));
        for (int i = 0; i < 5; i++) {
            reloads.request(); // five SIGHUPs while the first reload reads the files
        }
        release.countDown();
        assertTrue(secondDone.await(5, TimeUnit.SECONDS));
        Thread.sleep(200); // a third run, if there were one, would have started by now
        assertEquals(2, runs.get(), "the running reload and one more that reads the newest file");
        assertEquals(1, maxRunning.get(), "never two at once");
        Ledger.record("hardening", "reload: 6 SIGHUPs in a burst", 1, "2 reads, one at a time, the last one newest");
    }

    /** A JVM started with SIGHUP ignored (as under nohup) still reloads on SIGHUP. */
    @Test
    void hangupIgnoredAtStartIsResetSoItStillReloads() throws Exception {
        Path sh = Path.of("/bin/sh");
        assumeTrue(Files.isExecutable(sh));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        // trap "" HUP: the shell ignores SIGHUP and the JVM it execs inherits SIG_IGN, exactly what nohup does.
        Process p = new ProcessBuilder(sh.toString(), "-c",
                "trap '' HUP; exec \"$0\" -cp \"$1\" io.nginxha.agent.os.HangupProbe", java, cp)
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("ready")) {
                // the agent's warning about the reset comes first
            }
            assertEquals("ready true", line);
            new ProcessBuilder("kill", "-HUP", String.valueOf(p.pid())).start().waitFor();
            assertEquals("reload", out.readLine());
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
        Ledger.record("hardening", "agent started with SIGHUP ignored (nohup), then SIGHUP", 1,
                "disposition reset at start; the SIGHUP reloaded");
    }

    @Test
    void aNormalStartNeedsNoReset() {
        List<String> seen = new java.util.ArrayList<>();
        assertTrue(Signals.handleHangup(s -> seen.add("hup")));
    }
}
