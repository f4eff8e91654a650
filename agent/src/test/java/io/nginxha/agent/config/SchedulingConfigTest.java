package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** vrrp_rt_priority, vrrp_cpu_affinity and vrrp_rlimit_rttime of global_defs, as keepalived 2.2.7 reads them. */
class SchedulingConfigTest {
    private static SchedulingConfig scheduling(String globals) throws Exception {
        LoadResult r = Configs.load("global_defs {\n" + globals + "}\n" + Configs.instance(""));
        assertTrue(r.warnings().stream().noneMatch(w -> w.contains("vrrp_")), "implemented, not warned: " + r.warnings());
        return r.config().global().scheduling();
    }

    @Test
    void offByDefault() throws Exception {
        assertEquals(SchedulingConfig.DEFAULTS, scheduling(""));
    }

    @Test
    void readsAllThree() throws Exception {
        assertEquals(new SchedulingConfig(50, List.of(1, 0), 20000),
                scheduling(" vrrp_rt_priority 50\n vrrp_cpu_affinity 1 0 1\n vrrp_rlimit_rttime 20000\n"));
        assertEquals(new SchedulingConfig(0, List.of(), 3000), scheduling(" vrrp_rlimit_rtime 3000\n"),
                "keepalived's older spelling");
    }

    @Test
    void outOfRangeValuesAreErrorsWithTheirLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Configs.load("global_defs {\n vrrp_rt_priority 100\n vrrp_cpu_affinity 0 x\n}\n"
                        + Configs.instance("")));
        assertEquals(2, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith(Configs.file() + ":2: vrrp_rt_priority must be an integer 1..99"),
                e.problems().get(0));
        assertTrue(e.problems().get(1).startsWith(Configs.file() + ":3: a CPU number of vrrp_cpu_affinity"),
                e.problems().get(1));
    }

    @Test
    void convertKeepsThem() throws Exception {
        AgentConfig c = Configs.load("global_defs {\n vrrp_rt_priority 20\n vrrp_cpu_affinity 1\n}\n"
                + Configs.instance("")).config();
        String yaml = YamlWriter.write(c);
        AgentConfig back = ConfigLoader.loadWithWarnings(Configs.write("back.yaml", yaml)).config();
        assertEquals(c.global().scheduling(), back.global().scheduling(), yaml);
    }
}
