package io.nginxha.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.ConfigLoader;
import io.nginxha.agent.config.NginxCheckConfig;
import io.nginxha.agent.config.ScriptConfig;
import io.nginxha.agent.config.Source;
import io.nginxha.agent.proc.ChildProcesses;
import io.nginxha.agent.proc.ScriptSecurity;
import io.nginxha.agent.reliability.Ledger;
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

/**
 * Commands from the config run as argv, never through a shell, and scripts run as script_user; with
 * enable_script_security a script that root would run from a path others can write is refused (keepalived's rule).
 * Each command here is {@code touch} with words a shell would expand: the files it leaves show whether a shell ran.
 */
class CommandHardeningTest {
    /** Words a shell would expand or split on; as argv they are just odd file names. */
    static final List<String> HOSTILE = List.of("lit$(id)", "semi;id", "back`id`", "pipe|id", "and&&id", "star*");

    @TempDir
    Path dir;

    @BeforeEach
    void writableByTheScriptUser() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    /** The config line: {@code touch DIR/lit$(id -u) DIR/semi;id ...}, quoted as one keepalived script string. */
    String touchLine() {
        return "/usr/bin/touch " + HOSTILE.stream().map(w -> dir.resolve(w).toString()).collect(Collectors.joining(" "));
    }

    Set<String> created() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private AgentConfig load(String globals, String body) throws Exception {
        Path conf = Files.createTempFile("hardening", ".conf");
        Files.writeString(conf, "global_defs {\n" + globals + "}\n" + body + """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 66
                    priority 100
                    virtual_ipaddress { 192.168.16.130 }
                }
                """);
        try {
            return ConfigLoader.load(conf);
        } finally {
            Files.delete(conf);
        }
    }

    @Test
    void vrrpScriptRunsAsArgvWithoutAShell() throws Exception {
        AgentConfig config = load("", "vrrp_script chk {\n script \"" + touchLine() + "\"\n}\n");
        ScriptConfig script = config.scripts().get("chk");
        assertTrue(new ScriptTracker(script, null).runOnce(dir.resolve("out.log")).success());
        Files.delete(dir.resolve("out.log"));
        assertEquals(Set.copyOf(HOSTILE), created());
        Ledger.record("hardening", "shell metacharacters ($(), ;, `, |, &&, *) in a vrrp_script command", 1,
                "run as argv: no shell, literal file names");
    }

    @Test
    void nginxRestartCommandRunsAsArgvWithoutAShell() throws Exception {
        AgentConfig config = load("", "vrrp_track_nginx nginx {\n restart_command \"" + touchLine() + "\"\n}\n");
        NginxCheckConfig nginx = config.nginxChecks().get("nginx");
        NginxTracker.Restart restart = new CommandRestarter(nginx).start();
        for (int i = 0; i < 1000 && restart.running(); i++) {
            Thread.sleep(10);
        }
        assertEquals(0, restart.exitStatus());
        assertEquals(Set.copyOf(HOSTILE), created());
        Ledger.record("hardening", "shell metacharacters in the nginx restart_command", 1,
                "run as argv: no shell, literal file names");
    }

    @Test
    void scriptRunsAsScriptUser() throws Exception {
        assumeTrue(ChildProcesses.AGENT_IS_ROOT, "switching users needs root");
        AgentConfig config = load(" script_user nobody\n", "vrrp_script chk {\n script \"/usr/bin/touch "
                + dir.resolve("mine") + "\"\n}\n");
        ScriptTracker tracker = new ScriptTracker(config.scripts().get("chk"), config.global().scriptUser());
        assertTrue(tracker.runOnce(dir.resolve("out.log")).success());
        assertEquals(65534, Files.getAttribute(dir.resolve("mine"), "unix:uid"), "owner of the script's file");
        Ledger.record("hardening", "vrrp_script with script_user nobody, agent running as root", 1,
                "ran as nobody (uid 65534)");
    }

    @Test
    void enableScriptSecurityRefusesAScriptRootWouldRunFromAWorldWritableDirectory() throws Exception {
        assumeTrue(ChildProcesses.AGENT_IS_ROOT, "the rule only concerns scripts run as root");
        Path script = dir.resolve("check.sh");
        Files.writeString(script, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        ScriptConfig config = new ScriptConfig("chk", List.of(script.toString()), 1000, 1000, -10, false, 1, 1,
                null, new Source(Path.of("t"), 1), false);

        assertTrue(ScriptSecurity.unsafe(List.of(script.toString())).orElseThrow().contains("writable by every user"));
        assertTrue(new ScriptTracker(config, null, true).refused());
        assertFalse(new ScriptTracker(config, null, false).refused(), "without enable_script_security: warn, run");
        assertFalse(new ScriptTracker(config, "nobody", true).refused(), "not run as root: no rule");

        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertTrue(ScriptSecurity.unsafe(List.of(script.toString())).isEmpty(), "root-owned 755 under sticky /tmp");
        assertFalse(new ScriptTracker(config, null, true).refused());
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertTrue(new ScriptTracker(config, null, true).refused(), "the script itself world-writable");
        assertTrue(ScriptSecurity.unsafe(List.of("sh")).isEmpty(), "sh found on PATH, root-owned");
        Ledger.record("hardening", "enable_script_security: script run as root from a world-writable directory,"
                + " or itself world-writable", 2, "refused (never run); safe paths and script_user scripts run");
    }
}
