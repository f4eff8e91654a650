package io.nginxha.agent.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.ConfigLoader;
import io.nginxha.agent.proc.ChildProcesses;
import io.nginxha.agent.reliability.Ledger;
import io.nginxha.agent.vrrp.VrrpState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Notify scripts: argv without a shell, as script_user, and refused under enable_script_security when root would
 * run them from a path others can write. Runs as root (the user switch and the rule need it).
 */
class NotifyHardeningTest {
    private static final List<String> HOSTILE = List.of("lit$(id)", "semi;id", "back`id`", "pipe|id", "star*");

    @TempDir
    Path dir;

    @BeforeEach
    void needsRoot() throws Exception {
        assumeTrue(ChildProcesses.AGENT_IS_ROOT, "switching users needs root");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    private AgentConfig load(String globals, String notifyMaster) throws Exception {
        Path conf = Files.createTempFile("notify-hardening", ".conf");
        Files.writeString(conf, "global_defs {\n" + globals + "}\n" + """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 66
                    priority 100
                    virtual_ipaddress { 192.168.16.130 }
                    notify_master "%s"
                }
                """.formatted(notifyMaster));
        try {
            return ConfigLoader.load(conf);
        } finally {
            Files.delete(conf);
        }
    }

    private void waitFor(Path file) throws InterruptedException {
        for (int i = 0; i < 1000 && !Files.exists(file); i++) {
            Thread.sleep(10);
        }
        assertTrue(Files.exists(file), file + " never appeared");
    }

    @Test
    void notifyScriptRunsAsArgvAsScriptUser() throws Exception {
        String words = HOSTILE.stream().map(w -> dir.resolve(w).toString()).collect(Collectors.joining(" "));
        AgentConfig config = load(" script_user nobody\n", "/usr/bin/touch " + words + " " + dir.resolve("last"));
        try (Notifier notifier = Notifier.create(config, null)) {
            notifier.transition(config.instances().get(0), VrrpState.BACKUP, VrrpState.MASTER, 100, "test");
        }
        waitFor(dir.resolve("last"));
        Set<String> created;
        try (Stream<Path> files = Files.list(dir)) {
            created = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
        Set<String> expected = new java.util.HashSet<>(HOSTILE);
        expected.add("last");
        assertEquals(expected, created, "literal names: no shell ran");
        assertEquals(65534, Files.getAttribute(dir.resolve("last"), "unix:uid"), "run as script_user nobody");
        Ledger.record("hardening", "shell metacharacters in notify_master, script_user nobody", 1,
                "run as argv as nobody: no shell, literal file names");
    }

    @Test
    void enableScriptSecurityRefusesAnUnsafeNotifyScriptRunAsRoot() throws Exception {
        Path script = dir.resolve("notify.sh");
        Files.writeString(script, "#!/bin/sh\ntouch " + dir.resolve("ran") + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        AgentConfig config = load(" enable_script_security\n", script.toString());
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger logger = (Logger) LoggerFactory.getLogger(Notifier.class);
        logger.addAppender(logged);
        try (Notifier notifier = Notifier.create(config, null)) {
            notifier.transition(config.instances().get(0), VrrpState.BACKUP, VrrpState.MASTER, 100, "test");
        } finally {
            logger.detachAppender(logged);
        }
        assertTrue(logged.list.stream().anyMatch(e -> e.getFormattedMessage().contains("not run"
                + " (enable_script_security)") && e.getFormattedMessage().contains("writable by every user")),
                logged.list.toString());
        assertFalse(Files.exists(dir.resolve("ran")));

        // The same script from a directory only root can write runs.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Notifier notifier = Notifier.create(config, null)) {
            notifier.transition(config.instances().get(0), VrrpState.BACKUP, VrrpState.MASTER, 100, "test");
        }
        waitFor(dir.resolve("ran"));
        Ledger.record("hardening", "enable_script_security: notify script run as root from a world-writable"
                + " directory", 1, "refused and logged; from a safe directory it runs");
    }
}
