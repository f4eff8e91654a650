package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code notify_* SCRIPT [USER [GROUP]]} in instances and sync groups, and its YAML form. */
class NotifyUserConfigTest {
    @Test
    void theWordsAfterTheCommandAreItsUserAndGroup() throws Exception {
        AgentConfig c = Configs.load(Configs.instance(" notify_master /etc/keepalived/master.sh nginx nginx\n"
                + " notify \"/usr/local/bin/n.sh --all\" www-data\n notify_fault /bin/f\n")).config();
        NotifyConfig n = c.instances().get(0).notifications();
        assertEquals(List.of("/etc/keepalived/master.sh"), n.master());
        assertEquals(List.of("/usr/local/bin/n.sh", "--all"), n.any());
        assertEquals(Map.of("notify_master", "nginx:nginx", "notify", "www-data"), n.users());
        assertNull(n.userOf("notify_fault"), "no user: script_user");
        String yaml = YamlWriter.write(c);
        AgentConfig back = ConfigLoader.loadWithWarnings(Configs.write("agent.yaml", yaml)).config();
        assertEquals(n, back.instances().get(0).notifications(), yaml);
    }

    @Test
    void notifyDeletedAloneOrWithItsScriptAndTheLowerPriorityScript() throws Exception {
        LoadResult r = Configs.load(Configs.instance(" notify_deleted\n notify_deleted /bin/again\n"
                + " notify_master_rx_lower_pri \"/usr/local/bin/reclaim --eip\" ops\n"));
        NotifyConfig n = r.config().instances().get(0).notifications();
        assertEquals(List.of(), n.deleted(), "DELETED instead of FAULT, no script");
        assertEquals(List.of("/usr/local/bin/reclaim", "--eip"), n.masterRxLowerPri());
        assertEquals("ops", n.userOf("notify_master_rx_lower_pri"));
        assertEquals(true, r.warnings().stream().anyMatch(w -> w.contains(":6: notify_deleted is already set in "
                + "vrrp_instance VI_1; this one is ignored")), r.warnings().toString());
        NotifyConfig withScript = Configs.load(Configs.instance(" notify_deleted /bin/gone root\n")).config()
                .instances().get(0).notifications();
        assertEquals(List.of("/bin/gone"), withScript.deleted());
        assertEquals("root", withScript.userOf("notify_deleted"));
        assertNull(Configs.load(Configs.instance("")).config().instances().get(0).notifications().deleted(),
                "not written: keepalived's default, FAULT");
        for (NotifyConfig each : List.of(n, withScript)) {
            AgentConfig c = Configs.load(Configs.instance(each == n
                    ? " notify_deleted\n notify_master_rx_lower_pri \"/usr/local/bin/reclaim --eip\" ops\n"
                    : " notify_deleted /bin/gone root\n")).config();
            String yaml = YamlWriter.write(c);
            AgentConfig back = ConfigLoader.loadWithWarnings(Configs.write("agent.yaml", yaml)).config();
            assertEquals(c.instances().get(0).notifications(), back.instances().get(0).notifications(), yaml);
        }
    }
}
