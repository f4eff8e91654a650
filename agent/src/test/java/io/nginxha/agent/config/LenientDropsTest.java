package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What keepalived 2.2.7 drops with a warning, the agent drops alike, and only that: the corpus pins the warnings
 * (60..62-*.conf), this pins what is left in the config that runs.
 */
class LenientDropsTest {
    private static final Path CORPUS = Path.of("src", "test", "resources", "corpus");

    private static AgentConfig load(String name) throws ConfigException {
        return ConfigLoader.loadWithWarnings(CORPUS.resolve(name).toAbsolutePath(), "lb1").config();
    }

    @Test
    void aScriptWithoutScriptIsRemovedWithItsTrackScriptOnly() throws ConfigException {
        AgentConfig c = load("60-lenient-script-unmatched-id.conf");
        assertEquals(List.of(), List.copyOf(c.scripts().keySet()));
        InstanceConfig vi1 = c.instances().get(0);
        assertEquals(List.of(), vi1.trackScripts());
        assertEquals(100, vi1.priority());
    }

    @Test
    void aRuleWithAnInvalidAddressIsDroppedAndTheOthersStay() throws ConfigException {
        AgentConfig c = load("61-lenient-rule-bad-address.conf");
        assertEquals(List.of(100L), c.statics().rules().stream().map(RuleConfig::priority).toList());
        assertEquals(List.of(200L), c.instances().get(0).virtualRules().stream().map(RuleConfig::priority).toList());
        assertEquals(200L, c.instances().get(0).virtualRules().get(0).table());
    }

    @Test
    void theAgentsYamlKeepsAScriptWithoutScriptAnError() throws java.io.IOException {
        Path yaml = java.nio.file.Files.createTempFile("lenient", ".yaml");
        try {
            java.nio.file.Files.writeString(yaml, "scripts:\n  chk:\n    interval: 2\ninstances:\n  VI_1:\n"
                    + "    interface: eth0\n    virtual_router_id: 51\n    track_script: [chk]\n"
                    + "    virtual_ipaddress: [10.0.0.10/24]\n");
            ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                    () -> ConfigLoader.loadWithWarnings(yaml, "lb1"));
            assertEquals(List.of(yaml + ":2: vrrp_script chk has no 'script' to run"), e.problems());
        } finally {
            java.nio.file.Files.deleteIfExists(yaml);
        }
    }

    @Test
    void aSyncGroupWithBareMemberNamesIsRemovedAndItsInstancesRunAlone() throws ConfigException {
        AgentConfig c = load("62-lenient-sync-bare-members.conf");
        assertEquals(List.of(), c.syncGroups());
        assertEquals(List.of("VI_1", "VI_2"), c.instances().stream().map(InstanceConfig::name).toList());
    }
}
