package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** status_port, the agent's one extension of global_defs, in both formats. */
class StatusPortTest {
    @Test
    void defaultsTo9650() throws Exception {
        assertEquals(9650, Configs.load(Configs.instance("")).config().global().statusPort());
    }

    @Test
    void setInKeepalivedConfAndZeroTurnsItOff() throws Exception {
        assertEquals(9100, Configs.load("global_defs {\n status_port 9100\n}\n" + Configs.instance(""))
                .config().global().statusPort());
        assertEquals(0, Configs.load("global_defs {\n status_port 0\n}\n" + Configs.instance(""))
                .config().global().statusPort());
    }

    @Test
    void setInYaml() throws Exception {
        String yaml = "global: {status_port: 9200}\ninstances:\n  VI_1: {interface: eth0, virtual_router_id: 66, "
                + "virtual_ipaddress: [10.1.1.1]}\n";
        assertEquals(9200, ConfigLoader.loadWithWarnings(Configs.write("a.yaml", yaml)).config().global().statusPort());
    }

    @Test
    void outOfRangeIsAnErrorWithItsLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Configs.load("global_defs {\n status_port 70000\n}\n" + Configs.instance("")));
        assertEquals(1, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith(Configs.file() + ":2: status_port"), e.problems().get(0));
    }
}
