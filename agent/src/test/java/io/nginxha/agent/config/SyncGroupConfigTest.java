package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** vrrp_sync_group: what is accepted, what it does to its members, and each refusal with its file and line. */
class SyncGroupConfigTest {
    /** Lines 1-5 VI_1, 6-10 VI_2, 11-15 VI_3; a group written after them starts on line 16. */
    private static final String THREE = Configs.instance("") + Configs.instance("").replace("VI_1", "VI_2")
            .replace("eth0", "eth1") + Configs.instance("").replace("VI_1", "VI_3").replace("eth0", "eth2");
    private static final String SCRIPTS = "vrrp_script chk {\n script /bin/true\n weight -20\n}\n"
            + "vrrp_script plain {\n script /bin/true\n}\n";

    private static AgentConfig load(String text) throws ConfigException {
        return Configs.load(text).config();
    }

    private static InstanceConfig instance(AgentConfig c, String name) {
        return c.instances().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aGroupNamesItsMembersAndItsNotifications() throws ConfigException {
        AgentConfig c = load(THREE + "vrrp_sync_group G1 {\n group {\n VI_1\n VI_2\n }\n"
                + " notify_master \"/bin/echo master\"\n notify_backup /bin/true\n notify_fault /bin/false\n"
                + " notify_stop /bin/true\n notify /usr/local/bin/n.sh\n smtp_alert\n}\n");
        assertEquals(1, c.syncGroups().size());
        SyncGroupConfig g = c.syncGroups().get(0);
        assertEquals("G1", g.name());
        assertEquals(List.of("VI_1", "VI_2"), g.members());
        assertEquals(List.of("/bin/echo", "master"), g.notifications().master());
        assertEquals(List.of("/usr/local/bin/n.sh"), g.notifications().any());
        assertTrue(g.notifications().smtpAlert());
        assertEquals("G1", c.syncGroupOf("VI_2").name());
        assertNull(c.syncGroupOf("VI_3"));
        assertEquals(16, g.source().line());
    }

    @Test
    void theGroupsTrackersAreAddedToEveryMember() throws ConfigException {
        AgentConfig c = load(SCRIPTS + THREE + "vrrp_sync_group G1 {\n group {\n VI_1\n VI_2\n }\n"
                + " track_script {\n chk weight -30\n }\n track_interface {\n eth9\n }\n}\n");
        for (String m : List.of("VI_1", "VI_2")) {
            InstanceConfig i = instance(c, m);
            assertEquals(1, i.trackScripts().size(), m);
            assertEquals(-30, i.trackScripts().get(0).weight(), "the group's weight stays: " + m);
            assertEquals("eth9", i.trackInterfaces().get(0).name());
        }
        assertTrue(instance(c, "VI_3").trackScripts().isEmpty());
    }

    @Test
    void aMembersOwnWeightsAreNeutralisedAsKeepalivedDoes() throws ConfigException {
        LoadResult r = Configs.load(SCRIPTS + Configs.instance(" track_script {\n chk\n plain\n }\n"
                + " track_interface {\n eth7 weight 10\n }\n") + Configs.instance("").replace("VI_1", "VI_2")
                .replace("eth0", "eth1") + "vrrp_sync_group G1 {\n group {\n VI_1\n VI_2\n }\n}\n");
        InstanceConfig i = instance(r.config(), "VI_1");
        assertEquals(List.of("plain"), i.trackScripts().stream().map(InstanceConfig.Tracked::name).toList(),
                "the weighted script is ignored, the unweighted one kept");
        assertEquals(0, i.trackInterfaces().get(0).weight(), "a weighted interface becomes FAULT-on-down");
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains(":13: vrrp_instance VI_1 is in a sync group: "
                + "track_script chk with weight -20 is ignored")), r.warnings().toString());
    }

    @Test
    void syncGroupTrackingWeightAndGlobalTrackingKeepTheMembersWeights() throws ConfigException {
        for (String flag : List.of("sync_group_tracking_weight", "global_tracking")) {
            LoadResult r = Configs.load(SCRIPTS + Configs.instance(" track_script {\n chk\n }\n")
                    + Configs.instance("").replace("VI_1", "VI_2").replace("eth0", "eth1")
                    + "vrrp_sync_group G1 {\n group {\n VI_1\n VI_2\n }\n " + flag + "\n}\n");
            assertEquals(List.of("chk"), instance(r.config(), "VI_1").trackScripts().stream()
                    .map(InstanceConfig.Tracked::name).toList(), flag);
            assertEquals(flag.equals("global_tracking"), r.warnings().stream()
                    .anyMatch(w -> w.contains("global_tracking in vrrp_sync_group G1 is deprecated")), flag);
        }
    }

    @Test
    void aGroupOfOneIsAcceptedWithAWarning() throws ConfigException {
        LoadResult r = Configs.load(THREE + "vrrp_sync_group G1 {\n group {\n VI_1\n }\n}\n");
        assertEquals(List.of("VI_1"), r.config().syncGroups().get(0).members());
        assertTrue(r.warnings().stream().anyMatch(w -> w.endsWith(":16: vrrp_sync_group G1 has only one "
                + "vrrp_instance; this is probably not what you want")), r.warnings().toString());
    }

    static Stream<Arguments> refusals() {
        String g = "vrrp_sync_group G1 {\n";
        return Stream.of(
                Arguments.of(g + " group {\n VI_1\n VI_9\n }\n}\n",
                        "19: vrrp_sync_group G1: vrrp_instance VI_9 does not exist"),
                Arguments.of(g + " group {\n VI_1\n VI_2\n }\n}\nvrrp_sync_group G2 {\n group {\n VI_2\n VI_3\n }\n}\n",
                        "24: vrrp_instance VI_2 is already in vrrp_sync_group G1; an instance can be in one sync "
                                + "group only (here vrrp_sync_group G2)"),
                Arguments.of(g + " group {\n VI_1\n VI_1\n }\n}\n", "19: vrrp_instance VI_1 is listed twice in "
                        + "vrrp_sync_group G1"),
                Arguments.of(g + " notify /bin/true\n}\n", "16: vrrp_sync_group G1 has no 'group { }' block naming "
                        + "its vrrp_instances"),
                Arguments.of(g + " group {\n }\n}\n", "17: vrrp_sync_group G1 has an empty 'group' block"),
                Arguments.of(g + " group {\n VI_1\n }\n group {\n VI_2\n }\n}\n", "20: 'group' is given twice in "
                        + "vrrp_sync_group G1 (first at FILE:17)"),
                Arguments.of(g + " group {\n VI_1 VI_2\n }\n}\n", "18: 'group' lines are one vrrp_instance name "
                        + "each, got 'VI_1 VI_2'"),
                Arguments.of(g + " group {\n VI_1\n }\n}\n" + g + " group {\n VI_2\n }\n}\n",
                        "21: vrrp_sync_group G1 is already defined at FILE:16"),
                Arguments.of("vrrp_sync_group {\n group {\n VI_1\n }\n}\n", "16: vrrp_sync_group needs exactly one "
                        + "name, got ''"),
                Arguments.of(g + " group {\n VI_1\n }\n notify_master /bin/a\n notify_master /bin/b\n}\n",
                        "21: notify_master is given twice in vrrp_sync_group G1 (first at FILE:20)"),
                Arguments.of(g + " group {\n VI_1\n }\n notify_fault /bin/a root root x\n}\n", "20: 'notify_fault' "
                        + "takes a command and an optional user and group"),
                Arguments.of(g + " group {\n VI_1\n }\n track_process {\n nginx\n }\n}\n", "21: track_process "
                        + "'nginx' in vrrp_sync_group G1 is not defined by any vrrp_track_process"),
                Arguments.of(g + " group {\n VI_1\n }\n notfy /bin/true\n}\n", "20: unknown keyword 'notfy' in "
                        + "vrrp_sync_group G1 (did you mean 'notify'?)"),
                Arguments.of(g + " group {\n VI_1\n }\n track_script {\n nope\n }\n}\n", "21: track_script 'nope' "
                        + "in vrrp_sync_group G1 is not defined by any vrrp_script"),
                Arguments.of(g + " group {\n VI_1\n }\n track_file {\n nofile\n }\n}\n", "21: track_file 'nofile' "
                        + "in vrrp_sync_group G1 is not defined by any track_file block"),
                Arguments.of(g + " group {\n VI_1\n }\n track_interface {\n eth0 weight 300\n }\n}\n",
                        "21: track_interface weight must be an integer -254..254, got '300'"),
                Arguments.of(g + " group {\n VI_1\n }\n global_tracking yes\n}\n",
                        "20: 'global_tracking' takes no value, got 'yes'"));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refusedWithFileAndLine(String group, String lineAndMessage) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(THREE + group));
        String expected = Configs.file() + ":" + lineAndMessage.replace("FILE", Configs.file().toString());
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(expected)), () -> "wanted " + expected
                + "\n got " + e.problems());
    }
}
