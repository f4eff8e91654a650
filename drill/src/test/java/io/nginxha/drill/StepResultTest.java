package io.nginxha.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.drill.StepResult.Expectation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepResultTest {
    /** One request every 10 ms from {@code t}: a host name, or "-" for a failure. */
    private static List<Poller.Sample> requests(double t, String... who) {
        List<Poller.Sample> out = new ArrayList<>();
        for (String w : who) {
            out.add(new Poller.Sample(t, t + 1, w.equals("-") ? null : w, w.equals("-") ? "timeout" : null));
            t += 10;
        }
        return out;
    }

    private static StepResult step(String expected, Expectation e, String... who) {
        return StepResult.of("s", expected, e, "ha1", new Poller.Sample(0, 1, "ha1", null), 5, requests(10, who),
                List.of());
    }

    @Test
    void oneMoveToTheExpectedHostIsNoFlap() {
        StepResult r = step("ha2", Expectation.MOVES, "ha1", "-", "-", "ha2", "ha2");
        assertTrue(r.ok());
        assertEquals(0, r.flaps());
        assertEquals(List.of("ha1", "ha2"), r.served());
        assertEquals(5, r.requests());
        assertEquals(2, r.failed());
        assertEquals(29.0, r.outageMs(), 1e-9); // ha1's answer ended at 11, ha2's started at 40
        assertEquals(35.0, r.timeToExpectedMs(), 1e-9); // from the action at 5
        assertEquals("ha2", r.after());
    }

    @Test
    void goingBackAndForthIsCountedAsFlaps() {
        StepResult r = step("ha2", Expectation.MOVES, "ha2", "ha1", "ha2", "ha2");
        assertFalse(r.ok());
        assertEquals(2, r.flaps());
        assertEquals(List.of("2 flap(s): ha1>ha2>ha1>ha2"), r.problems());
        assertEquals(25.0, r.timeToExpectedMs(), 1e-9, "the final run of ha2 counts");
    }

    @Test
    void anotherHostAnsweringBreaksAStayingStep() {
        StepResult r = step("ha1", Expectation.STAYS, "-", "ha2", "ha1", "ha1");
        assertFalse(r.ok());
        assertEquals(List.of("another host answered (ha1>ha2>ha1), expected only ha1"), r.problems());
    }

    @Test
    void endingWithTheWrongHostOrNobody() {
        StepResult wrong = step("ha2", Expectation.MOVES, "ha1", "ha1");
        assertEquals("ha1 served at the end, expected ha2", wrong.problems().get(0));
        assertNull(wrong.timeToExpectedMs());
        StepResult nobody = step("ha1", Expectation.STAYS, "ha1", "-");
        assertEquals("nobody served at the end, expected ha1", nobody.problems().get(0));
        assertNull(nobody.after());
        assertEquals(1, nobody.failed());
    }
}
