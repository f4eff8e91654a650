package io.nginxha.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.lab.ClientHistory.Neighbour;
import io.nginxha.agent.lab.ClientHistory.Ownership;
import io.nginxha.agent.lab.ClientHistory.Request;
import io.nginxha.agent.lab.HistoryChecker.Report;
import io.nginxha.agent.lab.HistoryChecker.Window;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Histories the checker must pass and histories it must fail, each failing for the one rule it breaks. */
class HistoryCheckerTest {
    private static final String MAC1 = "02:00:00:00:00:01";
    private static final String MAC2 = "02:00:00:00:00:02";
    private static final Map<String, String> MACS = Map.of("ha1", MAC1, "ha2", MAC2);

    /** One request every 10 ms from {@code fromMs} to {@code toMs}, each 1 ms long, answered by {@code server}. */
    private static List<Request> polls(String client, double fromMs, double toMs, String server) {
        List<Request> out = new ArrayList<>();
        for (double t = fromMs; t < toMs; t += 10) {
            out.add(new Request(client, t, t + 1, server));
        }
        return out;
    }

    private static List<Request> concat(List<List<Request>> parts) {
        List<Request> out = new ArrayList<>();
        parts.forEach(out::addAll);
        return out;
    }

    /** ha1 holds the VIP from 0; it moves to ha2 at 1000 ms (ha1 releases at 1000, ha2 adds at 1200). */
    private static List<Ownership> failoverAt1000() {
        return List.of(new Ownership(0, "ha1", true), new Ownership(0, "ha2", false),
                new Ownership(1000, "ha1", false), new Ownership(1200, "ha2", true));
    }

    private static Report check(List<Request> requests, List<Ownership> own, List<Neighbour> neigh,
                                Window... allowed) {
        return HistoryChecker.check("test", new ClientHistory(requests, own, neigh, MACS), List.of(allowed), 5);
    }

    @Test
    void aCleanFailoverPassesAndReportsItsOutageAndDepartures() {
        List<Request> requests = concat(List.of(polls("client", 0, 1000, "ha1"), polls("client", 1000, 1200, null),
                polls("client", 1200, 2000, "ha2")));
        List<Neighbour> neigh = List.of(new Neighbour(0, "client", MAC1), new Neighbour(1201, "client", MAC2));
        Report r = check(requests, failoverAt1000(), neigh).assertClean();
        assertEquals(List.of("ha1", "ha2"), r.served());
        assertEquals(1, r.departures("ha1"));
        assertEquals(0, r.departures("ha2"));
        // last good answer ended at 991, the first good one after started at 1200
        assertEquals(209, r.longestOutageMs(), 1e-9);
        assertEquals(0.991, r.longestOutageAtSec(), 1e-9);
        assertEquals(20, r.failed());
        assertEquals(0, r.dualOwnershipMs(), 1e-9);
    }

    @Test
    void anAnswerFromAHostThatHadLostTheVipFails() {
        // ha1 answers at 1100, after removing the VIP at 1000: the answer cannot be explained
        List<Request> requests = concat(List.of(polls("client", 0, 1200, "ha1"), polls("client", 1200, 2000, "ha2")));
        Report r = check(requests, failoverAt1000(), List.of());
        assertFalse(r.ok());
        assertTrue(r.violations().get(0).startsWith("ha1 answered client at 1.010 s without holding the VIP"),
                r.violations().toString());
        assertThrows(AssertionError.class, r::assertClean);
    }

    @Test
    void anAnswerJustInsideTheToleranceOfARemovalPasses() {
        // the request began 3 ms after the removal was seen: the two clocks' error, not a violation
        List<Request> requests = List.of(new Request("client", 1003, 1004, "ha1"));
        assertTrue(check(requests, failoverAt1000(), List.of()).ok());
    }

    @Test
    void anUnknownServerFails() {
        Report r = check(List.of(new Request("client", 10, 11, "?")), failoverAt1000(), List.of());
        assertFalse(r.ok());
    }

    @Test
    void twoHoldersOutsideAnAllowedWindowFailAndInsideOnePass() {
        List<Ownership> split = List.of(new Ownership(0, "ha1", true), new Ownership(0, "ha2", false),
                new Ownership(500, "ha2", true), new Ownership(1500, "ha2", false));
        List<Request> requests = concat(List.of(polls("client", 0, 600, "ha1"), polls("client", 600, 1400, "ha2"),
                polls("client", 1600, 2000, "ha1")));
        Report bad = check(requests, split, List.of());
        assertEquals(1, bad.violations().size(), bad.violations().toString());
        assertTrue(bad.violations().get(0).contains("two hosts held the VIP from 0.500 s to 1.500 s (1000 ms)"),
                bad.violations().toString());
        Report good = check(requests, split, List.of(), new Window("partition", 400, 1600)).assertClean();
        assertEquals(1000, good.dualOwnershipMs(), 1e-9);
        assertEquals(List.of("ha1", "ha2", "ha1"), good.served());
        // a window that ends before the second holder lets go does not cover it
        assertFalse(check(requests, split, List.of(), new Window("partition", 400, 1400)).ok());
    }

    @Test
    void anAnswerAgainstTheNeighbourTableFails() {
        // during the split both hold the VIP, but the client's entry still points at ha1 when ha2 answers
        List<Ownership> split = List.of(new Ownership(0, "ha1", true), new Ownership(0, "ha2", true));
        List<Request> requests = concat(List.of(polls("client", 0, 500, "ha1"), polls("client", 500, 600, "ha2")));
        Window all = new Window("split", 0, 1000);
        List<Neighbour> stale = List.of(new Neighbour(0, "client", MAC1));
        assertFalse(check(requests, split, stale, all).ok());
        List<Neighbour> moved = List.of(new Neighbour(0, "client", MAC1), new Neighbour(499, "client", MAC2));
        assertTrue(check(requests, split, moved, all).ok());
    }

