package io.nginxha.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.reliability.Ledger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettledConfigTest {
    private static final String ONE = """
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 66
                priority 100
                virtual_ipaddress { 192.168.16.130 }
            }
            """;
    private static final String TWO = ONE + ONE.replace("VI_1", "VI_2").replace("66", "67").replace(".130", ".131");

    @TempDir
    Path dir;

    @Test
    void aFileUnchangedForLongIsReadAtOnce() throws Exception {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, ONE);
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        List<Long> naps = new ArrayList<>();
        AgentConfig c = new SettledConfig(file, "ha1", naps::add).load();
        assertEquals(1, c.instances().size());
        assertEquals(List.of(), naps);
    }

    @Test
    void aFileJustWrittenIsReadOnlyOnceItHasSettled() throws Exception {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, ONE);
        List<Long> naps = new ArrayList<>();
        AgentConfig c = new SettledConfig(file, "ha1", ms -> {
            naps.add(ms);
            // time passes, and the writer finishes: the rest of the file lands, then nothing more changes
            try {
                Files.writeString(file, TWO, StandardCharsets.UTF_8);
                Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 10_000));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).load();
        assertEquals(1, naps.size());
        assertTrue(naps.get(0) > 0 && naps.get(0) <= SettledConfig.QUIET_MS, naps.toString());
        assertEquals(2, c.instances().size(), "the whole file, not the half seen at the SIGHUP");
    }

    @Test
    void aHalfWrittenFileWithARealWriterIsNotTakenForTheWholeOne() throws Exception {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, ONE); // the first half, valid by itself: a reload now would retire VI_2
        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(150);
                Files.writeString(file, TWO);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        AgentConfig c = new SettledConfig(file, "ha1").load();
        writer.join();
        assertEquals(2, c.instances().size());
        Ledger.record("hardening", "reload while the config file is being written (valid first half)", 1,
                "waited for the file to settle, applied the whole file");
    }
}
