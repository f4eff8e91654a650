package io.nginxha.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrillCommandTest {
    @Test
    void allIsEveryScenarioInOrderTheClusterOnesKeptWhereTheyApply() throws Exception {
        DrillCommand.Options o = DrillCommand.parse(List.of("-i", "inventory/lab", "all", "--yes", "--url",
                "http://10.0.0.1:8080/x", "--power-on-command", "virsh start {host}", "--report", "r"));
        assertEquals(List.of(Scenario.STOP_NGINX, Scenario.BREAK_NGINX, Scenario.POWER_OFF, Scenario.CASCADE,
                Scenario.ISOLATE), o.scenarios());
        assertTrue(o.all(), "all: a cluster scenario that does not apply is left out, not an error");
        Cluster pair = Cluster.pair("ha1", "ha2", URI.create("http://192.168.16.130/"));
        assertEquals("cascade needs three hosts on the VIP 192.168.16.130 (it has ha1, ha2)",
                Scenario.CASCADE.notApplicable(pair));
        assertEquals("isolate needs an active-active inventory, two VIPs or more (it has 192.168.16.130 only)",
                Scenario.ISOLATE.notApplicable(pair));
        assertNull(Scenario.POWER_OFF.notApplicable(pair));
        assertEquals(Path.of("inventory/lab"), o.inventory());
        assertEquals(URI.create("http://10.0.0.1:8080/x"), o.overrides().url());
        assertEquals("virsh start {host}", o.overrides().powerOn());
        assertNull(o.overrides().powerOff());
        assertEquals(Path.of("r"), o.report());
        assertTrue(o.yes());
        assertEquals(10, o.pollMs());
    }

    @Test
    void theDefaultReportDirectoryIsDated() throws Exception {
        String dir = DrillCommand.parse(List.of("-i", "x", "power-off")).report().toString();
        assertTrue(dir.matches("drill-report-\\d{8}-\\d{6}"), dir);
    }

    @Test
    void usageErrorsSayWhatWasExpected() {
        assertEquals("unknown scenario 'reboot' (expected stop-nginx, break-nginx, power-off, cascade, isolate or all)",
                assertThrows(DrillException.class, () -> DrillCommand.parse(List.of("-i", "x", "reboot")))
                        .getMessage());
        assertEquals("-i INVENTORY_DIR is required (e.g. -i inventory/production)",
                assertThrows(DrillException.class, () -> DrillCommand.parse(List.of("all"))).getMessage());
        assertEquals("--poll-ms '0' is not a period in milliseconds (1..1000)",
                assertThrows(DrillException.class, () -> DrillCommand.parse(List.of("-i", "x", "all",
                        "--poll-ms", "0"))).getMessage());
        assertEquals("--url 'ftp://x/' is not an http:// URL with a host",
                assertThrows(DrillException.class, () -> DrillCommand.parse(List.of("-i", "x", "all",
                        "--url", "ftp://x/"))).getMessage());
    }

    @Test
    void aBadInventoryExitsTwoWithTheFileInTheMessage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = DrillCommand.run(List.of("-i", "/nonexistent-inventory", "all"), new PrintStream(
                new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, rc);
        assertEquals("vrrp-agent drill: /nonexistent-inventory: no such inventory (expected a directory with "
                + "hosts.yml, e.g. inventory/production)\n", err.toString());
    }
}
