package io.nginxha.agent.notify;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.NotifyConfig;
import io.nginxha.agent.config.Source;
import io.nginxha.agent.reliability.Ledger;
import io.nginxha.agent.vrrp.VrrpState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Notify scripts and mail never hold each other up, and a hung script does not live on. */
class NotifyChildrenTest {
    @TempDir
    Path dir;

    private static InstanceConfig instance(NotifyConfig n) {
        return InstanceConfig.builder("VI_1").iface("eth0").vrid(66).priority(100).notifications(n)
                .source(new Source(Path.of("t"), 1)).build();
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition, long ms) throws Exception {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    @Test
    void aHungNotifyScriptIsKilledWithItsChildren() throws Exception {
        Path pids = dir.resolve("pids");
        // The script starts a helper in the background, records both pids, then hangs.
        Path script = dir.resolve("hang.sh");
        Files.writeString(script, "#!/bin/sh\nsleep 300 &\necho $$ $! > " + pids + "\nwait\n");
        script.toFile().setExecutable(true);
        NotifyConfig n = new NotifyConfig(List.of(script.toString()), List.of(), List.of(), List.of(), List.of(), false);
        try (Notifier notifier = new Notifier(null, null)) {
            notifier.scriptTimeoutMs(300);
            notifier.transition(instance(n), VrrpState.BACKUP, VrrpState.MASTER, 100, "test");
            assertTrue(waitFor(() -> Files.exists(pids) && pidsIn(pids).length == 2, 5000), "the script started");
            long[] both = pidsIn(pids);
            assertTrue(waitFor(() -> java.util.Arrays.stream(both).noneMatch(NotifyChildrenTest::alive), 5000),
                    "script and helper killed after the bound");
        }
        Ledger.record("hardening", "a notify script that hangs (with a background child)", 1,
                "killed with its descendants at the bound (60 s in production)");
    }

    @Test
    void aSlowMailRelayDoesNotDelayTheNextNotifyScripts() throws Exception {
        Path touched = dir.resolve("touched");
        CountDownLatch relay = new CountDownLatch(1);
        NotifyConfig withMail = new NotifyConfig(List.of(), List.of(), List.of(), List.of(), List.of(), true);
        NotifyConfig script = new NotifyConfig(List.of(), List.of("/usr/bin/touch", touched.toString()), List.of(),
                List.of(), List.of(), false); // notify_backup: the second transition is to BACKUP
        Notifier notifier = new Notifier(null, (i, s, p, r) -> relay.await(30, TimeUnit.SECONDS));
        try {
            notifier.transition(instance(withMail), VrrpState.BACKUP, VrrpState.MASTER, 100, "mail hangs");
            notifier.transition(instance(script), VrrpState.MASTER, VrrpState.BACKUP, 100, "next");
            assertTrue(waitFor(() -> Files.exists(touched), 3000), "the next script ran while the relay hung");
        } finally {
            relay.countDown();
            notifier.close();
        }
        Ledger.record("hardening", "alert mail to a relay that never answers, then a notify script", 1,
                "the script ran at once; mail waits on its own thread (64 at most)");
    }

    private static long[] pidsIn(Path file) {
        try {
            String[] words = Files.readString(file).trim().split("\\s+");
            return words.length == 2 ? new long[] {Long.parseLong(words[0]), Long.parseLong(words[1])} : new long[0];
        } catch (Exception e) {
            return new long[0];
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void aScriptThatEndsInTimeIsNotKilled() throws Exception {
        Path done = dir.resolve("done");
        NotifyConfig n = new NotifyConfig(List.of("/bin/sh", "-c", "sleep 0.2; touch " + done), List.of(), List.of(),
                List.of(), List.of(), false);
        try (Notifier notifier = new Notifier(null, null)) {
            notifier.scriptTimeoutMs(2000);
            notifier.transition(instance(n), VrrpState.BACKUP, VrrpState.MASTER, 100, "test");
            assertTrue(waitFor(() -> Files.exists(done), 3000));
        }
        assertFalse(Files.notExists(done));
    }
}
