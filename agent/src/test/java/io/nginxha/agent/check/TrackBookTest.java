package io.nginxha.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrackBookTest {
    private static TrackBook.Term term(String name, int weight) {
        return new TrackBook.Term(name, weight, false);
    }

    @Test
    void weightsFollowKeepalived() {
        TrackBook b = new TrackBook(100, List.of(term("plus", 10), term("minus", -30), term("fault", 0)), Map.of());
        assertEquals(new TrackBook.Verdict(110, false, List.of()), b.verdict());
        b.update("minus", false);
        assertEquals(80, b.verdict().effectivePriority());
        b.update("plus", false);
        assertEquals(70, b.verdict().effectivePriority());
        b.update("fault", false);
        assertTrue(b.verdict().faulty());
        assertEquals(List.of("plus", "minus", "fault"), b.verdict().downChecks());
    }

    @Test
    void clampedToOneAnd254AndOwnerNeverAdjusted() {
        TrackBook low = new TrackBook(20, List.of(term("a", -100)), Map.of("a", false));
        assertEquals(1, low.verdict().effectivePriority());
        TrackBook high = new TrackBook(250, List.of(term("a", 100)), Map.of());
        assertEquals(254, high.verdict().effectivePriority());
        TrackBook owner = new TrackBook(255, List.of(term("a", -100)), Map.of("a", false));
        assertEquals(255, owner.verdict().effectivePriority());
    }

    @Test
    void reverseNegatesTheWeightAsKeepalivedsMultiplierDoes() {
        TrackBook b = new TrackBook(100, List.of(new TrackBook.Term("minus", -20, true),
                new TrackBook.Term("plus", 10, true)), Map.of());
        assertEquals(90, b.verdict().effectivePriority(), "plus up: -10; minus up: nothing");
        b.update("minus", false);
        b.update("plus", false);
        assertEquals(120, b.verdict().effectivePriority(), "minus down: +20; plus down: nothing");
        assertFalse(b.update("unknown", false));
        TrackBook fault = new TrackBook(100, List.of(new TrackBook.Term("f", 0, true)), Map.of());
        assertTrue(fault.verdict().faulty(), "weight 0 reversed: FAULT while up");
        fault.update("f", false);
        assertFalse(fault.verdict().faulty());
    }
}
