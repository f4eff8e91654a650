package io.nginxha.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.drill.Summary;
import io.nginxha.agent.reliability.Ledger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Faults in a private namespace lab, the agent on both hosts (ha1 MASTER 100, ha2 BACKUP 99, advert_int 1),
 * a client polling the VIP every 10 ms. Each test asserts the states (/status), the VIP holders and what the
 * client saw, then records the figures in the reliability ledger. nginx crash-looping is HealthIT's.
 */
class FaultsIT {
    /** ha2's Master_Down_Interval: 3 advert intervals + skew (256 - 99) / 256 s. */
    private static final double HA2_MASTER_DOWN_SEC = 3 + 157 / 256.0;
    private static final String UNICAST1 = LabConfigs.unicast("192.168.16.128", "192.168.16.129");
    private static final String UNICAST2 = LabConfigs.unicast("192.168.16.129", "192.168.16.128");

    private static long counter(NetnsLab lab, String host, String name) throws IOException {
        return NetnsLab.metric(lab.metrics(host), name, "iname=\"VI_1\"");
    }

    private static void assertOneMasterOnHa1(NetnsLab lab, String after) throws IOException {
        assertEquals("MASTER", lab.state("ha1"), after);
        assertEquals("BACKUP", lab.state("ha2"), after);
        assertEquals("ha1", lab.holder(), after + ": the VIP only on the master");
    }

    private static double since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    @Test
    void partitionThenHealLeavesHa1AloneAsMasterAndTheClientOnIt() throws Exception {
        partitionThenHeal("", "");
    }

    @Test
    void partitionThenHealWithUnicastPeers() throws Exception {
        partitionThenHeal(UNICAST1, UNICAST2);
    }

    /**
     * During the partition both are master (that is what VRRP does) and ha2's gratuitous ARP takes the client.
     * After the heal ha1 must hear ha2's lower-priority advert and re-announce at once, with gratuitous ARP, so the
     * client leaves ha2 (keepalived issue 166; in unicast mode, issue 2458).
     */
    private static void partitionThenHeal(String extra1, String extra2) throws Exception {
        int cycles = 2;
        String mode = extra1.isEmpty() ? "multicast" : "unicast peers";
        try (NetnsLab lab = NetnsLab.start()) {
            lab.startPair(extra1, extra2);
            NetnsLab.Poll poll = lab.poll();
            Thread.sleep(500);
            double worstHeal = 0;
            List<HistoryChecker.Window> splits = new java.util.ArrayList<>();
            for (int i = 0; i < cycles; i++) {
                double cut = NetnsLab.now();
                lab.partition();
                lab.awaitState("ha2", "MASTER", 8);
                lab.waitServing("ha2", 5); // the client follows the newest gratuitous ARP
                assertEquals("MASTER", lab.state("ha1"), "ha1 hears no one and stays master");
                assertEquals("both", lab.holder(), "both masters hold the VIP while partitioned");
                Thread.sleep(1000);
                // Heal just after ha2's advert, so ha1's reaches ha2 first: ha2 steps down before ha1 ever hears
                // it, the case where only ha2's parting advert makes ha1 send gratuitous ARP.
                long sent = lab.statusNumber("ha2", "adverts_sent");
                for (int t = 0; t < 40 && lab.statusNumber("ha2", "adverts_sent") == sent; t++) {
                    Thread.sleep(10);
                }
                long healed = System.nanoTime();
                lab.heal();
                lab.awaitState("ha2", "BACKUP", 4);
                lab.waitServing("ha1", 4);
                double back = since(healed);
                splits.add(new HistoryChecker.Window("partitioned: both masters", cut, NetnsLab.now()));
                worstHeal = Math.max(worstHeal, back);
                Thread.sleep(2000); // two advert intervals: nothing moves back
                assertOneMasterOnHa1(lab, "heal " + (i + 1));
                assertTrue(back < 3.0, "client back on ha1 " + back + " s after the heal");
            }
            Summary s = poll.stop();
            System.out.println("partition/heal x" + cycles + " (" + mode + "): " + s);
            HistoryChecker.Report h = poll.check("partition, " + mode, splits.toArray(HistoryChecker.Window[]::new))
                    .assertClean();
            assertEquals(List.of("ha1", "ha2", "ha1", "ha2", "ha1"), h.served(), h.toString());
            assertEquals(0, counter(lab, "ha1", "keepalived_release_master_total"), "ha1 never left MASTER");
            assertEquals(cycles, counter(lab, "ha2", "keepalived_become_master_total"));
            Ledger.record("lab: partition", "ha1 and ha2 cut from each other for ~5 s (both become master), then "
                    + "healed; " + mode, cycles, String.format(Locale.ROOT, "after each heal one master (ha1), "
                    + "VIP only on ha1 and the client served by ha1 within %.1f s (ha1 re-announces with "
                    + "gratuitous ARP on hearing the lower-priority master); no blackhole", worstHeal));
        }
    }

