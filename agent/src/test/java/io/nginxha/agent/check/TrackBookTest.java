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

    @Test
    void trackFileValuesFollowKeepalived() {
        TrackBook b = TrackBook.withValues(100, List.of(new TrackBook.Term("file:maint", 0, false, true),
                new TrackBook.Term("file:load", -10, false, true), new TrackBook.Term("file:bonus", 3, true, true)),
                Map.of("file:load", 2L));
        assertEquals(new TrackBook.Verdict(80, false, List.of("file:load")), b.verdict(), "2 x -10");
        b.update("file:maint", 7L);
        assertTrue(b.verdict().faulty(), "weight 0: any non-zero value is FAULT");
        b.update("file:maint", 0L);
        b.update("file:bonus", -5L);
        assertEquals(95, b.verdict().effectivePriority(), "-20, then -5 x 3 reversed = +15");
        b.update("file:load", 25L);
        assertFalse(b.verdict().faulty(), "25 x -10 = -250 is still a priority");
        b.update("file:load", 26L);
        assertTrue(b.verdict().faulty(), "-260: -254 or less is FAULT");
        assertEquals(List.of("file:load"), b.verdict().downChecks());
        b.update("file:load", 20L);
        assertFalse(b.verdict().faulty());
        assertEquals(1, b.verdict().effectivePriority(), "100 - 200 + 15, clamped to 1");
        b.update("file:load", -1000L);
        assertEquals(254, b.verdict().effectivePriority(), "a term adds at most 253");
        TrackBook reversed = TrackBook.withValues(100, List.of(new TrackBook.Term("f", 0, true, true)), Map.of());
        assertTrue(reversed.verdict().faulty(), "weight 0 reverse: a zero value is FAULT");
        reversed.update("f", 1L);
        assertFalse(reversed.verdict().faulty());
    }
}
