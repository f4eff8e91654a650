package io.nginxha.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.drill.Summary;
import io.nginxha.agent.lab.AdvertInjector.Kind;
import io.nginxha.agent.reliability.Ledger;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Crafted VRRP frames from an "attacker" namespace on the lab's bridge, at a running master (ha1) and backup
 * (ha2), each better than the master (priority 254 or 255) if it were accepted. Each kind is sent {@value #COUNT}
 * times; both routers must drop every one, count it under the reason {@link Kind#reason} names, and change
 * nothing: same states, no transition, the VIP on ha1 and the client served by it throughout.
 */
class HostileIT {
    private static final int COUNT = 200;
    private static final String DROPS = "vrrp_agent_adverts_dropped_total";

    private static long drops(NetnsLab lab, String host, Kind kind) throws IOException {
        // Summed over the instance and the unattributed row: a wrong VRID belongs to no instance.
        return NetnsLab.metric(lab.metrics(host), DROPS, "reason=\"" + kind.reason.name().toLowerCase(Locale.ROOT)
                + "\"");
    }

    /** Waits (a bounded time) for the agent to have counted {@code expected} drops, and returns the count. */
    private static long awaitDrops(NetnsLab lab, String host, Kind kind, long expected) throws Exception {
        long n = drops(lab, host, kind);
        for (int i = 0; i < 50 && n < expected; i++) {
            Thread.sleep(100);
            n = drops(lab, host, kind);
        }
        return n;
    }

    private static void assertNothingChanged(NetnsLab lab, long transitions1, long transitions2, String after)
            throws IOException {
        assertEquals("MASTER", lab.state("ha1"), after);
        assertEquals("BACKUP", lab.state("ha2"), after);
        assertEquals(transitions1, lab.statusNumber("ha1", "transitions"), "ha1 transitions after " + after);
        assertEquals(transitions2, lab.statusNumber("ha2", "transitions"), "ha2 transitions after " + after);
        assertEquals("ha1", lab.holder(), after);
    }

    @Test
    void malformedAndForgedAdvertsAreDroppedCountedAndChangeNothing() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            lab.startPair("", "");
            Injector injector = new Injector(lab);
            long transitions1 = lab.statusNumber("ha1", "transitions");
            long transitions2 = lab.statusNumber("ha2", "transitions");
            NetnsLab.Poll poll = lab.poll();
            Thread.sleep(300);
            List<String[]> rows = new ArrayList<>();
            for (Kind kind : Kind.values()) {
                if (kind == Kind.STRANGER_PRIORITY_255 || kind.reason == null) {
                    continue; // accepted by design without unicast peers; see the unicast test and LabFaultsIT
                }
                long before1 = drops(lab, "ha1", kind);
                long before2 = drops(lab, "ha2", kind);
                injector.send(kind, COUNT, "224.0.0.18", "-", 1);
                long counted1 = awaitDrops(lab, "ha1", kind, before1 + COUNT) - before1;
                long counted2 = awaitDrops(lab, "ha2", kind, before2 + COUNT) - before2;
                assertEquals(COUNT, counted1, kind + ": drops counted by the master");
                assertEquals(COUNT, counted2, kind + ": drops counted by the backup");
                assertNothingChanged(lab, transitions1, transitions2, kind.toString());
                rows.add(new String[] {kind.description, kind.reason.name().toLowerCase(Locale.ROOT)});
            }
            Thread.sleep(1000); // a full advert interval after the last kind
            assertNothingChanged(lab, transitions1, transitions2, "the whole barrage");
            Summary s = poll.stop();
            System.out.println("client during the hostile barrage: " + s);
            assertEquals(List.of("ha1"), s.served(), "the client stays on the master");
            assertTrue(s.outageMs() < 1000, "outage " + s.outageMs());
            for (String[] row : rows) {
                Ledger.record("hostile packet", row[0] + " (multicast, to master and backup)", COUNT,
                        String.format(Locale.ROOT, "%d/%d dropped by each router, counted as reason=\"%s\"; "
                                + "no transition, VIP stayed on the master, client served throughout "
                                + "(longest gap %.0f ms)", COUNT, COUNT, row[1], s.outageMs()));
            }
        }
    }

    @Test
    void withUnicastPeersAPriority255AdvertFromAStrangerIsIgnored() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            lab.startPair(LabConfigs.unicast("192.168.16.128", "192.168.16.129"),
                    LabConfigs.unicast("192.168.16.129", "192.168.16.128"));
            Injector injector = new Injector(lab);
            long transitions1 = lab.statusNumber("ha1", "transitions");
            long transitions2 = lab.statusNumber("ha2", "transitions");
            long received1 = lab.statusNumber("ha1", "adverts_received");
            long received2 = lab.statusNumber("ha2", "adverts_received");
            long start = System.nanoTime();
            NetnsLab.Poll poll = lab.poll();
            Thread.sleep(300);
            injector.send(Kind.STRANGER_PRIORITY_255, COUNT, "192.168.16.128", lab.mac("ha1"), 1);
            injector.send(Kind.STRANGER_PRIORITY_255, COUNT, "192.168.16.129", lab.mac("ha2"), 1);
            injector.send(Kind.STRANGER_PRIORITY_255, COUNT, "224.0.0.18", "-", 1);
            Thread.sleep(1500);
            assertNothingChanged(lab, transitions1, transitions2, "a priority-255 stranger");
            double seconds = (System.nanoTime() - start) / 1e9;
            long got1 = lab.statusNumber("ha1", "adverts_received") - received1;
            long got2 = lab.statusNumber("ha2", "adverts_received") - received2;
            // The master hears no one; the backup only the master's once-a-second adverts.
            assertEquals(0, got1, "adverts the master accepted");
            assertTrue(got2 <= seconds + 2, "adverts the backup accepted in " + seconds + " s: " + got2);
            long counted = drops(lab, "ha1", Kind.STRANGER_PRIORITY_255)
                    + drops(lab, "ha2", Kind.STRANGER_PRIORITY_255);
            Summary s = poll.stop();
            System.out.println("client during the stranger's adverts: " + s + ", not_a_peer drops " + counted);
            assertEquals(List.of("ha1"), s.served());
            Ledger.record("hostile packet", "priority 255 from an address that is not a unicast peer "
                    + "(unicast to master and to backup, and multicast)", 3L * COUNT, String.format(Locale.ROOT,
                    "ignored: none reached either router's state machine (the capture filter admits only the "
                            + "peer; %d counted as not_a_peer); no transition, VIP stayed, client served",
                    counted));
        }
    }
}