    @Test
    void overlappingRequestsOfTwoClientsAnsweredByTwoHostsFail() {
        List<Ownership> split = List.of(new Ownership(0, "ha1", true), new Ownership(0, "ha2", true));
        List<Request> requests = List.of(new Request("a", 100, 110, "ha1"), new Request("b", 105, 108, "ha2"));
        Report r = check(requests, split, List.of(), new Window("holders only", -1, -1));
        assertTrue(r.violations().stream().anyMatch(v -> v.contains("a was answered by ha1 and b by ha2 at the "
                + "same time")), r.violations().toString());
        // the same two answers one after the other are a move, not a conflict (ownership still needs a window)
        List<Request> apart = List.of(new Request("a", 100, 110, "ha1"), new Request("b", 111, 115, "ha2"));
        assertTrue(check(apart, split, List.of(), new Window("split", 0, 200)).ok());
    }

    @Test
    void everyMoveIsCountedAgainstTheHostTheClientLeft() {
        List<Ownership> both = List.of(new Ownership(0, "ha1", true), new Ownership(0, "ha2", true));
        List<Request> requests = concat(List.of(polls("client", 0, 100, "ha1"), polls("client", 100, 200, "ha2"),
                polls("client", 200, 300, "ha1"), polls("client", 300, 400, "ha2"), polls("client", 400, 500, "ha1")));
        Report r = check(requests, both, List.of(), new Window("split", 0, 1000)).assertClean();
        assertEquals(List.of("ha1", "ha2", "ha1", "ha2", "ha1"), r.served());
        assertEquals(2, r.departures("ha1"));
        assertEquals(2, r.departures("ha2"));
        assertEquals(0, r.longestOutageMs(), 1e-9);
    }

    @Test
    void anOutageAtTheEndIsMeasuredToTheLastRequest() {
        List<Request> requests = concat(List.of(polls("client", 0, 100, "ha1"), polls("client", 100, 300, null)));
        Report r = check(requests, List.of(new Ownership(0, "ha1", true)), List.of());
        assertEquals(291 - 91, r.longestOutageMs(), 1e-9);
    }

    @Test
    void parsesThePollerLogAndTheMonitors() {
        List<Request> requests = ClientHistory.parsePollerLog("client", List.of("# start_unix_ms 1000.0",
                "0.5 1.5 ok ha1", "10.0 30.0 fail SocketTimeoutException"));
        assertEquals(List.of(new Request("client", 1000.5, 1001.5, "ha1"),
                new Request("client", 1010.0, 1030.0, null)), requests);
        assertThrows(IllegalArgumentException.class, () -> ClientHistory.parsePollerLog("c", List.of("1 2 ok ha1")));

        ZoneId utc = ZoneId.of("UTC");
        double t = ClientHistory.stampMs("[1970-01-01T00:00:01.250500] x", utc);
        assertEquals(1250.5, t, 1e-9);
        List<Ownership> own = ClientHistory.parseAddressMonitor("ha1", "192.168.16.130", List.of(
                "[1970-01-01T00:00:01.000000] 2: eth0    inet 192.168.16.130/24 scope global secondary eth0\\",
                "[1970-01-01T00:00:01.100000] 2: eth0    inet 192.168.16.128/24 scope global eth0\\",
                "[1970-01-01T00:00:02.000000] Deleted 2: eth0    inet 192.168.16.130/24 scope global secondary"),
                utc);
        assertEquals(List.of(new Ownership(1000, "ha1", true), new Ownership(2000, "ha1", false)), own);
        List<Neighbour> neigh = ClientHistory.parseNeighbourMonitor("client", "192.168.16.130", List.of(
                "[1970-01-01T00:00:01.000000] 192.168.16.130 dev eth0 lladdr 02:00:00:00:00:0A REACHABLE",
                "[1970-01-01T00:00:01.500000] 192.168.16.1300 dev eth0 lladdr 02:00:00:00:00:0b STALE",
                "[1970-01-01T00:00:02.000000] 192.168.16.130 dev eth0  FAILED",
                "[1970-01-01T00:00:03.000000] Deleted 192.168.16.130 dev eth0 lladdr 02:00:00:00:00:0a STALE"), utc);
        assertEquals(List.of(new Neighbour(1000, "client", "02:00:00:00:00:0a"), new Neighbour(2000, "client", null),
                new Neighbour(3000, "client", null)), neigh);
    }

    @Test
    void aShortOverlapIsAHandoverOnlyWithinItsBound() {
        List<Ownership> preempt = List.of(new Ownership(0, "ha2", true), new Ownership(0, "ha1", false),
                new Ownership(1000, "ha1", true), new Ownership(1040, "ha2", false));
        List<Request> requests = concat(List.of(polls("client", 0, 1000, "ha2"), polls("client", 1000, 2000, "ha1")));
        ClientHistory h = new ClientHistory(requests, preempt, List.of(), MACS);
        assertTrue(HistoryChecker.check("preempt", h, List.of(), 5, 50).ok());
        assertFalse(HistoryChecker.check("preempt", h, List.of(), 5, 30).ok());
        assertFalse(HistoryChecker.check("preempt", h, List.of(), 5).ok());
    }
}
