package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The notify FIFO keywords of global_defs and notify_priority_changes, as keepalived 2.2.7 reads them. */
class NotifyFifoConfigTest {
    private static LoadResult load(String globals, String instanceExtra, String tail) throws ConfigException {
        return Configs.load("global_defs {\n" + globals + "}\n" + Configs.instance(instanceExtra) + tail);
    }

    @Test
    void bothFifosTheirOwnersScriptsAndSwitches() throws ConfigException {
        LoadResult r = load("""
                 script_user nobody
                 notify_fifo /run/ka.fifo
                 notify_fifo_script "/usr/local/bin/reader --all" www-data adm
                 vrrp_notify_fifo /run/vrrp.fifo root root
                 vrrp_notify_fifo_script /usr/local/bin/vreader
                 vrrp_notify_priority_changes
                 fifo_write_vrrp_states_on_reload
                """, "", "");
        FifoSettings f = r.config().global().fifos();
        assertEquals(new NotifyFifoConfig("/run/ka.fifo", "nobody", List.of("/usr/local/bin/reader", "--all"),
                "www-data:adm"), f.global(), "a FIFO without USER is script_user's, as keepalived makes it");
        assertEquals(new NotifyFifoConfig("/run/vrrp.fifo", "root:root", List.of("/usr/local/bin/vreader"), null),
                f.vrrp());
        assertTrue(f.priorityChanges());
        assertTrue(f.statesOnReload());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void nothingWrittenIsNone() throws ConfigException {
        assertSame(FifoSettings.NONE, load(" router_id a\n", "", "").config().global().fifos());
        assertFalse(FifoSettings.NONE.any());
    }

    @Test
    void theSecondLineKeepsTheFirstAsKeepalivedDoes() throws ConfigException {
        LoadResult r = load(" notify_fifo /run/a\n notify_fifo /run/b\n notify_fifo_script /bin/x\n"
                + " notify_fifo_script /bin/y\n", "", "");
        assertEquals("/run/a", r.config().global().fifos().global().path());
        assertEquals(List.of("/bin/x"), r.config().global().fifos().global().script());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains(":3: notify_fifo is already set at line 2; this "
                + "one is ignored")), r.warnings().toString());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains(":5: notify_fifo_script is already set at line 4")),
                r.warnings().toString());
    }

    @Test
    void theSamePathForBothKeepsOnlyTheGlobalOne() throws ConfigException {
        LoadResult r = load(" notify_fifo /run/a\n vrrp_notify_fifo /run/a\n vrrp_notify_fifo_script /bin/x\n", "",
                "");
        assertNull(r.config().global().fifos().vrrp());
        assertEquals("/run/a", r.config().global().fifos().global().path());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains(":3: vrrp_notify_fifo /run/a is also notify_fifo "
                + "(line 2): the vrrp one and its script are ignored")), r.warnings().toString());
    }

    @Test
    void aScriptWithoutItsFifoIsNeverRun() throws ConfigException {
        LoadResult r = load(" vrrp_notify_fifo_script /bin/x\n", "", "");
        assertSame(FifoSettings.NONE, r.config().global().fifos());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains(":2: vrrp_notify_fifo_script without "
                + "vrrp_notify_fifo is never run")), r.warnings().toString());
    }

    @Test
    void badLinesAreRefusedWithTheirLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(" notify_fifo\n"
                + " vrrp_notify_fifo relative/path\n vrrp_notify_priority_changes maybe\n"
                + " fifo_write_vrrp_states_on_reload yes\n notify_fifo_script /bin/x a b c\n", "", ""));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains(":2: 'notify_fifo' takes a FIFO path and an optional user and group"), all);
        assertTrue(all.contains(":3: vrrp_notify_fifo must be an absolute path, got 'relative/path'"), all);
        assertTrue(all.contains(":4: vrrp_notify_priority_changes must be true or false, got 'maybe'"), all);
        assertTrue(all.contains(":5: 'fifo_write_vrrp_states_on_reload' takes no value"), all);
        assertTrue(all.contains(":6: 'notify_fifo_script' takes a command and an optional user and group"), all);
    }

    @Test
    void priorityChangesComeFromTheInstanceThenItsGroupThenGlobalDefs() throws ConfigException {
        String two = Configs.instance("").replace("VI_1", "VI_2").replace("eth0", "eth1").replace("66", "67");
        String group = "vrrp_sync_group G {\n group {\n VI_1\n VI_2\n }\n notify_priority_changes false\n}\n";
        AgentConfig c = load(" vrrp_notify_priority_changes\n", " notify_priority_changes true\n", two + group)
                .config();
        InstanceConfig vi1 = c.instances().get(0);
        InstanceConfig vi2 = c.instances().get(1);
        assertEquals(Boolean.TRUE, vi1.notifications().priorityChanges());
        assertNull(vi2.notifications().priorityChanges());
        assertTrue(NotifyConfig.priorityChanges(c, vi1), "the instance's own line first");
        assertFalse(NotifyConfig.priorityChanges(c, vi2), "then its group's, over global_defs'");
        AgentConfig alone = load(" vrrp_notify_priority_changes\n", "", "").config();
        assertTrue(NotifyConfig.priorityChanges(alone, alone.instances().get(0)), "else global_defs'");
        AgentConfig off = load(" router_id x\n", "", "").config();
        assertFalse(NotifyConfig.priorityChanges(off, off.instances().get(0)), "keepalived's default: off");
    }

    @Test
    void theYamlOfAConvertedConfigLoadsBackTheSame() throws Exception {
        AgentConfig c = load(" notify_fifo /run/ka.fifo nobody\n notify_fifo_script \"/bin/r -v\" daemon\n"
                + " vrrp_notify_fifo /run/v.fifo\n vrrp_notify_fifo_script /bin/v\n vrrp_notify_priority_changes\n"
                + " fifo_write_vrrp_states_on_reload\n", " notify_priority_changes false\n", "").config();
        String yaml = YamlWriter.write(c);
        AgentConfig back = ConfigLoader.loadWithWarnings(Configs.write("agent.yaml", yaml)).config();
        assertEquals(c.global().fifos(), back.global().fifos(), yaml);
        assertEquals(Boolean.FALSE, back.instances().get(0).notifications().priorityChanges(), yaml);
    }
}
