package io.nginxha.agent.lab;

import io.nginxha.agent.lab.ClientHistory.Neighbour;
import io.nginxha.agent.lab.ClientHistory.Ownership;
import io.nginxha.agent.lab.ClientHistory.Request;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Judges a {@link ClientHistory} as Jepsen judges a history: not "did the test's last poll look right" but "is every
 * observation consistent with the safety property". The property: <b>no two hosts answered for the VIP in the same
 * interval</b>, outside the windows in which the fault itself makes VRRP keep two masters (a partition, a frozen
 * master that still has the address). Checked as four rules, each a violation when broken:
 * <ol>
 * <li><b>Exclusive ownership</b>: never two hosts with the VIP on their interfaces at once, except inside an allowed
 *     window.</li>
 * <li><b>Answers are owned</b>: every answer from host H came while H held the VIP (within the tolerance, the
 *     clocks' and the samples' error). An answer from a host that did not hold it, or from a host nobody knows,
 *     means the checker's view of the world is wrong or the VIP was served from where it must not be.</li>
 * <li><b>Answers follow the neighbour table</b>: when the client's neighbour entry for the VIP is recorded, every
 *     answer from H came while that entry pointed at H's MAC.</li>
 * <li><b>No concurrent answers</b>: two requests of different clients that overlap in time were answered by the
 *     same host (outside an allowed window).</li>
 * </ol>
 * Besides the verdict the report gives the figures a fault's ledger row needs: the longest outage (from the end of
 * the last good answer before a run of failures to the start of the next good answer), the served sequence, how
 * many times the client left each host (failovers per host), and how long two hosts held the VIP at once.
 */
public final class HistoryChecker {
    /** Where two holders are allowed: the fault keeps two masters on purpose, from {@code fromMs} to {@code toMs}. */
    public record Window(String why, double fromMs, double toMs) {
        boolean covers(double a, double b) {
            return a >= fromMs && b <= toMs;
        }
    }

