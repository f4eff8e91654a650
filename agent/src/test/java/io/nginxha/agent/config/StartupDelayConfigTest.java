package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** vrrp_startup_delay in global_defs, as keepalived 2.2.7 reads it (decimal seconds, 0.001 at least). */
class StartupDelayConfigTest {
    private static LoadResult load(String line) throws ConfigException {
        return Configs.load("global_defs {\n " + line + "\n}\n" + Configs.instance(""));
    }

    @Test
    void decimalSecondsInMilliseconds() throws ConfigException {
        assertEquals(5500, load("vrrp_startup_delay 5.5").config().global().startupDelayMs());
        assertEquals(1, load("vrrp_startup_delay 0.001").config().global().startupDelayMs());
        assertEquals(0, load("router_id x").config().global().startupDelayMs(), "none unless written");
    }

    @Test
    void aMinuteOrMoreIsWarned() throws ConfigException {
        LoadResult r = load("vrrp_startup_delay 90");
        assertEquals(90_000, r.config().global().startupDelayMs());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains(":2: vrrp_startup_delay 90 is very large")),
                r.warnings().toString());
    }

    @Test
    void outOfRangeOrNotANumber() {
        for (String bad : new String[] {"0", "0.0001", "soon", "-1"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> load("vrrp_startup_delay " + bad), bad);
            assertTrue(String.join("\n", e.problems()).contains(":2: vrrp_startup_delay must be a number of seconds "
                    + "0.001.."), e.problems().toString());
        }
    }

    @Test
    void theYamlOfAConvertedConfigLoadsBackTheSame() throws Exception {
        AgentConfig c = load("vrrp_startup_delay 2.25").config();
        String yaml = YamlWriter.write(c);
        AgentConfig back = ConfigLoader.loadWithWarnings(Configs.write("agent.yaml", yaml)).config();
        assertEquals(2250, back.global().startupDelayMs(), yaml);
    }
}
