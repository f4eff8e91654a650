package io.nginxha.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.drill.Summary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Health tracking with real nginx in a private namespace lab, the agent on both hosts, a client polling the VIP
 * every 10 ms. The alert mail goes from the master to {@link SmtpSink} in the client namespace (GreenMail on loopback
 * checks the mail itself in MailerTest: a lab namespace never reaches the test's loopback).
 */
class HealthIT {

    /** The built-in tracker for a lab host: its pid file and restart command, short windows to keep tests short. */
    private static String nginxCheck(NetnsLab lab, String host, String extra) throws Exception {
        Path d = lab.dir().resolve(host);
        return """
                vrrp_track_nginx nginx {
                    pid_file %s
                    restart_command %s
                    restart_attempts 2
                    restart_window 5
                    start_timeout 0.5
                    hold_down 3
                %s}
                """.formatted(d.resolve("nginx.pid"), lab.lab("nginx-restart-cmd", host).strip(), extra);
    }

    private static final String TRACK_NGINX = """
                track_script {
                    nginx
                }
            """;

    private static void startPair(NetnsLab lab, String blocks1, String blocks2, String extra1, String extra2)
            throws Exception {
        lab.agent("ha1", lab.config("ha1", "keepalived.conf",
                blocks1 + LabConfigs.seed("MASTER", 100, 2, "1", extra1)));
        lab.waitServing("ha1", 20);
        lab.agent("ha2", lab.config("ha2", "keepalived.conf",
                blocks2 + LabConfigs.seed("BACKUP", 99, 2, "1", extra2)));
        for (int i = 0; i < 100 && !lab.agentLog("ha2").contains("-> BACKUP"); i++) {
            Thread.sleep(50);
        }
    }

    private void startTrackedPair(NetnsLab lab) throws Exception {
        startPair(lab, nginxCheck(lab, "ha1", ""), nginxCheck(lab, "ha2", ""), TRACK_NGINX, TRACK_NGINX);
    }

    @Test
    void stoppedNginxIsRestartedAndTheVipNeverLeaves() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            startTrackedPair(lab);
            NetnsLab.Poll poll = lab.poll();
            Thread.sleep(500);
            lab.stop("ha1", "nginx");
            Thread.sleep(1500);
            lab.waitServing("ha1", 5);
            Summary s = poll.stop();
            System.out.println("stop nginx on the master: " + s);
            assertEquals(List.of("ha1"), s.served(), "the VIP never leaves the master");
            assertTrue(s.outageMs() < 1000, "outage " + s.outageMs());
            assertEquals("ha1", lab.holder());
            assertTrue(lab.agentLog("ha1").contains("nginx: restarting nginx"), lab.agentLog("ha1"));
            assertTrue(!lab.agentLog("ha1").contains("-> FAULT"), lab.agentLog("ha1"));
        }
    }

    @Test
    void failedRestartHandsOverAndTheRepairedMasterTakesBack() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            startTrackedPair(lab);
            NetnsLab.Poll poll = lab.poll();
            Thread.sleep(500);
            lab.lab("nginx-break", "ha1");
            long stoppedAt = System.nanoTime();
            lab.stop("ha1", "nginx");
            lab.waitServing("ha2", 10);
            long handOverMs = (System.nanoTime() - stoppedAt) / 1_000_000;
            assertEquals("ha2", lab.holder());
            assertTrue(lab.agentLog("ha1").contains("VI_1 MASTER -> FAULT"), lab.agentLog("ha1"));
            lab.lab("nginx-repair", "ha1");
            lab.waitServing("ha1", 20); // the next restart in the window starts nginx, then 3 s of hold-down
            Thread.sleep(300);
            Summary s = poll.stop();
            System.out.println("stop nginx, restart fails (hand-over " + handOverMs + " ms), repair: " + s);
            assertEquals(List.of("ha1", "ha2", "ha1"), s.served());
            assertTrue(lab.agentLog("ha1").contains("VI_1 FAULT -> "), lab.agentLog("ha1"));
        }
    }

    @Test
    void crashLoopingNginxMovesTheVipOnceAndDoesNotFlap() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            startTrackedPair(lab);
            NetnsLab.Poll poll = lab.poll();
            Thread.sleep(500);
            // nginx starts fine but dies within ~0.3 s, again and again: the tracker's restarts keep "working"
            Path pidFile = lab.dir().resolve("ha1/nginx.pid");
            AtomicBoolean crashing = new AtomicBoolean(true);
            Thread crasher = new Thread(() -> {
                while (crashing.get()) {
                    try {
                        if (Files.exists(pidFile)) {
                            Thread.sleep(300);
                            String pid = Files.readString(pidFile).strip();
                            // the master and its workers (its process group): a crash, not a clean stop
                            new ProcessBuilder("kill", "-KILL", "--", "-" + pid).start().waitFor();
                            Files.deleteIfExists(pidFile);
                        }
                        Thread.sleep(20);
                    } catch (Exception e) {
                        // the pid file went away under us: try again
                    }
                }
            });
            crasher.start();
            try {
                lab.waitServing("ha2", 15);
                Thread.sleep(10_000); // more than three hold-downs
            } finally {
                crashing.set(false);
                crasher.join();
            }
            Summary s = poll.stop();
            System.out.println("crash-looping nginx: " + s);
            assertEquals(List.of("ha1", "ha2"), s.served(), "one hand-over, no ping-pong");
            assertEquals("ha2", lab.holder());
            long faults = lab.agentLog("ha1").lines().filter(l -> l.contains("-> FAULT")).count();
            assertEquals(1, faults, lab.agentLog("ha1"));
            io.nginxha.agent.reliability.Ledger.record("lab: nginx crash loop", "nginx on the master killed ~0.3 s "
                    + "after every start, for 10+ s", 1, String.format(java.util.Locale.ROOT, "VIP moved once (ha1>ha2), "
                    + "ha1 FAULT once, no ping-pong; longest outage %.0f ms", s.outageMs()));
        }
    }

    @Test
    void trackFileWithWeightZeroMovesTheVipAndBringsItBack() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            Path maint = lab.dir().resolve("ha1/maint");
            String block = """
                    track_file maint {
                        file %s
                        weight 0
                        init_file 0
                    }
                    """.formatted(maint);
            String track = """
                        track_file {
                            maint
                        }
                    """;
            startPair(lab, block, "", track, "");
            assertEquals("0\n", Files.readString(maint), "init_file created it");
            NetnsLab.Poll poll = lab.poll();
            Thread.sleep(500);
            Files.writeString(maint, "1\n");
            lab.waitServing("ha2", 10);
            assertTrue(lab.agentLog("ha1").contains("VI_1 MASTER -> FAULT"), lab.agentLog("ha1"));
            Files.writeString(maint, "0\n");
            lab.waitServing("ha1", 15);
            Thread.sleep(300);
            Summary s = poll.stop();
            System.out.println("track_file 1 then 0 on the master: " + s);
            assertEquals(List.of("ha1", "ha2", "ha1"), s.served());
            assertTrue(lab.agentLog("ha1").contains("check file:maint is 1"), lab.agentLog("ha1"));
        }
    }

    @Test
    void alertMailFromTheRunningMasterReachesAnSmtpServerInTheLab() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            Path mails = lab.dir().resolve("client/mails.txt");
            String classes = Path.of(SmtpSink.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String pid = lab.lab("exec", "client", "sh", "-c", java + " -Xmx32m -cp " + classes + " "
                    + SmtpSink.class.getName() + " 192.168.16.200 2525 " + mails + " >" + mails + ".log 2>&1"
                    + " </dev/null & echo $!").strip();
            try {
                for (int i = 0; i < 200 && !(Files.exists(mails) && Files.readString(mails).startsWith("READY")); i++) {
                    Thread.sleep(50);
                }
                assertTrue(Files.exists(mails), "the SMTP sink did not start");
                Path maint = lab.dir().resolve("ha1/maint");
                String blocks = """
                        global_defs {
                            notification_email {
                                ops@example.org
                            }
                            notification_email_from vrrp@ha1.example.org
                            smtp_server 192.168.16.200 2525
                            smtp_connect_timeout 5
                        }
                        track_file maint {
                            file %s
                            weight 0
                        }
                        """.formatted(maint);
                String extra = """
                            smtp_alert
                            track_file {
                                maint
                            }
                        """;
                startPair(lab, blocks, "", extra, "");
                Files.writeString(maint, "1\n");
                lab.waitServing("ha2", 10);
                String text = "";
                for (int i = 0; i < 200 && !text.contains("Entering FAULT state"); i++) {
                    Thread.sleep(50);
                    text = Files.readString(mails);
                }
                System.out.println("mails received in the client namespace:\n" + text);
                List<String> lines = text.lines().toList();
                assertTrue(lines.contains("FROM <vrrp@ha1.example.org>"), text);
                assertTrue(lines.contains("TO <ops@example.org>"), text);
                assertTrue(lines.contains("Subject: [ha1] VRRP Instance VI_1 - Entering MASTER state"), text);
                assertTrue(lines.contains("Subject: [ha1] VRRP Instance VI_1 - Entering FAULT state"), text);
                assertTrue(lines.contains("=> VRRP Instance VI_1 is now FAULT (priority 100) <="), text);
            } finally {
                new ProcessBuilder("kill", pid).start().waitFor();
            }
        }
    }

    @Test
    void hangingScriptIsKilledAtItsTimeoutAndCountsAsFailed() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            String script = """
                    vrrp_script chk_hang {
                        script "/bin/sh -c 'if [ -e %s ]; then sleep 60 & echo $! >> %s; wait; fi'"
                        interval 1
                        timeout 1
                        fall 1
                    }
                    """.formatted(lab.dir().resolve("ha1/hang"), lab.dir().resolve("ha1/sleepers"));
            String track = """
                        track_script {
                            chk_hang
                        }
                    """;
            startPair(lab, script, "", track, "");
            Files.writeString(lab.dir().resolve("ha1/hang"), "");
            lab.waitServing("ha2", 10);
            assertTrue(lab.agentLog("ha1").contains("chk_hang (timed out after 1000 ms, killed)")
                    || lab.agentLog("ha1").contains("check chk_hang is down: timed out after 1000 ms, killed"),
                    lab.agentLog("ha1"));
            Thread.sleep(2500);
            List<Long> sleepers = Files.readAllLines(lab.dir().resolve("ha1/sleepers")).stream()
                    .map(Long::parseLong).toList();
            long alive = sleepers.stream().filter(HealthIT::runningNotZombie).count();
            assertTrue(sleepers.size() >= 3, "runs: " + sleepers);
            assertTrue(alive <= 1, "each timed-out run's child is killed; alive: " + alive + " of " + sleepers);
            Files.delete(lab.dir().resolve("ha1/hang"));
            lab.waitServing("ha1", 15);
        }
    }

    /** A killed orphan stays a zombie until init reaps it; ProcessHandle would still call it alive. */
    private static boolean runningNotZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void linkDownOfATrackedInterfaceMovesTheVipAndNotifyScriptsSeeIt() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            // a veth pair inside ha1 stands for its uplink (no dummy module needed)
            lab.lab("exec", "ha1", "ip", "link", "add", "uplink", "type", "veth", "peer", "name", "uplink-peer");
            lab.lab("exec", "ha1", "ip", "link", "set", "uplink-peer", "up");
            lab.lab("exec", "ha1", "ip", "link", "set", "uplink", "up");
            Path calls = lab.dir().resolve("ha1/notify.log");
            Path rec = lab.config("ha1", "notify.sh", "#!/bin/sh\necho \"$*\" >> " + calls + "\n");
            rec.toFile().setExecutable(true);
            String extra = """
                        track_interface {
                            uplink
                        }
                        notify "%s"
                        notify_fault "%s fault-script"
                    """.formatted(rec, rec);
            startPair(lab, "", "", extra, "");
            lab.lab("exec", "ha1", "ip", "link", "set", "uplink", "down");
            lab.waitServing("ha2", 10);
            Thread.sleep(300);
            List<String> lines = Files.readAllLines(calls);
            assertTrue(lines.contains("INSTANCE VI_1 MASTER 100"), lines.toString());
            assertTrue(lines.contains("INSTANCE VI_1 FAULT 100"), lines.toString());
            assertTrue(lines.contains("fault-script"), lines.toString());
            String state = Files.readString(lab.dir().resolve("ha1/state.json"));
            assertTrue(state.contains("\"state\": \"FAULT\""), state);
            lab.lab("exec", "ha1", "ip", "link", "set", "uplink", "up");
            lab.waitServing("ha1", 15);
        }
    }

    @Test
    void seedScriptNamespaceAwareWorksAsAVrrpScript() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            String check = lab.lab("seed-check", "ha1").strip();
            String script = """
                    vrrp_script chk_http_port {
                        script "%s %s"
                        interval 2
                        weight 2
                    }
                    """.formatted(check, lab.dir().resolve("ha1/agent.pid"));
            String track = """
                        track_script {
                            chk_http_port
                        }
                    """;
            startPair(lab, script, "", track, "");
            NetnsLab.Poll poll = lab.poll();
            lab.stop("ha1", "nginx");
            Thread.sleep(2500); // one interval: the script restarts nginx
            lab.waitServing("ha1", 5);
            lab.lab("nginx-break", "ha1");
            lab.stop("ha1", "nginx");
            lab.waitServing("ha2", 10); // restart fails: the script stops the agent, which resigns
            Summary s = poll.stop();
            System.out.println("seed script under the agent: " + s);
            assertEquals(List.of("ha1", "ha2"), s.served());
            assertTrue(lab.agentLog("ha1").contains("stopping: resigning mastership"), lab.agentLog("ha1"));
        }
    }
}
