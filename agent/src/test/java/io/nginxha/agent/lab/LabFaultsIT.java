package io.nginxha.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.lab.AdvertInjector.Kind;
import io.nginxha.agent.reliability.Ledger;
import io.nginxha.drill.Summary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Hostile neighbours that VRRP itself lets in, in a private namespace lab under the production launcher (24 MB
 * heap): a rogue router on the segment (it knows the password, or speaks VRRPv3, which has none) and a flood of
 * adverts at line rate. Each test judges the client's history with {@link HistoryChecker} (every answer from a VIP
 * holder, no two holders beyond a handover) and records its row. The malformed and forged frames that must be
 * dropped are HostileIT's; a frozen or killed agent is FaultsIT's.
 */
class LabFaultsIT {
    /** A preempting master adds its VIP before the host it replaces has read its advert. */
    private static final double HANDOVER_MS = 500;
    /** ha1's Master_Down_Interval, advert_int 1, priority 100: 3 + 156/256 s. */
    private static final double HA1_MASTER_DOWN_SEC = 3 + 156 / 256.0;

    private static void startPair(NetnsLab lab, int version) throws Exception {
        lab.agent("ha1", lab.config("ha1", "keepalived.conf", LabConfigs.seed("MASTER", 100, version, "1", "")));
        lab.waitServing("ha1", 20);
        lab.agent("ha2", lab.config("ha2", "keepalived.conf", LabConfigs.seed("BACKUP", 99, version, "1", "")));
        lab.awaitState("ha2", "BACKUP", 20);
    }

