package io.nginxha.drill;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a run of {@link Poller.Sample}s says about availability.
 *
 * @param requests   requests made
 * @param failed     requests that got no 200 answer
 * @param outageMs   the longest time without service: from the end of the last good answer before a run of
 *                   failures to the start of the first good answer after it (0 when nothing failed)
 * @param served     the sequence of hosts that answered, each change appended once ("ha1>ha2>ha1")
 * @param flaps      number of changes of serving host
 */
public record Summary(int requests, int failed, double outageMs, List<String> served, int flaps) {

    public static Summary of(List<Poller.Sample> samples) {
        int failed = 0;
        double outage = 0;
        Double lastGoodEnd = null;
        boolean inOutage = false;
        double outageStart = 0;
        List<String> served = new ArrayList<>();
        for (Poller.Sample s : samples) {
            if (!s.ok()) {
                failed++;
                if (!inOutage) {
                    inOutage = true;
                    outageStart = lastGoodEnd != null ? lastGoodEnd : s.startMs();
                }
                continue;
            }
            if (inOutage) {
                outage = Math.max(outage, s.startMs() - outageStart);
                inOutage = false;
            }
            lastGoodEnd = s.endMs();
            if (served.isEmpty() || !served.get(served.size() - 1).equals(s.server())) {
                served.add(s.server());
            }
        }
        if (inOutage && !samples.isEmpty()) {
            outage = Math.max(outage, samples.get(samples.size() - 1).endMs() - outageStart);
        }
        return new Summary(samples.size(), failed, outage, served, Math.max(0, served.size() - 1));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "requests=%d failed=%d outage_ms=%.1f served=%s flaps=%d",
                requests, failed, outageMs, served.isEmpty() ? "none" : String.join(">", served), flaps);
    }
}
