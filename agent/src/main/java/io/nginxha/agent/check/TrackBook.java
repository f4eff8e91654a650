package io.nginxha.agent.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One instance's tracked checks and what they do to it, as keepalived defines it. An up/down check (script, nginx,
 * interface) with weight 0 puts the instance in FAULT while down; a positive weight is added while up; a negative
 * weight is added while down; {@code reverse} applies the weight negated (keepalived's multiplier -1; with weight 0,
 * FAULT while up). A valued check (track_file) holds an integer: with weight 0 a non-zero value means FAULT
 * (reversed: zero does); otherwise value times weight, clamped to -254..253, is added, and -254 means FAULT.
 * The effective priority is the base plus those weights, clamped to 1..254; an address owner (255) is never
 * adjusted. Not thread-safe: {@link Trackers} serialises updates.
 */
public final class TrackBook {
    /**
     * One tracked check in this instance; {@code weight} is the instance's override or the check's own;
     * {@code valued} for a check reporting integers (track_file) rather than up (1) or down (0).
     */
    public record Term(String check, int weight, boolean reverse, boolean valued) {
        public Term(String check, int weight, boolean reverse) {
            this(check, weight, reverse, false);
        }
    }

    /** What the instance should be told: its effective priority, whether a check faults it, and the culprits. */
    public record Verdict(int effectivePriority, boolean faulty, List<String> downChecks) { }

    /** A term's effect that is not a number: the instance goes to FAULT. */
    private static final int FAULT = Integer.MIN_VALUE;

    private final int basePriority;
    private final List<Term> terms;
    private final Map<String, Long> values = new LinkedHashMap<>();

    /** Up/down checks: each starts as {@code initiallyUp} says, up when absent. */
    public TrackBook(int basePriority, List<Term> terms, Map<String, Boolean> initiallyUp) {
        this(basePriority, terms);
        initiallyUp.forEach((check, up) -> update(check, up));
    }

    private TrackBook(int basePriority, List<Term> terms) {
        this.basePriority = basePriority;
        this.terms = List.copyOf(terms);
        for (Term t : terms) {
            values.put(t.check(), t.valued() ? 0L : 1L);
        }
    }

    /** Checks with their current values (1 up, 0 down for up/down checks); absent ones start up, or at 0. */
    public static TrackBook withValues(int basePriority, List<Term> terms, Map<String, Long> initialValues) {
        TrackBook book = new TrackBook(basePriority, terms);
        initialValues.forEach(book::update);
        return book;
    }

    public boolean tracks(String check) {
        return values.containsKey(check);
    }

    /** Records an up/down check's new status; returns true if it is tracked here. */
    public boolean update(String check, boolean isUp) {
        return update(check, isUp ? 1L : 0L);
    }

    /** Records a check's new value; returns true if it is tracked here. */
    public boolean update(String check, long value) {
        if (!values.containsKey(check)) {
            return false;
        }
        values.put(check, value);
        return true;
    }

    public Verdict verdict() {
        int sum = 0;
        boolean faulty = false;
        List<String> down = new ArrayList<>();
        for (Term t : terms) {
            long value = values.get(t.check());
            int effect = t.valued() ? valued(t, value) : upDown(t, value != 0);
            if (effect == FAULT) {
                faulty = true;
            } else {
                sum += effect;
            }
            if (t.valued() ? effect < 0 : value == 0) {
                down.add(t.check());
            }
        }
        int effective = basePriority == 255 ? 255 : Math.max(1, Math.min(254, basePriority + sum));
        return new Verdict(effective, faulty, List.copyOf(down));
    }

    private static int upDown(Term t, boolean isUp) {
        if (t.weight() == 0) {
            return isUp == t.reverse() ? FAULT : 0;
        }
        // keepalived's weight multiplier: reverse applies the same weight with the opposite sign
        return t.weight() > 0 && isUp || t.weight() < 0 && !isUp ? (t.reverse() ? -t.weight() : t.weight()) : 0;
    }

    private static int valued(Term t, long value) {
        if (t.weight() == 0) {
            return (value != 0) != t.reverse() ? FAULT : 0;
        }
        long effect = value * t.weight() * (t.reverse() ? -1 : 1); // |value| fits an int, |weight| <= 254
        return effect <= -254 ? FAULT : (int) Math.min(253, effect);
    }
}
