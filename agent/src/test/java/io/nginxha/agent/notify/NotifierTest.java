package io.nginxha.agent.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.GlobalConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.NotifyConfig;
import io.nginxha.agent.config.Source;
import io.nginxha.agent.status.Json;
import io.nginxha.agent.vrrp.VrrpState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifierTest {
    @TempDir
    Path dir;

    private InstanceConfig instance(NotifyConfig n) {
        return InstanceConfig.builder("VI_1").iface("eth0").vrid(66).priority(100).notifications(n)
                .source(new Source(Path.of("t"), 1)).build();
    }

    /** A script that appends its arguments, one run per line, to {@code log}. */
    private List<String> recorder(Path log, String tag) throws Exception {
        Path script = dir.resolve("rec.sh");
        Files.writeString(script, "#!/bin/sh\necho \"$*\" >> \"$1\"\n");
        script.toFile().setExecutable(true);
        return List.of(script.toString(), log.toString(), tag);
    }

    private static List<String> waitLines(Path log, int n) throws Exception {
        for (int i = 0; i < 500; i++) {
            if (Files.exists(log) && Files.readAllLines(log).size() >= n) {
                return Files.readAllLines(log);
            }
            Thread.sleep(10);
        }
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void scriptsGetKeepalivedsArgumentsAndTheStateFileFollows() throws Exception {
        Path log = dir.resolve("calls.log");
        NotifyConfig n = new NotifyConfig(recorder(log, "master"), recorder(log, "backup"), recorder(log, "fault"),
                recorder(log, "stop"), recorder(log, "any"), false);
        Path state = dir.resolve("run/state.json");
        List<String> mails = new ArrayList<>();
        try (Notifier notifier = new Notifier(new StateFile(state, "ha1"),
                (i, s, p, r) -> mails.add(i + " " + s))) {
            notifier.transition(instance(n), VrrpState.BACKUP, VrrpState.MASTER, 100, "timeout");
            List<String> lines = waitLines(log, 2);
            assertEquals(2, lines.size(), lines.toString());
            assertTrue(lines.contains(log + " master"), lines.toString());
            assertTrue(lines.contains(log + " any INSTANCE VI_1 MASTER 100"), lines.toString());
            notifier.transition(instance(n), VrrpState.MASTER, VrrpState.INIT, 100, "shutdown");
            lines = waitLines(log, 4);
            assertTrue(lines.contains(log + " stop"), lines.toString());
            assertTrue(lines.contains(log + " any INSTANCE VI_1 STOP 100"), lines.toString());
        }
        String json = Files.readString(state);
        assertTrue(json.contains("\"VI_1\": {\"state\": \"STOP\", \"priority\": 100"), json);
        assertTrue(json.contains("\"router_id\": \"ha1\""), json);
        assertEquals(List.of(), mails, "smtp_alert is off for this instance");
        try (var files = Files.list(state.getParent())) {
            assertEquals(1, files.count(), "no temporary file is left beside the state file");
        }
    }

    @Test
    void alertSentWhenSmtpAlertIsOn() throws Exception {
        NotifyConfig n = new NotifyConfig(List.of(), List.of(), List.of(), List.of(), List.of(), true);
        List<String> mails = new java.util.concurrent.CopyOnWriteArrayList<>();
        Notifier notifier = new Notifier(null, (i, s, p, r) -> mails.add(i + " " + s + " " + p + " " + r));
        notifier.transition(instance(n), VrrpState.MASTER, VrrpState.FAULT, 90, "nginx down");
        notifier.close();
        assertEquals(List.of("VI_1 FAULT 90 nginx down"), mails);
    }

    @Test
    void reloadSwitchesTheMailSettingsForLaterTransitions() throws Exception {
        NotifyConfig n = new NotifyConfig(List.of(), List.of(), List.of(), List.of(), List.of(), true);
        List<String> mails = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.function.Function<GlobalConfig, Notifier.Settings> viaServer = g -> new Notifier.Settings(
                g.smtpServer() == null ? null : (i, s, p, r) -> mails.add(g.smtpServer() + " " + i + " " + s),
                null, false);
        Notifier notifier = new Notifier(null, viaServer, global(null));
        notifier.transition(instance(n), VrrpState.BACKUP, VrrpState.MASTER, 100, "timeout");
        notifier.reload(new AgentConfig(global("mx1:25"), Map.of(), List.of(instance(n))));
        notifier.transition(instance(n), VrrpState.MASTER, VrrpState.BACKUP, 100, "preempted");
        notifier.reload(new AgentConfig(global("mx2:2525"), Map.of(), List.of(instance(n))));
        notifier.transition(instance(n), VrrpState.BACKUP, VrrpState.MASTER, 100, "timeout");
        notifier.close();
        assertEquals(List.of("mx1:25 VI_1 BACKUP", "mx2:2525 VI_1 MASTER"), mails,
                "no mail before a server was configured, then each through the server of its time");
    }

    @Test
    void reloadRenamesTheRouterInTheStateFileAtOnce() throws Exception {
        NotifyConfig n = new NotifyConfig(List.of(), List.of(), List.of(), List.of(), List.of(), false);
        Path state = dir.resolve("state.json");
        Notifier notifier = new Notifier(new StateFile(state, "ha1"), g -> new Notifier.Settings(null, null, false),
                global(null));
        notifier.transition(instance(n), VrrpState.BACKUP, VrrpState.MASTER, 100, "timeout");
        notifier.reload(new AgentConfig(global(null, "edge-a"), Map.of(), List.of(instance(n))));
        notifier.close();
        String json = Files.readString(state);
        assertTrue(json.contains("\"router_id\": \"edge-a\""), json);
        assertTrue(json.contains("\"VI_1\": {\"state\": \"MASTER\""), "the instances are kept: " + json);
    }

    private static GlobalConfig global(String smtpServer) {
        return global(smtpServer, "ha1");
    }

    private static GlobalConfig global(String smtpServer, String routerId) {
        return new GlobalConfig(routerId, 2, null, false, List.of("ops@example.org"), null, smtpServer, 30,
                GarpConfig.DEFAULTS);
    }

    @Test
    void jsonStringsAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", Json.quote("a\"b\\c\nd\u0001"));
        assertEquals("null", Json.quote(null));
        assertTrue(TimeUnit.SECONDS.toMillis(1) > 0);
    }
}