    private static double since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * A rogue router with priority 255 is obeyed: VRRP cannot tell it from a real owner, so the master steps down and
     * nobody serves while it speaks (what the test shows is the bound, not a cure: unicast peers or a password
     * nobody else has are the cure, see HostileIT). What must hold is the way back: once it is silent, ha1 takes over
     * after its own Master_Down_Interval. For VRRPv3 the rogue claims 40.95 s, which RFC 5798 and keepalived adopt
     * (a 2-minute outage); the agent believes a longer interval only once adverts really come that far apart.
     */
    private static void rogue(int version, Kind kind, int adverts) throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            startPair(lab, version);
            Injector injector = new Injector(lab);
            NetnsLab.Poll poll = lab.poll();
            Thread.sleep(500);
            injector.send(kind, adverts, "224.0.0.18", "-", 1000);
            long silent = System.nanoTime(); // the last advert is out
            lab.awaitState("ha1", "BACKUP", 2); // obeyed (it may have been before the first question)
            lab.awaitState("ha1", "MASTER", 20);
            double back = since(silent);
            lab.awaitState("ha2", "BACKUP", 5);
            lab.waitServing("ha1", 5);
            Thread.sleep(1500);
            assertEquals("MASTER", lab.state("ha1"));
            assertEquals("BACKUP", lab.state("ha2"));
            assertEquals("ha1", lab.holder());
            String log1 = lab.agentLog("ha1");
            assertTrue(log1.contains("higher priority advert from 192.168.16.66 (255 > 100)"), log1);
            Summary s = poll.stop();
            HistoryChecker.Report h = poll.check("rogue " + kind, HANDOVER_MS).assertClean();
            System.out.println("rogue " + kind + " x" + adverts + ": " + s + ", ha1 master again " + back
                    + " s after the rogue's last advert");
            assertTrue(back < HA1_MASTER_DOWN_SEC + 1.5, "ha1 master again " + back + " s after the last advert");
            double bound = (adverts - 1) * 1000 + (HA1_MASTER_DOWN_SEC + 1.5) * 1000;
            assertTrue(h.longestOutageMs() < bound, h.toString());
            assertEquals(List.of("ha1"), h.served(), "nobody else served the VIP: " + h);
            Ledger.record("lab: rogue router", kind.description + ", multicast, " + adverts + " advert(s) 1 s apart, "
                    + "then silent", adverts, String.format(Locale.ROOT, "obeyed, as VRRP must: ha1 stepped down, "
                    + "nobody served while it spoke; ha1 master again %.2f s after its last advert (its own "
                    + "Master_Down_Interval %.2f s), ha2 stayed backup, client served by ha1 only, longest outage "
                    + "%.0f ms", back, HA1_MASTER_DOWN_SEC, h.longestOutageMs()));
        }
    }

    @Test
    void aRogueV2RouterWithThePasswordAndPriority255IsObeyedOnlyWhileItSpeaks() throws Exception {
        rogue(2, Kind.ROGUE_V2_255, 3);
    }

    @Test
    void aRogueV3AdvertClaiming40SecondsDoesNotStretchTheTakeoverToTwoMinutes() throws Exception {
        rogue(3, Kind.ROGUE_V3_255_LONGEST_INTERVAL, 1);
    }

    /**
     * Wrong-password adverts from 4096 spoofed sources (no per-source bound applies) as fast as the attacker's
     * interface sends them, at the master and the backup at once. The real master's adverts must still reach the
     * backup (no takeover), /metrics and {@code vrrp-agent status} must keep answering, the agents must survive
     * with their 24 MB heaps, and what was turned away must be counted.
     */
    @Test
    void anAdvertFloodAtLineRateChangesNothingAndTheStatusStaysAnswered() throws Exception {
        long floodMs = 8000;
        try (NetnsLab lab = NetnsLab.start()) {
            startPair(lab, 2);
            Injector injector = new Injector(lab);
            long transitions1 = lab.statusNumber("ha1", "transitions");
            long transitions2 = lab.statusNumber("ha2", "transitions");
            NetnsLab.Poll poll = lab.poll();
            Thread.sleep(500);
            long start = System.nanoTime();
            injector.flood(Kind.WRONG_PASSWORD, floodMs, "224.0.0.18", "-");
            double slowest = 0;
            int asked = 0;
            Thread.sleep(500);
            while (since(start) < floodMs / 1000.0 - 1) {
                long t = System.nanoTime();
                lab.metrics("ha1"); // curl --max-time 2 -f: an unanswered endpoint fails the test
                lab.status("ha2");
                slowest = Math.max(slowest, since(t));
                asked++;
                Thread.sleep(250);
            }
            long t = System.nanoTime();
            String cli = lab.lab("exec", "ha1", "env", "VRRP_AGENT_JAR=" + NetnsLab.jar(),
                    NetnsLab.REPO.resolve("agent/src/main/dist/vrrp-agent").toString(), "status");
            double cliSec = since(t);
            assertTrue(cli.contains("VI_1") && cli.contains("MASTER"), cli);
            long sent = injector.flooded(30_000);
            double floodSec = since(start);
            Thread.sleep(1500);
            assertEquals("MASTER", lab.state("ha1"));
            assertEquals("BACKUP", lab.state("ha2"));
            assertEquals(transitions1, lab.statusNumber("ha1", "transitions"), "ha1 transitions");
            assertEquals(transitions2, lab.statusNumber("ha2", "transitions"), "ha2 transitions");
            assertEquals("ha1", lab.holder());
            long[] counted = new long[2];
            long[] overload = new long[2];
            for (int i = 0; i < 2; i++) {
                String m = lab.metrics(i == 0 ? "ha1" : "ha2");
                counted[i] = NetnsLab.metric(m, "vrrp_agent_adverts_dropped_total", "reason=\"auth_password\"");
                overload[i] = NetnsLab.metric(m, "vrrp_agent_adverts_dropped_total", "reason=\"overload\"");
            }
            Summary s = poll.stop();
            HistoryChecker.Report h = poll.check("advert flood").assertClean();
            String figures = String.format(Locale.ROOT, "%d frames in %.1f s (%.0f/s); ha1 counted %d wrong "
                    + "password + %d overload, ha2 %d + %d; slowest /metrics+/status answer %.2f s (%d asked), "
                    + "vrrp-agent status %.2f s; client %s", sent, floodSec, sent / floodSec, counted[0],
                    overload[0], counted[1], overload[1], slowest, asked, cliSec, s);
            System.out.println("advert flood: " + figures);
            assertTrue(sent > 10_000, "the flood must be a flood: " + figures);
            assertTrue(counted[0] + overload[0] > 0 && counted[1] + overload[1] > 0, figures);
            assertEquals(List.of("ha1"), h.served(), figures);
            assertTrue(h.longestOutageMs() < 1000, figures);
            Ledger.record("lab: advert flood", "wrong-password adverts from 4096 spoofed sources, as fast as the "
                    + "attacker sends, for " + floodMs / 1000 + " s, multicast to master and backup", sent, String.format(Locale.ROOT,
                    "%.0f frames/s; no transition, VIP stayed on ha1, client served throughout (longest gap %.0f ms); "
                    + "each router counted what reached it (ha1 %d dropped, %d of them turned away as overload); "
                    + "/metrics and /status answered within %.2f s, vrrp-agent status in %.2f s; agents alive "
                    + "(24 MB heap)", sent / floodSec, h.longestOutageMs(), counted[0] + overload[0], overload[0],
                    slowest, cliSec));
        }
    }

    /** An executable shell script in {@code host}'s directory of the lab. */
    private static Path script(NetnsLab lab, String host, String name, String body) throws Exception {
        Path file = lab.dir().resolve(host).resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    /**
     * The children an operator's config starts, at their worst, on the master under the production launcher: a
     * tracked vrrp_script that prints 100 MB (no newline) and exits 0, a notify_master that prints 100 MB, a
     * notify_backup that hangs, and alert mail to a relay that accepts connections and never answers. None may cost
     * the agent its 24 MB heap, its place in the election or its next notification: the tracker stays up, a
     * transition is notified (the generic notify script) within a second or two although the hung script still
     * runs and the mail thread waits on the relay, and the VIP moves as the priority says.
     */
    @Test
    void scriptsThatHangOrPrint100MbAndABlackholedRelayDelayNothing() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            Path relayLog = lab.dir().resolve("client/relay.txt");
            lab.java("client", SmtpSink.class, lab.dir().resolve("client/relay.out"), "192.168.16.200", "2525",
                    relayLog.toString(), "--blackhole");
            for (int i = 0; i < 200 && !(Files.exists(relayLog) && Files.readString(relayLog).startsWith("READY"));
                    i++) {
                Thread.sleep(50);
            }
            Path big = script(lab, "ha1", "big.sh", "head -c 104857600 /dev/zero\nexit 0");
            Path hang = script(lab, "ha1", "hang.sh", "exec sleep 600");
            Path notified = lab.dir().resolve("ha1/notified.log");
            Path note = script(lab, "ha1", "note.sh", "echo \"$(date +%s.%N) $*\" >>" + notified);
            Path prio = lab.dir().resolve("ha1/prio");
            Files.writeString(prio, "0\n");
            String blocks = """
                    global_defs {
                        notification_email {
                            ops@example.org
                        }
                        notification_email_from vrrp@ha1.example.org
                        smtp_server 192.168.16.200 2525
                        smtp_connect_timeout 5
                    }
                    vrrp_script big {
                        script "%s"
                        interval 2
                        timeout 5
                    }
                    track_file prio {
                        file %s
                        weight -10
                    }
                    """.formatted(big, prio);
            String extra = """
                        smtp_alert
                        track_script {
                            big
                        }
                        track_file {
                            prio
                        }
                        notify_master "%s"
                        notify_backup "%s"
                        notify "%s"
                    """.formatted(big, hang, note);
            lab.agent("ha1", lab.config("ha1", "keepalived.conf", blocks + LabConfigs.seed("MASTER", 100, 2, "1",
                    extra)));
            lab.waitServing("ha1", 20);
            lab.agent("ha2", lab.config("ha2", "keepalived.conf", LabConfigs.seed("BACKUP", 99, 2, "1", "")));
            lab.awaitState("ha2", "BACKUP", 20);
            NetnsLab.Poll poll = lab.poll();
            Thread.sleep(6000); // three runs of the 100 MB check, the first notify_master's 100 MB, mail stuck
            assertEquals("MASTER", lab.state("ha1"), "the 100 MB check stays up: " + lab.agentLog("ha1"));
            double down = NetnsLab.now();
            Files.writeString(prio, "1\n"); // priority 90 < 99: ha2 preempts, ha1's notify_backup hangs
            lab.awaitState("ha1", "BACKUP", 10);
            double backup = NetnsLab.now();
            lab.waitServing("ha2", 5);
            Files.writeString(prio, "0\n"); // 100 again: ha1 preempts while its notify_backup still hangs
            lab.awaitState("ha1", "MASTER", 10);
            double master = NetnsLab.now();
            lab.waitServing("ha1", 5);
            Thread.sleep(2000);
            lab.metrics("ha1");
            Summary s = poll.stop();
            HistoryChecker.Report h = poll.check("hostile children", HANDOVER_MS).assertClean();
            List<String> notes = Files.readAllLines(notified);
            String log1 = lab.agentLog("ha1");
            System.out.println("notified: " + notes + "\nclient " + s);
            // BACKUP at the start, MASTER, then the two moves
            assertEquals(4, notes.size(), "BACKUP, MASTER, BACKUP, MASTER notified: " + notes + "\n" + log1);
            assertTrue(notes.get(2).endsWith("INSTANCE VI_1 BACKUP 90"), notes.toString());
            assertTrue(notes.get(3).endsWith("INSTANCE VI_1 MASTER 100"), notes.toString());
            double lagBackup = Double.parseDouble(notes.get(2).split(" ")[0]) * 1000 - backup;
            double lagMaster = Double.parseDouble(notes.get(3).split(" ")[0]) * 1000 - master;
            // each noted before or soon after the test saw the state (the test polls every 50 ms)
            assertTrue(lagBackup < 2000 && lagMaster < 2000, "notify lag " + lagBackup + " / " + lagMaster + " ms");
            assertTrue(Files.readString(relayLog).contains("CONNECTED"), "the mail went to the blackholed relay");
            assertTrue(!log1.contains("OutOfMemoryError"), log1);
            assertEquals(List.of("ha1", "ha2", "ha1"), h.served(), h.toString());
            Ledger.record("lab: hostile children", "a tracked vrrp_script printing 100 MB, a notify_master printing "
                    + "100 MB, a notify_backup that hangs, alert mail to a relay that never answers; priority moved "
                    + "down and up by a track_file", 1, String.format(Locale.ROOT, "the check stayed up, the agent "
                    + "(24 MB heap) never ran short; each transition notified %.0f ms / %.0f ms after it was seen "
                    + "although the hung script and the mail were still waiting; VIP ha1>ha2>ha1 by priority, "
                    + "longest outage %.0f ms (handover %.0f ms after the drop)", Math.max(0, lagBackup),
                    Math.max(0, lagMaster), h.longestOutageMs(), backup - down));
        }
    }

    /** One scrape of {@code host}'s /metrics from inside it: "CODE SECONDS", "000 ..." when curl got nothing. */
    private static String scrape(NetnsLab lab, String host) {
        try {
            return lab.lab("exec", host, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total}",
                    "--max-time", "3", "http://127.0.0.1:9650/metrics").strip();
        } catch (IOException e) {
            return "000 3";
        }
    }

    /** Scrapes every 250 ms for {@code seconds}; returns the codes seen (code -> count) and the slowest answer. */
    private static Map<String, Integer> scrapeFor(NetnsLab lab, double seconds, double[] slowest) throws Exception {
        Map<String, Integer> codes = new TreeMap<>();
        long start = System.nanoTime();
        while (since(start) < seconds) {
            String[] f = scrape(lab, "ha1").split(" ");
            codes.merge(f[0], 1, Integer::sum);
            slowest[0] = Math.max(slowest[0], Double.parseDouble(f[1]));
            Thread.sleep(250);
        }
        return codes;
    }

    /**
     * The status endpoint abused from inside the master under the production launcher: three clients sending a
     * request head a byte every 1.9 s (fewer than its {@code 4} workers) and ten sending 8 MiB headers, reconnecting
     * at once, must leave every scrape of /metrics answered 200 within 2 s. Then 200 idle connections every second
     * (beyond its workers and queue): scrapes are refused (503 "busy") or, their SYNs beyond the accept backlog, not
     * answered within 3 s, which the test records rather than hides; the endpoint must answer 200 again as soon as
     * the flood stops. Throughout, VRRP is untouched: no transition, the client served.
     */
    @Test
    void statusEndpointSlowClientsHugeHeadersAndConnectionFloods() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            startPair(lab, 2);
            long transitions1 = lab.statusNumber("ha1", "transitions");
            NetnsLab.Poll poll = lab.poll();
            Thread.sleep(500);
            Path out1 = lab.dir().resolve("ha1/abuse-slow.out");
            Process slow = lab.java("ha1", StatusAbuser.class, out1, "9650", "8", "3", "10", "0");
            Thread.sleep(1500);
            double[] slowest1 = {0};
            Map<String, Integer> codes1 = scrapeFor(lab, 6, slowest1);
            slow.waitFor(20, TimeUnit.SECONDS);
            Path out2 = lab.dir().resolve("ha1/abuse-flood.out");
            Process flood = lab.java("ha1", StatusAbuser.class, out2, "9650", "6", "0", "0", "200");
            Thread.sleep(1000);
            double[] slowest2 = {0};
            Map<String, Integer> codes2 = scrapeFor(lab, 4.5, slowest2);
            flood.waitFor(20, TimeUnit.SECONDS);
            long after = System.nanoTime();
            String again = scrape(lab, "ha1");
            for (int i = 0; i < 10 && !again.startsWith("200"); i++) {
                Thread.sleep(250);
                again = scrape(lab, "ha1");
            }
            double recovered = since(after);
            String abuse1 = Files.readString(out1).strip();
            String abuse2 = Files.readString(out2).strip();
            System.out.println("status abuse: slow+huge " + abuse1 + ", scrapes " + codes1 + " slowest "
                    + slowest1[0] + " s; flood " + abuse2 + ", scrapes " + codes2 + " slowest " + slowest2[0]
                    + " s; 200 again after " + recovered + " s");
            assertEquals(Set.of("200"), codes1.keySet(), "slow clients and huge headers: " + abuse1);
            assertTrue(slowest1[0] < 2.0, "slowest scrape " + slowest1[0] + " s");
            // refused with 431 and closed: the writer mostly sees the close (a reset) before it reads the 431
            assertTrue(abuse1.contains("431=") || abuse1.contains("cut:SocketException"), "huge heads refused: "
                    + abuse1);
            // A flood beyond the workers and their queue is refused (503) and, when its SYNs overflow the accept
            // backlog, a scrape may get no answer in 3 s (000): the endpoint is not available under a flood, by
            // the present design; what must hold is that it comes back at once and that VRRP never notices.
            assertTrue(Set.of("200", "503", "000").containsAll(codes2.keySet()), "scrapes during the flood: "
                    + codes2);
            assertTrue(again.startsWith("200") && recovered < 3, "after the flood: " + again);
            assertEquals("MASTER", lab.state("ha1"));
            assertEquals("BACKUP", lab.state("ha2"));
            assertEquals(transitions1, lab.statusNumber("ha1", "transitions"));
            Summary s = poll.stop();
            HistoryChecker.Report h = poll.check("status abuse").assertClean();
            assertEquals(List.of("ha1"), h.served());
            assertTrue(h.longestOutageMs() < 1000, h.toString());
            Ledger.record("lab: status endpoint", "3 clients sending a byte every 1.9 s and 10 sending 8 MiB "
                    + "headers, reconnecting at once, on the master (production launcher)", 1, String.format(
                    Locale.ROOT, "every /metrics scrape answered 200, slowest %.2f s; the abusers' connections "
                    + "were cut off at the head limit or timed out (%s); VRRP untouched, client served",
                    slowest1[0], abuse1.replace("READY", "").strip()));
            Ledger.record("lab: status endpoint", "200 idle connections a second on the master's status endpoint "
                    + "(beyond its 4 workers and 16 waiting)", 1, String.format(Locale.ROOT, "scrapes during the "
                    + "flood: %s (503 = busy; 000 = no answer within 3 s, SYNs beyond the accept backlog): the "
                    + "endpoint is not available under such a flood; 200 again %.2f s after it; VRRP untouched, "
                    + "client served (longest gap %.0f ms)", codes2, recovered, h.longestOutageMs()));
            System.out.println("client " + s);
        }
    }

    /**
     * An interface deleted and made again (a VLAN, a bond, a veth re-created: same name, new index and MAC), first
     * under the backup, then under the master. The backup must hear the master again on the new interface (a capture
     * left on the old one would make it a deaf second master); the master loses its VIP with the interface, the
     * backup takes over, and once the interface is back the master hears the backup, preempts and adds the VIP to
     * the new interface. The client's neighbour entry is left out of the history check: the new NIC has a new MAC.
     */
    @Test
    void anInterfaceDeletedAndMadeAgainUnderTheBackupAndUnderTheMaster() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            startPair(lab, 2);
            NetnsLab.Poll poll = lab.poll();
            Thread.sleep(500);
            long become2 = NetnsLab.metric(lab.metrics("ha2"), "keepalived_become_master_total", "iname=\"VI_1\"");
            lab.lab("replug", "ha2", "1"); // returns once the new interface is up
            long replugged = System.nanoTime();
            lab.awaitState("ha2", "BACKUP", 10);
            double backupBack = since(replugged);
            assertTrue(lab.agentLog("ha2").contains("VI_1 BACKUP -> FAULT"), "the loss was seen: "
                    + lab.agentLog("ha2"));
            Thread.sleep(6000); // beyond Master_Down_Interval: a deaf backup would be master by now
            assertEquals("BACKUP", lab.state("ha2"), lab.agentLog("ha2"));
            assertEquals("MASTER", lab.state("ha1"));
            assertEquals("ha1", lab.holder());
            assertEquals(become2, NetnsLab.metric(lab.metrics("ha2"), "keepalived_become_master_total",
                    "iname=\"VI_1\""), "ha2 never took over: " + lab.agentLog("ha2"));

            lab.lab("replug", "ha1", "1");
            long replugged1 = System.nanoTime();
            lab.waitServing("ha2", 10);
            lab.awaitState("ha1", "MASTER", 15);
            lab.waitServing("ha1", 10);
            double masterBack = since(replugged1);
            Thread.sleep(2000);
            assertEquals("MASTER", lab.state("ha1"));
            assertEquals("BACKUP", lab.state("ha2"));
            assertEquals("ha1", lab.holder());
            Summary s = poll.stop();
            ClientHistory seen = poll.history();
            HistoryChecker.Report h = HistoryChecker.check("interface re-created", new ClientHistory(seen.requests(),
                    seen.ownership(), List.of(), seen.macs()), List.of(), 30, HANDOVER_MS).assertClean();
            System.out.println("replug: " + h + "; backup back " + backupBack + " s, master back " + masterBack
                    + " s; client " + s);
            assertEquals(List.of("ha1", "ha2", "ha1"), h.served(), h.toString());
            Ledger.record("lab: interface re-created", "the backup's eth0 deleted and made again 1 s later (new "
                    + "index and MAC), then the master's", 2, String.format(Locale.ROOT, "the backup went FAULT, "
                    + "was BACKUP %.1f s after the new interface was up, heard the master again and never took over; the master's VIP went with "
                    + "its interface, ha2 took over, ha1 preempted on the new interface %.1f s after the replug; "
                    + "client ha1>ha2>ha1, longest outage %.0f ms, two holders only in handovers", backupBack,
                    masterBack, h.longestOutageMs()));
        }
    }
}