    /**
     * 20% loss and 0-100 ms delay each way between ha1 and ha2 for 180 s, through {@link LossyLink} (this kernel
     * has no netem). With independent losses a run of three lost adverts is likely in 180 (p = 0.69), and then
     * the backup must take over: RFC 5798 leaves no choice. So the test asserts the exact rule instead of "never":
     * ha2 took over once per silence longer than its Master_Down_Interval and never otherwise, ha1 never left
     * MASTER, each takeover ended at ha1's next advert, and the client was never blackholed (ha1's gratuitous ARP
     * must win even when adverts are lost).
     */
    @Test
    void lossyJitteryLinkCausesNoTakeoverBeyondTheRfcRule() throws Exception {
        int seconds = 180;
        long seed = System.nanoTime();
        try (NetnsLab lab = NetnsLab.start()) {
            lab.startPair("", "");
            Path log = lab.dir().resolve("lossy.log");
            Path out = lab.dir().resolve("lossy.out");
            Process relay = lab.java("sw", LossyLink.class, out, "ha1", "ha2", "20", "0", "100",
                    Long.toString(seed), log.toString());
            for (int i = 0; i < 600 && !(Files.exists(out) && Files.readString(out).contains("READY")); i++) {
                Thread.sleep(100);
            }
            assertTrue(Files.readString(out).contains("READY"), "relay: " + Files.readString(out));
            NetnsLab.Poll poll = lab.poll();
            lab.partition();
            long cut = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            long heal = System.nanoTime();
            lab.heal();
            lab.waitServing("ha1", 5);
            Thread.sleep(1500);
            relay.destroy();
            relay.waitFor(10, TimeUnit.SECONDS);
            assertOneMasterOnHa1(lab, "after the lossy period");
            Summary s = poll.stop();
            LossyLink.Silences silences = LossyLink.silences(Files.readAllLines(log), "ha1", "192.168.16.128",
                    cut, heal, HA2_MASTER_DOWN_SEC, 0.05);
            long takeovers = counter(lab, "ha2", "keepalived_become_master_total");
            String figures = "seed " + seed + ", " + silences + ", ha2 takeovers " + takeovers + ", client " + s;
            System.out.println("lossy link: " + figures);
            assertTrue(silences.adverts() >= seconds - 5, "ha1's adverts through the relay: " + figures);
            assertEquals(0, counter(lab, "ha1", "keepalived_release_master_total"), "ha1 left MASTER: " + figures);
            assertTrue(takeovers >= silences.certain() && takeovers <= silences.possible(),
                    "takeovers must match the silences longer than Master_Down_Interval: " + figures);
            assertEquals("ha1", s.served().get(s.served().size() - 1), figures);
            assertTrue(s.served().stream().filter("ha2"::equals).count() <= takeovers, figures);
            // ha1 keeps serving until ha2's gratuitous ARP; after ha2 steps down ha1's must bring the client back,
            // or it is blackholed until its ARP entry expires (tens of seconds).
            assertTrue(s.outageMs() < 2000, "client outage: " + figures);
            Ledger.record("lab: lossy link", "20% loss + 0-100 ms delay (50 ms +/- 50 ms jitter) each way between "
                    + "ha1 and ha2, advert_int 1, " + seconds + " s", silences.adverts(), String.format(Locale.ROOT,
                    "%d of %d adverts lost; %d silence(s) longer than Master_Down_Interval (%.2f s, %d more within "
                    + "50 ms of it), %d takeover(s) by ha2: the RFC rule, no other flap; ha1 never left MASTER; one "
                    + "master at the end; client served by ha1 again after each takeover, longest outage %.0f ms, "
                    + "%d of %d requests failed", silences.lost(), silences.adverts(), silences.certain(),
                    HA2_MASTER_DOWN_SEC, silences.possible() - silences.certain(), takeovers, s.outageMs(),
                    s.failed(), s.requests()));
        }
    }