    /**
     * The verdict and the figures; times in the violations are seconds since the first request.
     *
     * @param departures per host, how many times a client moved away from it to another host
     */
    public record Report(String fault, List<String> violations, int requests, int failed, double longestOutageMs,
                         double longestOutageAtSec, List<String> served, Map<String, Integer> departures,
                         double dualOwnershipMs) {
        public boolean ok() {
            return violations.isEmpty();
        }

        public int departures(String host) {
            return departures.getOrDefault(host, 0);
        }

        /** Fails with the whole report when a rule was broken; returns itself otherwise. */
        public Report assertClean() {
            if (!ok()) {
                throw new AssertionError("client history of '" + fault + "' breaks the one-answerer rule:\n  "
                        + String.join("\n  ", violations) + "\n" + this);
            }
            return this;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: %d requests, %d failed, longest outage %.0f ms (at %.2f s), "
                    + "served %s, left per host %s, two holders for %.0f ms, %d violation(s)", fault, requests,
                    failed, longestOutageMs, longestOutageAtSec, served.isEmpty() ? "none" : String.join(">", served),
                    departures, dualOwnershipMs, violations.size());
        }
    }

    /** Shown at most this many violations of one rule (a broken run would list thousands). */
    private static final int MAX_PER_RULE = 5;

    private HistoryChecker() { }

    /**
     * @param allowed     windows in which two holders (and answers from both) are what the fault makes VRRP do
     * @param toleranceMs how far apart two clocks' records may be and still be the same instant
     */
    public static Report check(String fault, ClientHistory h, List<Window> allowed, double toleranceMs) {
        return check(fault, h, allowed, toleranceMs, 0);
    }

    /**
     * As {@link #check(String, ClientHistory, List, double)}, and two holders for at most {@code handoverMs} are a
     * handover, not a violation: a preempting master adds its VIP before the one it replaces has read its advert.
     */
    public static Report check(String fault, ClientHistory h, List<Window> allowed, double toleranceMs,
                               double handoverMs) {
        List<Request> requests = new ArrayList<>(h.requests());
        requests.sort(Comparator.comparingDouble(Request::startMs));
        double t0 = requests.isEmpty() ? 0 : requests.get(0).startMs();
        Timeline owners = new Timeline(h.ownership());
        List<String> violations = new ArrayList<>();

        // 1. exclusive ownership
        double dualMs = 0;
        int dualViolations = 0;
        for (double[] d : owners.dualIntervals(requests.isEmpty() ? owners.last() : Math.max(owners.last(),
                requests.get(requests.size() - 1).endMs()))) {
            dualMs += d[1] - d[0];
            boolean handover = d[1] - d[0] <= handoverMs;
            if (!handover && allowed.stream().noneMatch(w -> w.covers(d[0], d[1])) && dualViolations++ < MAX_PER_RULE) {
                violations.add(String.format(Locale.ROOT, "two hosts held the VIP from %.3f s to %.3f s (%.0f ms) "
                        + "outside any window the fault allows", (d[0] - t0) / 1000, (d[1] - t0) / 1000,
                        d[1] - d[0]));
            }
        }

        // 2. and 3. every answer owned, and where the neighbour table pointed
        Map<String, List<Neighbour>> neighbours = new HashMap<>();
        for (Neighbour n : h.neighbours()) {
            neighbours.computeIfAbsent(n.client(), c -> new ArrayList<>()).add(n);
        }
        neighbours.values().forEach(l -> l.sort(Comparator.comparingDouble(Neighbour::atMs)));
        int unowned = 0;
        int misdirected = 0;
        for (Request r : requests) {
            if (!r.ok()) {
                continue;
            }
            double a = r.startMs() - toleranceMs;
            double b = r.endMs() + toleranceMs;
            if (!h.macs().containsKey(r.server()) || !owners.heldDuring(r.server(), a, b)) {
                if (unowned++ < MAX_PER_RULE) {
                    violations.add(String.format(Locale.ROOT, "%s answered %s at %.3f s without holding the VIP",
                            r.server(), r.client(), (r.startMs() - t0) / 1000));
                }
                continue;
            }
            List<Neighbour> table = neighbours.get(r.client());
            if (table != null && !pointedDuring(table, h.macs().get(r.server()), a, b) && misdirected++ < MAX_PER_RULE) {
                violations.add(String.format(Locale.ROOT, "%s answered %s at %.3f s while the client's neighbour "
                        + "entry for the VIP pointed elsewhere", r.server(), r.client(), (r.startMs() - t0) / 1000));
            }
        }

        // 4. overlapping requests of different clients answered by different hosts
        int concurrent = 0;
        for (int i = 0; i < requests.size(); i++) {
            Request r = requests.get(i);
            for (int j = i + 1; j < requests.size() && requests.get(j).startMs() < r.endMs(); j++) {
                Request q = requests.get(j);
                if (r.ok() && q.ok() && !r.client().equals(q.client()) && !r.server().equals(q.server())) {
                    double a = q.startMs();
                    double b = Math.min(r.endMs(), q.endMs());
                    if (allowed.stream().noneMatch(w -> w.covers(a, b)) && concurrent++ < MAX_PER_RULE) {
                        violations.add(String.format(Locale.ROOT, "%s was answered by %s and %s by %s at the same "
                                + "time (%.3f s)", r.client(), r.server(), q.client(), q.server(), (a - t0) / 1000));
                    }
                }
            }
        }
        note(violations, "unowned answers", unowned);
        note(violations, "answers against the neighbour table", misdirected);
        note(violations, "concurrent answers", concurrent);
        note(violations, "two-holder intervals", dualViolations);

        // figures, per client
        Map<String, List<Request>> byClient = new LinkedHashMap<>();
        for (Request r : requests) {
            byClient.computeIfAbsent(r.client(), c -> new ArrayList<>()).add(r);
        }
        double outage = 0;
        double outageAt = 0;
        int failed = 0;
        List<String> served = new ArrayList<>();
        Map<String, Integer> departures = new java.util.TreeMap<>();
        for (List<Request> mine : byClient.values()) {
            Double lastGoodEnd = null;
            Double outageStart = null;
            String last = null;
            for (Request r : mine) {
                if (!r.ok()) {
                    failed++;
                    if (outageStart == null) {
                        outageStart = lastGoodEnd != null ? lastGoodEnd : r.startMs();
                    }
                    continue;
                }
                if (outageStart != null && r.startMs() - outageStart > outage) {
                    outage = r.startMs() - outageStart;
                    outageAt = (outageStart - t0) / 1000;
                }
                outageStart = null;
                lastGoodEnd = r.endMs();
                if (!r.server().equals(last)) {
                    if (last != null) {
                        departures.merge(last, 1, Integer::sum);
                    }
                    if (byClient.size() == 1 || served.isEmpty() || !served.get(served.size() - 1).equals(r.server())) {
                        served.add(r.server());
                    }
                    last = r.server();
                }
            }
            if (outageStart != null && mine.get(mine.size() - 1).endMs() - outageStart > outage) {
                outage = mine.get(mine.size() - 1).endMs() - outageStart;
                outageAt = (outageStart - t0) / 1000;
            }
        }
        return new Report(fault, List.copyOf(violations), requests.size(), failed, outage, outageAt,
                List.copyOf(served), Map.copyOf(departures), dualMs);
    }

    private static void note(List<String> violations, String what, int count) {
        if (count > MAX_PER_RULE) {
            violations.add("... " + (count - MAX_PER_RULE) + " more " + what);
        }
    }

    /**
     * Whether {@code table}'s entry had {@code mac} at some instant of [a, b]. With no record at or before
     * {@code b} the entry is unknown there, which is no evidence either way.
     */
    private static boolean pointedDuring(List<Neighbour> table, String mac, double a, double b) {
        boolean known = false;
        String atStart = null;
        for (Neighbour n : table) {
            if (n.atMs() > b) {
                break;
            }
            known = true;
            if (n.atMs() <= a) {
                atStart = n.mac();
            } else if (mac.equals(n.mac())) {
                return true;
            }
        }
        return !known || mac.equals(atStart);
    }

    /** The hosts' ownership records as per-host step functions. */
    private static final class Timeline {
        private final Map<String, List<Ownership>> byHost = new HashMap<>();
        private final List<Ownership> all;

        Timeline(List<Ownership> records) {
            all = new ArrayList<>(records);
            all.sort(Comparator.comparingDouble(Ownership::atMs));
            for (Ownership o : all) {
                byHost.computeIfAbsent(o.host(), k -> new ArrayList<>()).add(o);
            }
        }

        double last() {
            return all.isEmpty() ? 0 : all.get(all.size() - 1).atMs();
        }

        /** Whether {@code host} held the VIP at some instant of [a, b]. */
        boolean heldDuring(String host, double a, double b) {
            boolean holds = false;
            for (Ownership o : byHost.getOrDefault(host, List.of())) {
                if (o.atMs() <= a) {
                    holds = o.holds();
                } else if (o.atMs() <= b) {
                    if (o.holds()) {
                        return true;
                    }
                } else {
                    break;
                }
            }
            return holds;
        }

        /** The intervals in which two or more hosts held the VIP, the last one closed at {@code end}. */
        List<double[]> dualIntervals(double end) {
            List<double[]> out = new ArrayList<>();
            TreeSet<String> holders = new TreeSet<>();
            double since = Double.NaN;
            for (Ownership o : all) {
                if (o.holds()) {
                    holders.add(o.host());
                } else {
                    holders.remove(o.host());
                }
                if (holders.size() >= 2 && Double.isNaN(since)) {
                    since = o.atMs();
                } else if (holders.size() < 2 && !Double.isNaN(since)) {
                    out.add(new double[] {since, o.atMs()});
                    since = Double.NaN;
                }
            }
            if (!Double.isNaN(since)) {
                out.add(new double[] {since, Math.max(since, end)});
            }
            return out;
        }
    }
}
