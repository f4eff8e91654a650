package io.nginxha.agent.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One instance's tracked checks and what they do to it, as keepalived defines it: a check with weight 0 puts the
 * instance in FAULT while down; a positive weight is added while up; a negative weight is added while down;
 * {@code reverse} applies the weight negated (keepalived's multiplier -1; with weight 0, FAULT while up).
 * The effective priority is the base plus those weights, clamped to 1..254; an address owner (255) is never
 * adjusted. Not thread-safe: {@link Trackers} serialises updates.
 */
public final class TrackBook {
    /** One tracked check in this instance; {@code weight} is the instance's override or the check's own. */
    public record Term(String check, int weight, boolean reverse) { }

    /** What the instance should be told: its effective priority and whether a weight-0 check is down. */
    public record Verdict(int effectivePriority, boolean faulty, List<String> downChecks) { }

    private final int basePriority;
    private final List<Term> terms;
    private final Map<String, Boolean> up = new LinkedHashMap<>();

    public TrackBook(int basePriority, List<Term> terms, Map<String, Boolean> initiallyUp) {
        this.basePriority = basePriority;
        this.terms = List.copyOf(terms);
        for (Term t : terms) {
            up.put(t.check(), initiallyUp.getOrDefault(t.check(), true));
        }
    }

    public boolean tracks(String check) {
        return up.containsKey(check);
    }

    /** Records a check's new status; returns true if it is tracked here. */
    public boolean update(String check, boolean isUp) {
        if (!up.containsKey(check)) {
            return false;
        }
        up.put(check, isUp);
        return true;
    }

    public Verdict verdict() {
        int sum = 0;
        boolean faulty = false;
        List<String> down = new ArrayList<>();
        for (Term t : terms) {
            boolean isUp = up.get(t.check());
            if (!isUp) {
                down.add(t.check());
            }
            if (t.weight() == 0) {
                faulty |= isUp == t.reverse();
            } else if (t.weight() > 0 && isUp || t.weight() < 0 && !isUp) {
                // keepalived's weight multiplier: reverse applies the same weight with the opposite sign
                sum += t.reverse() ? -t.weight() : t.weight();
            }
        }
        int effective = basePriority == 255 ? 255 : Math.max(1, Math.min(254, basePriority + sum));
        return new Verdict(effective, faulty, List.copyOf(down));
    }
}
