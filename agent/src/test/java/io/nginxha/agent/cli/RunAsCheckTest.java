package io.nginxha.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.ConfigException;
import io.nginxha.agent.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunAsCheckTest {
    @TempDir
    Path dir;

    private AgentConfig load(String globals, String scriptUser) throws Exception {
        Path f = dir.resolve("keepalived.conf");
        Files.writeString(f, "global_defs {\n" + globals + "}\n"
                + "vrrp_script chk {\n    script \"/bin/true\"\n" + scriptUser + "}\n"
                + "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 66\n    priority 100\n"
                + "    virtual_ipaddress { 192.168.16.130 }\n    track_script { chk }\n}\n");
        return ConfigLoader.load(f, "ha1");
    }

    @Test
    void aScriptUserTheAgentCannotBecomeIsRefusedWhenTheAgentIsNotRoot() throws Exception {
        AgentConfig c = load("    script_user postgres\n", "    user nobody\n");
        ConfigException e = assertThrows(ConfigException.class, () -> RunAsCheck.check(c, "vrrp-agent", false));
        assertEquals(2, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith("script_user postgres: the agent runs as vrrp-agent, not root"),
                e.problems().get(0));
        assertTrue(e.problems().get(1).matches(".*keepalived.conf:\\d+: vrrp_script chk user nobody: the agent runs"
                + " as vrrp-agent.*"), e.problems().get(1));
    }

    @Test
    void theAgentsOwnUserOrRootAreFine() throws Exception {
        RunAsCheck.check(load("    script_user vrrp-agent\n", ""), "vrrp-agent", false);
        RunAsCheck.check(load("    script_user postgres\n", "    user nobody\n"), "root", true);
    }

    @Test
    void scriptSecurityWithoutRootIsSaidNotSilent() throws Exception {
        AgentConfig c = load("    enable_script_security\n", "");
        assertTrue(RunAsCheck.securityNote(c, "vrrp-agent", false).startsWith("enable_script_security: the agent"
                + " runs as vrrp-agent, not root"));
        assertNull(RunAsCheck.securityNote(c, "root", true));
        assertNull(RunAsCheck.securityNote(load("", ""), "vrrp-agent", false));
    }
}
