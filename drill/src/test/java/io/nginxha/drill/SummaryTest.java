package io.nginxha.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {
    private static Poller.Sample ok(double start, String host) {
        return new Poller.Sample(start, start + 1, host, null);
    }

    private static Poller.Sample fail(double start) {
        return new Poller.Sample(start, start + 20, null, "SocketTimeoutException");
    }

    @Test
    void outageRunsFromLastGoodAnswerToFirstGoodAnswer() {
        Summary s = Summary.of(List.of(ok(0, "ha1"), ok(10, "ha1"), fail(20), fail(45), fail(70), ok(100, "ha2"),
                ok(110, "ha2")));
        assertEquals(7, s.requests());
        assertEquals(3, s.failed());
        assertEquals(89.0, s.outageMs(), 1e-9); // good answer ended at 11, next good one started at 100
        assertEquals(List.of("ha1", "ha2"), s.served());
        assertEquals(1, s.flaps());
    }

    @Test
    void longestOfSeveralOutagesCounts() {
        Summary s = Summary.of(List.of(ok(0, "ha1"), fail(10), ok(40, "ha1"), fail(50), fail(80), ok(300, "ha2"),
                ok(310, "ha1")));
        assertEquals(259.0, s.outageMs(), 1e-9);
        assertEquals(List.of("ha1", "ha2", "ha1"), s.served());
        assertEquals(2, s.flaps());
    }

    @Test
    void outageStillRunningAtTheEndIsMeasuredToTheLastSample() {
        Summary s = Summary.of(List.of(ok(0, "ha1"), fail(10), fail(30)));
        assertEquals(49.0, s.outageMs(), 1e-9);
        assertEquals("requests=3 failed=2 outage_ms=49.0 served=ha1 flaps=0", s.toString());
    }

    @Test
    void noFailureMeansNoOutage() {
        Summary s = Summary.of(List.of(ok(0, "ha1"), ok(10, "ha1")));
        assertEquals(0.0, s.outageMs());
        assertEquals(0, s.failed());
    }
}
