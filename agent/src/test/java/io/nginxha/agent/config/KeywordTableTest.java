package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/configuration.md's keyword table is Keywords' table, and every class of keyword behaves as it says. */
class KeywordTableTest {
    private static final Path DOC = Path.of("..", "docs", "configuration.md");
    private static final String BEGIN = "<!-- keywords:begin -->\n";
    private static final String END = "<!-- keywords:end -->";

    @Test
    void docTableIsTheCodeTable() throws IOException {
        String doc = Files.readString(DOC);
        int from = doc.indexOf(BEGIN);
        int to = doc.indexOf(END);
        assertTrue(from >= 0 && to > from, "docs/configuration.md lacks the keyword table markers");
        String expected = Keywords.markdownTable();
        String actual = doc.substring(from + BEGIN.length(), to);
        if (!expected.equals(actual)) {
            // the table to paste, so that fixing the doc is one copy
            Files.writeString(Path.of("target", "keyword-table.md"), expected);
        }
        assertEquals(expected, actual, "docs/configuration.md's keyword table differs from Keywords.java; "
                + "the expected table is in agent/target/keyword-table.md");
    }

    @Test
    void everyReasonIsWrittenAndNoImplementedKeywordNeedsOne() {
        for (Keywords.Keyword k : Keywords.all()) {
            assertEquals(k.status() == Keywords.Status.IMPLEMENTED, k.reason().isEmpty(), k.toString());
        }
    }

    @Test
    void keepalivedsVrrpKeywordsAreAllClassified() {
        // a sample from each of keepalived's parsers: a keyword forgotten in the table would be "unknown"
        for (String global : List.of("vrrp_strict", "vrrp_skip_check_adv_addr", "vrrp_gna_interval", "notify_fifo",
                "vrrp_startup_delay", "enable_snmp_vrrp", "vrrp_mcast_group4", "lvs_sync_daemon", "umask")) {
            assertTrue(Keywords.get(Keywords.Section.GLOBAL, global) != null, global);
        }
        for (String instance : List.of("use_vmac", "virtual_routes", "no_accept", "debug", "unicast_ttl",
                "lvs_sync_daemon_interface", "notify_deleted", "kernel_rx_buf_size")) {
            assertTrue(Keywords.get(Keywords.Section.INSTANCE, instance) != null, instance);
        }
        assertFalse(Keywords.isImplemented(Keywords.Section.GLOBAL, "dynamic_interfaces"));
    }

    @Test
    void warnedKeywordWarnsRefusedOneFailsAndOnlyDefaultChecksTheValue() throws Exception {
        LoadResult r = Configs.load("global_defs {\n enable_snmp_vrrp\n}\n" + Configs.instance(" unicast_ttl 255\n"));
        assertEquals(List.of(
                Configs.file() + ":2: 'enable_snmp_vrrp' in global_defs is accepted but has no effect in vrrp-agent: "
                        + Keywords.get(Keywords.Section.GLOBAL, "enable_snmp_vrrp").reason(),
                Configs.file() + ":8: 'unicast_ttl' in vrrp_instance VI_1 is accepted but has no effect in vrrp-agent: "
                        + Keywords.get(Keywords.Section.INSTANCE, "unicast_ttl").reason()), r.warnings());
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> Configs.load("global_defs {\n dynamic_interfaces\n}\n" + Configs.instance(" unicast_ttl 64\n")));
        assertEquals(List.of(
                Configs.file() + ":2: 'dynamic_interfaces' in global_defs is not supported by vrrp-agent: "
                        + Keywords.get(Keywords.Section.GLOBAL, "dynamic_interfaces").reason(),
                Configs.file() + ":8: 'unicast_ttl' in vrrp_instance VI_1 is supported only as 'unicast_ttl 255' "
                        + "(keepalived's default), got '64'"), e.problems());
    }
}
