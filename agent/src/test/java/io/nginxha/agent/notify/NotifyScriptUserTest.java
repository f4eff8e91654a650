package io.nginxha.agent.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.ConfigLoader;
import io.nginxha.agent.proc.ChildProcesses;
import io.nginxha.agent.vrrp.VrrpState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keepalived's {@code notify_* SCRIPT USER [GROUP]}: each script runs as its own user, over script_user, and the
 * script-security rule applies to the user it runs as. Runs as root (the user switch needs it).
 */
class NotifyScriptUserTest {
    @TempDir
    Path dir;

    @BeforeEach
    void needsRoot() throws Exception {
        assumeTrue(ChildProcesses.AGENT_IS_ROOT, "switching users needs root");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    private AgentConfig load(String globals, String lines) throws Exception {
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, "global_defs {\n" + globals + "}\n"
                + "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 66\n virtual_ipaddress { 10.1.1.1 }\n"
                + lines + "}\n"
                + "vrrp_instance VI_2 {\n interface eth1\n virtual_router_id 67\n virtual_ipaddress { 10.1.2.1 }\n}\n"
                + "vrrp_sync_group G {\n group {\n VI_1\n VI_2\n }\n notify_backup \"/usr/bin/touch "
                + dir.resolve("group") + "\" daemon\n}\n");
        return ConfigLoader.load(conf);
    }

    private static Object uidOf(Path file) throws Exception {
        for (int i = 0; i < 500 && !Files.exists(file); i++) {
            Thread.sleep(10);
        }
        assertTrue(Files.exists(file), file + " never appeared");
        return Files.getAttribute(file, "unix:uid");
    }

    @Test
    void eachScriptRunsAsItsOwnUserOverScriptUser() throws Exception {
        AgentConfig c = load(" script_user daemon\n", " notify_master \"/usr/bin/touch " + dir.resolve("master")
                + "\" nobody nogroup\n notify \"/usr/bin/touch " + dir.resolve("any") + "\"\n");
        try (Notifier n = Notifier.create(c, null)) {
            n.transition(c.instances().get(0), VrrpState.BACKUP, VrrpState.MASTER, 100, "test");
            n.groupTransition(c.syncGroups().get(0), VrrpState.INIT, VrrpState.BACKUP, "start");
        }
        assertEquals(65534, uidOf(dir.resolve("master")), "notify_master ... nobody: as nobody");
        assertEquals(65534, Files.getAttribute(dir.resolve("master"), "unix:gid"), "group nogroup");
        assertEquals(1, uidOf(dir.resolve("any")), "notify without a user: as script_user daemon");
        assertEquals(1, uidOf(dir.resolve("group")), "a sync group's script with its own user");
    }

    @Test
    void scriptSecurityJudgesTheUserTheScriptRunsAs() throws Exception {
        Path script = dir.resolve("notify.sh"); // in a directory anyone can write: unsafe for root
        Files.writeString(script, "#!/bin/sh\ntouch \"$1\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        AgentConfig c = load(" script_user nobody\n enable_script_security\n", " notify_master \"" + script + " "
                + dir.resolve("as-root") + "\" root\n notify_backup \"" + script + " " + dir.resolve("as-nobody")
                + "\"\n");
        try (Notifier n = Notifier.create(c, null)) {
            n.transition(c.instances().get(0), VrrpState.BACKUP, VrrpState.MASTER, 100, "test");
            n.transition(c.instances().get(0), VrrpState.MASTER, VrrpState.BACKUP, 100, "test");
        }
        assertEquals(65534, uidOf(dir.resolve("as-nobody")), "as script_user nobody it is safe");
        assertFalse(Files.exists(dir.resolve("as-root")), "as root from a writable directory: refused");
    }
}
