package io.nginxha.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped unit file: systemd accepts every line of it, and it keeps the settings the agent relies on. */
class SystemdUnitTest {
    private static final Path DIST = Path.of("src/main/dist");

    @Test
    void unitPassesSystemdAnalyzeVerify(@TempDir Path dir) throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        Assumptions.assumeTrue(Files.isExecutable(analyze), "systemd-analyze missing (Debian package systemd)");
        // verify insists that ExecStart exists: point it at the launcher in this tree
        String unit = Files.readString(DIST.resolve("vrrp-agent.service"))
                .replace("/usr/bin/vrrp-agent", DIST.resolve("vrrp-agent").toAbsolutePath().toString());
        Path copy = dir.resolve("vrrp-agent.service");
        Files.writeString(copy, unit);
        Process p = new ProcessBuilder(analyze.toString(), "verify", copy.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        // verify exits 0 even for unknown keys and bad values; it names our file in each such complaint
        List<String> ours = output.lines().filter(l -> l.contains(copy.toString())).toList();
        assertEquals(List.of(), ours, output);
    }

    @Test
    void unitKeepsTheSettingsTheAgentDependsOn() throws Exception {
        List<String> lines = Files.readAllLines(DIST.resolve("vrrp-agent.service"));
        for (String needed : List.of("Type=notify", "NotifyAccess=main", "WatchdogSec=10s",
                "ExecReload=/bin/kill -HUP $MAINPID", "User=vrrp-agent",
                "AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW", "CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW",
                "NoNewPrivileges=yes", "RuntimeDirectory=vrrp-agent",
                // installed but not configured (the package ships only the example): skipped, not failing
                "ConditionFileNotEmpty=/etc/vrrp-agent/keepalived.conf",
                "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK AF_PACKET")) {
            assertTrue(lines.contains(needed), needed);
        }
        // the JIT writes code: this one would make the JVM crash at start
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("MemoryDenyWriteExecute=")));
        // invisible would hide nginx's master (a root process) from the nginx tracker: it would restart nginx forever
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("ProtectProc=invisible")));
    }

    @Test
    void polkitRuleGrantsOnlyStartingNginx() throws Exception {
        String rule = Files.readString(DIST.resolve("50-vrrp-agent-nginx.rules"));
        assertTrue(rule.contains("action.lookup(\"unit\") == \"nginx.service\""), rule);
        assertTrue(rule.contains("action.lookup(\"verb\") == \"start\""), rule);
        assertTrue(rule.contains("subject.user == \"vrrp-agent\""), rule);
    }
}
