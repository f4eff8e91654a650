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
}
