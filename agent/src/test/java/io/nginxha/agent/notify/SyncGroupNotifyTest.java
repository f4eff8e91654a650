package io.nginxha.agent.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.NotifyConfig;
import io.nginxha.agent.config.SyncGroupConfig;
import io.nginxha.agent.vrrp.VrrpState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sync group's scripts: notify_* as written, notify with keepalived's GROUP NAME STATE 0, then the mail. */
class SyncGroupNotifyTest {
    @TempDir
    Path dir;

    private List<String> recorder(Path log, String tag) throws Exception {
        Path script = dir.resolve("rec.sh");
        Files.writeString(script, "#!/bin/sh\necho \"$*\" >> \"$1\"\n");
        script.toFile().setExecutable(true);
        return List.of(script.toString(), log.toString(), tag);
    }

    private static List<String> waitLines(Path log, int n) throws Exception {
        for (int i = 0; i < 500 && !(Files.exists(log) && Files.readAllLines(log).size() >= n); i++) {
            Thread.sleep(10);
        }
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void groupScriptsGetGroupNameStateAndZero() throws Exception {
        Path log = dir.resolve("calls.log");
        NotifyConfig n = new NotifyConfig(recorder(log, "master"), recorder(log, "backup"), recorder(log, "fault"),
                recorder(log, "stop"), recorder(log, "any"), true);
        SyncGroupConfig g = new SyncGroupConfig("G1", List.of("VI_1", "VI_2"), n, null);
        List<String> mails = new CopyOnWriteArrayList<>();
        try (Notifier notifier = new Notifier(null, (i, s, p, r) -> mails.add(i + " " + s + " " + p))) {
            notifier.groupTransition(g, VrrpState.BACKUP, VrrpState.FAULT, "VI_1 in fault");
            List<String> lines = waitLines(log, 2);
            assertTrue(lines.contains(log + " fault"), lines.toString());
            assertTrue(lines.contains(log + " any GROUP G1 FAULT 0"), lines.toString());
            notifier.groupTransition(g, VrrpState.MASTER, VrrpState.INIT, "every member stopped");
            lines = waitLines(log, 4);
            assertTrue(lines.contains(log + " stop"), lines.toString());
            assertTrue(lines.contains(log + " any GROUP G1 STOP 0"), lines.toString());
            assertEquals(4, lines.size(), "only the script of the state entered: " + lines);
        }
        assertEquals(List.of("sync group G1 FAULT 0", "sync group G1 STOP 0"), mails);
    }
}
