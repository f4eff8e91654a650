package io.nginxha.drill;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The measured outcome of one step of a scenario, from the requests made between its action and its end.
 *
 * @param name             what the step did ("power off ha1")
 * @param expected         the host expected to serve at the end of the step
 * @param ok               the step ended as expected: see {@link #of}
 * @param outageMs         the longest run of failed requests (as {@link Summary#outageMs})
 * @param timeToExpectedMs from the action to the first request of the expected host's final run of answers;
 *                         null when the step did not end with the expected host serving
 * @param before           who served just before the action (null: nobody)
 * @param after            who answered the step's last request (null: nobody)
 * @param flaps            changes of serving host beyond the one the step expects
 * @param requests         requests made during the step
 * @param failed           requests that got no answer
 * @param served           the sequence of hosts that answered
 * @param problems         why the step is not ok (empty when it is)
 * @param startMs          the action's start on the watch's clock (the timeline's step marker)
 * @param samples          the step's requests (drawn in the report; not in report.json)
 */
public record StepResult(String name, String expected, boolean ok, double outageMs, Double timeToExpectedMs,
                         String before, String after, int flaps, int requests, int failed, List<String> served,
                         List<String> problems, double startMs, List<Poller.Sample> samples) {

    /** Whether any other host may answer during the step. */
    public enum Expectation {
        /** The expected host serves throughout: a gap is allowed, another host answering is not. */
        STAYS,
        /** Service moves to (or comes back to) the expected host: one change of host is allowed. */
        MOVES,
        /**
         * The step does not touch the host serving this VIP (another VIP's host, in a cluster): it must go on
         * answering, no other host and no gap longer than {@link #UNTOUCHED_GAP_MS}.
         */
        UNTOUCHED
    }

    /**
     * The longest gap an untouched VIP may show: a request or two lost to a loaded client, far below any VRRP
     * move (a backup waits three advert intervals before it takes over, and even a handover at priority 0 waits
     * its skew time, over 0.6 s at one advert a second).
     */
    public static final double UNTOUCHED_GAP_MS = 250;

    /**
     * Measures a step from its requests and the one made just before its action ({@code previous}, or null).
     * It is ok when the expected host served last, no host change happened beyond the expected
     * one (none for {@link Expectation#STAYS}) and the action reported no problem.
     */
    public static StepResult of(String name, String expected, Expectation expectation, String before,
                                Poller.Sample previous, double startMs, List<Poller.Sample> samples,
                                List<String> actionProblems) {
        // The request just before the action counts for where an outage starts and who served first, not as
        // one of the step's requests.
        List<Poller.Sample> context = new ArrayList<>(samples);
        if (previous != null) {
            context.add(0, previous);
        }
        Summary s = Summary.of(context);
        int failed = s.failed() - (previous != null && !previous.ok() ? 1 : 0);
        List<String> served = s.served();
        String after = samples.isEmpty() ? null : samples.get(samples.size() - 1).server();
        int changes = Math.max(0, served.size() - 1);
        boolean movedIn = !served.isEmpty() && !served.get(0).equals(expected);
        int flaps = Math.max(0, changes - (movedIn ? 1 : 0));
        Double timeToExpected = null;
        int i = samples.size();
        while (i > 0 && expected.equals(samples.get(i - 1).server())) {
            i--;
        }
        if (i < samples.size()) {
            timeToExpected = Math.max(0, samples.get(i).startMs() - startMs);
        }
        List<String> problems = new ArrayList<>(actionProblems);
        if (!Objects.equals(after, expected)) {
            problems.add(0, (after == null ? "nobody served" : after + " served") + " at the end, expected "
                    + expected);
        }
        if (expectation == Expectation.UNTOUCHED && s.outageMs() > UNTOUCHED_GAP_MS) {
            problems.add(String.format(java.util.Locale.ROOT, "no answer for %.0f ms although the step did not "
                    + "touch %s (at most %.0f ms expected)", s.outageMs(), expected, UNTOUCHED_GAP_MS));
        }
        if (expectation != Expectation.MOVES && served.stream().anyMatch(h -> !h.equals(expected))) {
            problems.add("another host answered (" + String.join(">", served) + "), expected only " + expected);
        } else if (flaps > 0) {
            problems.add(flaps + " flap(s): " + String.join(">", served));
        }
        return new StepResult(name, expected, problems.isEmpty(), s.outageMs(), timeToExpected, before, after,
                flaps, samples.size(), failed, served, List.copyOf(problems), startMs, List.copyOf(samples));
    }
}
