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
    void reverseSwapsUpAndDown() {
        TrackBook b = new TrackBook(100, List.of(new TrackBook.Term("a", -20, true)), Map.of());
        assertEquals(80, b.verdict().effectivePriority());
        b.update("a", false);
        assertEquals(100, b.verdict().effectivePriority());
        assertFalse(b.update("unknown", false));
    }
}