    @Test
    void flappingLinkEndsWithTheVipOnHa1AndNoPingPong() throws Exception {
        int flaps = 3;
        double period = 1.25; // up never long enough (Master_Down_Interval 3.6 s) for ha1 to take over in between
        try (NetnsLab lab = NetnsLab.start()) {
            lab.startPair("", "");
            NetnsLab.Poll poll = lab.poll();
            Thread.sleep(500);
            lab.linkFlap("ha1", flaps, period);
            long up = System.nanoTime();
            lab.awaitState("ha1", "MASTER", 10);
            lab.waitServing("ha1", 5);
            double back = since(up);
            Thread.sleep(2000);
            assertOneMasterOnHa1(lab, "after the flapping");
            Summary s = poll.stop();
            System.out.println("link flap x" + flaps + ": " + s + ", ha1 back " + back + " s after the last up");
            long faults = lab.agentLog("ha1").lines().filter(l -> l.contains("-> FAULT")).count();
            assertEquals(flaps, faults, "each lost carrier seen: " + lab.agentLog("ha1"));
            assertEquals(List.of("ha1", "ha2", "ha1"), s.served(), "the VIP moved once and came back once");
            assertEquals(1, counter(lab, "ha2", "keepalived_become_master_total"));
            Ledger.record("lab: link flap", "ha1's link down/up " + flaps + " times (" + period + " s down, "
                    + period + " s up)", 1, String.format(Locale.ROOT, "ha1 FAULT at each loss of carrier; ha2 "
                    + "took over once; ha1 master again %.1f s after the last up; one master, client served "
                    + "ha1>ha2>ha1, longest outage %.0f ms", back, s.outageMs()));
        }
    }

    private static final Pattern TRANSITION = Pattern.compile("VI_1 (\\w+) -> (\\w+)");

    private static List<String> transitions(String log) {
        Matcher m = TRANSITION.matcher(log);
        return m.results().map(r -> r.group(1) + ">" + r.group(2)).toList();
    }

