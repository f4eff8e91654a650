package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.InstanceConfig.Tracked;
import io.nginxha.agent.config.TrackProcessConfig.ParamMatch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** vrrp_track_process and track_process, as keepalived 2.2.7's vrrp_parser.c reads them. */
class TrackProcessConfigTest {
    private static AgentConfig load(String text) throws ConfigException {
        return Configs.load(text).config();
    }

    private static TrackProcessConfig only(AgentConfig c) {
        assertEquals(1, c.trackProcesses().size());
        return c.trackProcesses().values().iterator().next();
    }

    @Test
    void keepalivedsDefaults() throws ConfigException {
        TrackProcessConfig p = only(load("vrrp_track_process nginx {\n process nginx\n}\n"
                + Configs.instance(" track_process {\n  nginx\n }\n")));
        assertEquals(new TrackProcessConfig("nginx", "nginx", List.of(), ParamMatch.NONE, false, 0, false, 1,
                Integer.MAX_VALUE, 0, 0, null), p.withoutSource());
    }

    @Test
    void everyKeyword() throws ConfigException {
        AgentConfig c = load("""
                vrrp_track_process haproxy {
                    process "/usr/sbin/haproxy" -f /etc/haproxy/haproxy.cfg
                    param_match partial
                    weight -20 reverse
                    quorum 2
                    quorum_max 4
                    delay 0.5
                    fork_delay 0.25
                }
                """ + Configs.instance(" track_process {\n  haproxy weight 10\n }\n"));
        TrackProcessConfig p = only(c);
        assertEquals(new TrackProcessConfig("haproxy", "/usr/sbin/haproxy", List.of("-f", "/etc/haproxy/haproxy.cfg"),
                ParamMatch.PARTIAL, true, -20, true, 2, 4, 250, 500, null), p.withoutSource(),
                "parameters imply full_command; delay sets both, fork_delay after it only its own");
        assertEquals(List.of(new Tracked("haproxy", 10, false, c.instances().get(0).trackProcesses().get(0).source())),
                c.instances().get(0).trackProcesses());
    }

    @Test
    void quorumMaxZeroAloneMeansNoneMayRun() throws ConfigException {
        TrackProcessConfig p = only(load("vrrp_track_process no_cron {\n process cron\n quorum_max 0\n}\n"
                + Configs.instance(" track_process {\n  no_cron\n }\n")));
        assertEquals(0, p.quorum());
        assertEquals(0, p.quorumMax());
    }

    @Test
    void paramMatchAloneIsExactAndFullCommand() throws ConfigException {
        TrackProcessConfig p = only(load("vrrp_track_process x {\n process /usr/bin/x\n param_match\n}\n"
                + Configs.instance(" track_process {\n  x\n }\n")));
        assertEquals(ParamMatch.EXACT, p.paramMatch());
        assertTrue(p.fullCommand());
    }

    @Test
    void aProcessNameLongerThanTheKernelKeepsIsWarned() throws ConfigException {
        LoadResult r = Configs.load("vrrp_track_process x {\n process a-very-long-daemon-name\n}\n"
                + Configs.instance(" track_process {\n  x\n }\n"));
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains(":2: vrrp_track_process x: process name "
                + "'a-very-long-daemon-name' is longer than the 15 characters")), r.warnings().toString());
    }

    @Test
    void refusalsWithTheirLines() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                vrrp_track_process a {
                    weight 300
                    quorum 0
                    param_match sideways
                    delay 0
                    full_command yes
                    pattern x
                }
                vrrp_track_process b {
                    process b
                    quorum 3
                    quorum_max 2
                }
                """ + Configs.instance(" track_process {\n  b\n  c\n }\n")));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains(":2: weight of vrrp_track_process a must be an integer -254..254, got '300'"), all);
        assertTrue(all.contains(":3: quorum must be an integer 1..65535, got '0'"), all);
        assertTrue(all.contains(":4: param_match of vrrp_track_process a is 'initial' or 'partial'"), all);
        assertTrue(all.contains(":5: delay of vrrp_track_process a must be seconds 0.000001..3600, got '0'"), all);
        assertTrue(all.contains(":6: 'full_command' takes no value"), all);
        assertTrue(all.contains(":7: unknown keyword 'pattern' in vrrp_track_process a"), all);
        assertTrue(all.contains(":1: vrrp_track_process a needs 'process NAME'"), all);
        assertTrue(all.contains(":9: vrrp_track_process b: quorum 3 is greater than quorum_max 2"), all);
        assertTrue(all.contains(":20: track_process 'c' in vrrp_instance VI_1 is not defined by any "
                + "vrrp_track_process"), all);
    }

    @Test
    void aSyncGroupsTrackProcessGoesToEveryMember() throws ConfigException {
        String two = Configs.instance("").replace("eth0", "eth1").replace("VI_1", "VI_2").replace("66", "67");
        AgentConfig c = load("vrrp_track_process nginx {\n process nginx\n weight -10\n}\n" + Configs.instance("")
                + two + "vrrp_sync_group G {\n group {\n VI_1\n VI_2\n }\n track_process {\n nginx weight 0\n }\n}\n");
        for (InstanceConfig i : c.instances()) {
            assertEquals(1, i.trackProcesses().size(), i.name());
            assertEquals(0, i.trackProcesses().get(0).weight(), i.name());
        }
    }

    @Test
    void theYamlOfAConvertedConfigLoadsBackTheSame() throws Exception {
        AgentConfig c = load("vrrp_track_process hap {\n process \"/usr/local/sbin/ha proxy\" -f x\n"
                + " param_match initial\n weight 5 reverse\n quorum 2\n quorum_max 3\n terminate_delay 1.5\n}\n"
                + "vrrp_track_process none {\n process cron\n quorum_max 0\n fork_delay 0.001\n}\n"
                + Configs.instance(" track_process {\n  hap\n  none weight -3\n }\n"));
        String yaml = YamlWriter.write(c);
        AgentConfig back;
        try {
            back = ConfigLoader.loadWithWarnings(Configs.write("agent.yaml", yaml)).config();
        } catch (ConfigException e) {
            throw new AssertionError(e.problems() + "\n" + yaml, e);
        }
        for (String n : List.of("hap", "none")) {
            assertEquals(c.trackProcesses().get(n).withoutSource(), back.trackProcesses().get(n).withoutSource(),
                    yaml);
        }
        assertEquals(List.of("hap", "none"), back.instances().get(0).trackProcesses().stream().map(Tracked::name)
                .toList());
        assertEquals(-3, back.instances().get(0).trackProcesses().get(1).weight());
    }
}
