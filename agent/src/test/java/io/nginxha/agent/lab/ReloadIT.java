package io.nginxha.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.drill.Summary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SIGHUP in the namespace lab while a client polls the VIP every 10 ms: a storm of reloads changes nothing, an
 * invalid config is rejected with the VIP kept, and the status endpoint tells the truth after a failover.
 */
class ReloadIT {

    private static void hup(NetnsLab lab, String host) throws IOException, InterruptedException {
        String pid = Files.readString(lab.dir().resolve(host).resolve("agent.pid")).strip();
        Process p = new ProcessBuilder("kill", "-HUP", pid).inheritIO().start();
        assertEquals(0, p.waitFor());
    }

    private static long count(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).count();
    }

    private static String status(NetnsLab lab, String host, String path) throws IOException {
        return lab.lab("exec", host, "curl", "-sf", "--max-time", "3", "http://127.0.0.1:9650" + path);
    }

    @Test
    void reloadStormInvalidConfigAndStatusAfterFailover() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            String master = LabConfigs.seed("MASTER", 100);
            Path conf = lab.config("ha1", "keepalived.conf", master);
            lab.agent("ha1", conf);
            lab.waitServing("ha1", 20);
            lab.agent("ha2", lab.config("ha2", "keepalived.conf", LabConfigs.seed("BACKUP", 99)));
            Thread.sleep(4500); // ha2 settles as backup
            String before = lab.agentLog("ha1");
            long transitionsBefore = count(before, " -> ");

            NetnsLab.Poll poll = lab.poll();
            Thread.sleep(300);
            for (int i = 0; i < 20; i++) {
                // every other reload moves every line down (a comment at the top): the same settings elsewhere
                Files.writeString(conf, (i % 2 == 0 ? "# reload " + i + "\n" : "") + master);
                hup(lab, "ha1");
                Thread.sleep(450);
            }
            Thread.sleep(500);
            Summary storm = poll.stop();
            System.out.println("20 reloads in 10 s: " + storm);
            String after = lab.agentLog("ha1");
            assertEquals(0, storm.failed(), storm.toString());
            assertEquals(List.of("ha1"), storm.served(), storm.toString());
            assertEquals(20, count(after, "reload: no instance changed"), after);
            assertEquals(transitionsBefore, count(after, " -> "), "no transition: " + after);
            assertTrue(!lab.agentLog("ha2").contains("-> MASTER"), lab.agentLog("ha2"));

            // a changed instance is replaced, and its replacement continues as master: still no failed request
            NetnsLab.Poll changePoll = lab.poll();
            Thread.sleep(300);
            Files.writeString(conf, master.replace("priority 100", "priority 110"));
            hup(lab, "ha1");
            Thread.sleep(3000);
            Summary change = changePoll.stop();
            System.out.println("priority changed by reload: " + change);
            assertEquals(0, change.failed(), change.toString());
            assertEquals(List.of("ha1"), change.served(), change.toString());
            assertTrue(lab.agentLog("ha1").contains("VI_1 INIT -> MASTER: config reloaded: continuing as master"),
                    lab.agentLog("ha1"));
            assertTrue(!lab.agentLog("ha2").contains("-> MASTER"), lab.agentLog("ha2"));

            Files.writeString(conf, master.replace("priority 100", "priority 0"));
            hup(lab, "ha1");
            Thread.sleep(1500);
            assertTrue(lab.agentLog("ha1").contains("reload rejected, the running config stays"), lab.agentLog("ha1"));
            assertTrue(lab.agentLog("ha1").contains("priority must be"), lab.agentLog("ha1"));
            assertEquals("ha1", lab.holder());
            lab.waitServing("ha1", 2);

            String json = status(lab, "ha1", "/status");
            assertTrue(json.contains("\"state\":\"MASTER\"") && json.contains("\"vips_held\":true"), json);
            lab.stop("ha1", "agent");
            lab.waitServing("ha2", 5);
            String json2 = status(lab, "ha2", "/status");
            assertTrue(json2.contains("\"state\":\"MASTER\"") && json2.contains("\"vips_held\":true"), json2);
            assertTrue(json2.contains("\"from\":\"BACKUP\",\"to\":\"MASTER\""), json2);
            String metrics = status(lab, "ha2", "/metrics");
            assertTrue(metrics.contains("keepalived_become_master_total{iname=\"VI_1\",intf=\"eth0\",vrid=\"66\"} 1\n"),
                    metrics);
            assertTrue(metrics.contains("keepalived_vrrp_state{iname=\"VI_1\",intf=\"eth0\",vrid=\"66\","
                    + "ip_address=\"192.168.16.130/32\"} 2\n"), metrics);
            String table = lab.lab("exec", "ha2", "java", "-cp", NetnsLab.jar().toString(), "io.nginxha.agent.cli.Main",
                    "status");
            assertTrue(table.lines().anyMatch(l -> l.startsWith("VI_1") && l.contains("MASTER")), table);
        }
    }

    @Test
    void reloadStartsChangesAndStopsChecksWithoutABlip() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            Path maint = lab.dir().resolve("ha1/maint");
            String script = """
                    vrrp_script chk {
                        script /bin/true
                        interval 1
                    }
                    """;
            String fileBlock = """
                    track_file maint {
                        file %s
                        weight 0
                    }
                    """.formatted(maint);
            String tracksScript = "    track_script {\n        chk\n    }\n";
            String tracksFile = "    track_file {\n        maint\n    }\n";
            Path conf = lab.config("ha1", "keepalived.conf",
                    script + LabConfigs.seed("MASTER", 100, 2, "1", tracksScript));
            lab.agent("ha1", conf);
            lab.waitServing("ha1", 20);
            lab.agent("ha2", lab.config("ha2", "keepalived.conf", LabConfigs.seed("BACKUP", 99)));
            Thread.sleep(4500);
            long transitionsBefore = count(lab.agentLog("ha1"), " -> ");

            NetnsLab.Poll poll = lab.poll();
            Thread.sleep(300);
            Files.writeString(conf, script + fileBlock
                    + LabConfigs.seed("MASTER", 100, 2, "1", tracksScript + tracksFile));
            hup(lab, "ha1");
            Thread.sleep(1500);
            Summary added = poll.stop();
            System.out.println("track_file added by reload: " + added);
            String log = lab.agentLog("ha1");
            assertTrue(log.contains("reload: checks stopped [], started [file:maint], 2 kept running"), log);
            assertEquals(transitionsBefore, count(log, " -> "), "the kept script and instance did not blip: " + log);
            assertEquals(List.of("ha1"), added.served(), added.toString());
            assertEquals(0, added.failed(), added.toString());

            Files.writeString(maint, "1\n"); // the new tracker runs
            lab.waitServing("ha2", 10);
            Files.writeString(maint, "0\n");
            lab.waitServing("ha1", 15);

            Files.writeString(conf, script.replace("interval 1", "interval 2")
                    + LabConfigs.seed("MASTER", 100, 2, "1", tracksScript));
            hup(lab, "ha1");
            Thread.sleep(1500);
            log = lab.agentLog("ha1");
            assertTrue(log.contains("reload: checks stopped [chk, file:maint], started [chk], 1 kept running"), log);
            long seenBefore = count(log, "check file:maint is 1");
            Files.writeString(maint, "1\n");
            Thread.sleep(1500);
            assertEquals("ha1", lab.holder(), "the removed tracker is gone");
            assertEquals(seenBefore, count(lab.agentLog("ha1"), "check file:maint is 1"), lab.agentLog("ha1"));
        }
    }
}