    /**
     * The master's agent killed with SIGKILL leaves the VIP on its interface. Restarted after the peer took over,
     * it finds every VIP still there and continues as master at once (it was master when it died); the peer,
     * lower in priority, steps down at its first advert, and the VIP ends on ha1 alone.
     */
    @Test
    void killedMasterIsReplacedAndOnRestartContinuesAsMasterAndThePeerStepsDown() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            lab.startPair("", "");
            NetnsLab.Poll poll = lab.poll();
            Thread.sleep(500);
            double killed = NetnsLab.now();
            lab.signal("kill9", "ha1", "agent");
            double takeover = lab.awaitState("ha2", "MASTER", 8);
            lab.waitServing("ha2", 5);
            assertEquals("both", lab.holder(), "the killed agent left the VIP on ha1's interface");
            int before = lab.agentLog("ha1").length();
            lab.agent("ha1", lab.dir().resolve("ha1/keepalived.conf"));
            lab.awaitState("ha1", "MASTER", 30);
            lab.awaitState("ha2", "BACKUP", 8);
            lab.waitServing("ha1", 5);
            double settled = NetnsLab.now();
            Thread.sleep(2000);
            assertOneMasterOnHa1(lab, "after the restart");
            String restart = lab.agentLog("ha1").substring(before);
            assertTrue(restart.contains("still on the interface, left by an agent that did not stop cleanly while"
                    + " master: continuing as master"), restart);
            assertEquals(List.of("INIT>MASTER"), transitions(restart), restart);
            Summary s = poll.stop();
            System.out.println("kill -9 of the master, restart after the takeover: " + s);
            HistoryChecker.Report h = poll.check("kill -9, restart after the takeover", new HistoryChecker.Window(
                    "the killed agent left its VIP on ha1", killed, settled)).assertClean();
            assertEquals(List.of("ha1", "ha2", "ha1"), h.served(), h.toString());
            assertEquals(1, counter(lab, "ha2", "keepalived_release_master_total"), "ha2 left MASTER once");
            Ledger.record("lab: kill -9", "the master's agent killed with SIGKILL (VIP left on its interface), "
                    + "restarted after the takeover", 1, String.format(Locale.ROOT, "ha2 master %.1f s after the "
                    + "kill; on restart ha1 found its VIP and continued as master, ha2 stepped down, VIP only on "
                    + "ha1; client served ha1>ha2>ha1, longest outage %.0f ms", takeover, s.outageMs()));
        }
    }

    /**
     * Restarted at once (as systemd does with RestartSec=2s, within the 3.6 s down interval), the killed master's
     * agent continues as master before the peer's timer fires: the peer never takes over and the client is
     * served by ha1 throughout. Before, the restart removed the stale VIP and then waited for its own down timer,
     * a window in which no host held the VIP.
     */
    @Test
    void killedMasterRestartedWithinTheDownIntervalKeepsTheVipWithoutAGap() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            lab.startPair("", "");
            NetnsLab.Poll poll = lab.poll();
            Thread.sleep(500);
            lab.signal("kill9", "ha1", "agent");
            Thread.sleep(1000);
            lab.agent("ha1", lab.dir().resolve("ha1/keepalived.conf"));
            lab.awaitState("ha1", "MASTER", 10);
            Thread.sleep(4000); // past ha2's down interval, measured from ha1's last advert before the kill
            assertOneMasterOnHa1(lab, "after a fast restart");
            assertEquals(0, counter(lab, "ha2", "keepalived_become_master_total"), "ha2 never took over");
            Summary s = poll.stop();
            System.out.println("kill -9 of the master, restart within the down interval: " + s);
            HistoryChecker.Report h = poll.check("kill -9, restart within the down interval").assertClean();
            assertEquals(List.of("ha1"), h.served(), h.toString());
            assertEquals(0, s.failed(), s.toString());
            Ledger.record("lab: kill -9", "the master's agent killed with SIGKILL and restarted 1 s later", 1,
                    String.format(Locale.ROOT, "ha1 continued as master, ha2 never took over; client served ha1 "
                    + "only, %d failed requests", s.failed()));
        }
    }

    /**
     * A frozen master (SIGSTOP) keeps its VIP on the interface but sends nothing; after SIGCONT its timers are
     * all overdue at once (a jump of several seconds): it must send one advert, not a burst, and reclaim.
     *
     * <p>The thaw waits until ha2's second gratuitous ARP burst (garp_master_delay, 5 s after it became master) is
     * out. Thawed inside that burst's window, ha1's resume races it: when ha2's timer fires after ha1's
     * re-announcement but before ha2 has read ha1's advert, the client goes back to ha2 until ha2 steps down, and
     * ha1's answer to ha2's parting adverts brings it home: served ha1>ha2>ha1>ha2>ha1, the flake seen once with a
     * fixed 8 s freeze (ha2 master 2.6-3.6 s after the freeze, its burst due 7.6-8.6 s). Two causes, both fixed:
     * the test's timing, and the product firing an overdue burst before reading what arrived while its JVM was
     * held up (a loaded machine starves it; {@link #aStalledNewMasterDoesNotSendItsOverdueGarpsAfterTheBetterMasterIsBack}
     * makes that deterministic). A burst due the very millisecond ha1's advert is on the wire stays a race VRRP
     * cannot close: ha2 held the VIP while it answered, which the history checker verifies.
     */
    @Test
    void frozenMasterResumesIntoOneMasterAndAServedClient() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            lab.startPair("", "");
            NetnsLab.Poll poll = lab.poll();
            Thread.sleep(500);
            long sent0 = lab.statusNumber("ha1", "adverts_sent");
            long received0 = lab.statusNumber("ha1", "adverts_received");
            double frozenAt = NetnsLab.now();
            lab.signal("freeze", "ha1", "agent");
            long frozen = System.nanoTime();
            double takeover = lab.awaitState("ha2", "MASTER", 8); // ha2 became master at most this long ago
            lab.waitServing("ha2", 5);
            assertEquals("both", lab.holder(), "the frozen agent's VIP is still on ha1's interface");
            long clearOfGarps = (long) ((takeover + 5 + 1.5) * 1000); // garp_master_delay 5 s, 1.5 s margin
            Thread.sleep(Math.max(0, clearOfGarps - (long) (since(frozen) * 1000)));
            double frozenFor = since(frozen);
            long thawed = System.nanoTime();
            lab.signal("thaw", "ha1", "agent");
            lab.awaitState("ha2", "BACKUP", 4);
            lab.waitServing("ha1", 4);
            double back = since(thawed);
            double settled = NetnsLab.now();
            Thread.sleep(2000);
            assertOneMasterOnHa1(lab, "after the resume");
            // ha1 answers each lower-priority advert it finds queued with one of its own; beyond those, one advert
            // a second since the resume, plus the one overdue, one sent before the freeze and one between the two
            // reads: a catch-up burst (one per missed interval, 8 here) would exceed that.
            long sent = lab.statusNumber("ha1", "adverts_sent") - sent0;
            long answered = lab.statusNumber("ha1", "adverts_received") - received0;
            long allowed = answered + (long) since(thawed) + 3;
            assertTrue(sent <= allowed, "ha1 sent " + sent + " adverts, allowed " + allowed);
            assertEquals(0, counter(lab, "ha1", "keepalived_release_master_total"), "ha1 never left MASTER");
            Summary s = poll.stop();
            System.out.println("SIGSTOP " + frozenFor + " s, SIGCONT: " + s + ", client back on ha1 " + back + " s");
            HistoryChecker.Report h = poll.check("SIGSTOP of the master", new HistoryChecker.Window(
                    "the frozen master keeps its VIP until it resumes and ha2 steps down", frozenAt, settled))
                    .assertClean();
            assertEquals(List.of("ha1", "ha2", "ha1"), h.served(), h.toString());
            assertTrue(back < 3.0, "client back on ha1 " + back + " s after the resume");
            Ledger.record("lab: SIGSTOP", "the master's agent frozen (SIGSTOP) past Master_Down_Interval and the new "
                    + "master's second GARP burst (until 6.5 s after the takeover), then resumed (SIGCONT)", 1,
                    String.format(Locale.ROOT, "frozen %.1f s; "
                    + "ha2 took over meanwhile; after the resume ha1 (still MASTER) re-announced, ha2 back to BACKUP, "
                    + "VIP only on ha1, client on ha1 within %.1f s; no advert burst from the timer jump (%d sent, "
                    + "%d answers to queued adverts); history checked: every answer from a VIP holder, two holders "
                    + "only while frozen (%.0f ms), longest outage %.0f ms", frozenFor, back, sent, answered,
                    h.dualOwnershipMs(), h.longestOutageMs()));
        }
    }

    /**
     * The race behind the frozen-master flake, made deterministic: the new master (ha2) is itself stalled (SIGSTOP)
     * across its garp_master_delay deadline while the old master resumes and re-announces. When ha2 runs again, the
     * better master's advert is already waiting in its socket: it must step down on it, not first send the
     * gratuitous ARP burst that is by then overdue, which would take the client to a host about to drop the VIP.
     */
    @Test
    void aStalledNewMasterDoesNotSendItsOverdueGarpsAfterTheBetterMasterIsBack() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            lab.startPair("", "");
            NetnsLab.Poll poll = lab.poll();
            Thread.sleep(500);
            double frozenAt = NetnsLab.now();
            lab.signal("freeze", "ha1", "agent");
            lab.awaitState("ha2", "MASTER", 8);
            long master = System.nanoTime(); // ha2 became master at most a poll before this
            lab.waitServing("ha2", 5);
            // ha2's second burst is due 5 s after it became master: stall it from 4.5 s to 6.5 s
            Thread.sleep(Math.max(0, 4500 - (long) (since(master) * 1000)));
            lab.signal("freeze", "ha2", "agent");
            lab.signal("thaw", "ha1", "agent");
            lab.waitServing("ha1", 4); // ha1 answered ha2's queued adverts with gratuitous ARP
            Thread.sleep(Math.max(0, 6500 - (long) (since(master) * 1000)));
            lab.signal("thaw", "ha2", "agent");
            lab.awaitState("ha2", "BACKUP", 4);
            Thread.sleep(2000);
            double settled = NetnsLab.now();
            assertOneMasterOnHa1(lab, "after both resumed");
            poll.stop();
            HistoryChecker.Report h = poll.check("stalled new master", new HistoryChecker.Window(
                    "ha1 frozen with its VIP, then ha2 stalled with its own", frozenAt, settled)).assertClean();
            assertEquals(List.of("ha1", "ha2", "ha1"), h.served(), "no late GARP from ha2: " + h + "\n"
                    + lab.agentLog("ha2"));
            Ledger.record("lab: SIGSTOP", "the new master stalled (SIGSTOP) across its garp_master_delay deadline "
                    + "while the old master resumed", 1, String.format(Locale.ROOT, "on resuming it stepped down on "
                    + "the queued advert before any overdue GARP: client ha1>ha2>ha1, longest outage %.0f ms",
                    h.longestOutageMs()));
        }
    }
}
