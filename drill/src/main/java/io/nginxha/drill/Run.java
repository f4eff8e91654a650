package io.nginxha.drill;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Consecutive requests with the same outcome: answered by one host, or failed ({@code server} null). A step's
 * requests as runs are its timeline, in the terminal and in the report's picture.
 *
 * @param server   who answered, null for failed requests
 * @param startMs  start of the first request
 * @param endMs    end of the last request
 * @param requests how many requests
 */
public record Run(String server, double startMs, double endMs, int requests) {

    public static List<Run> of(List<Poller.Sample> samples) {
        List<Run> runs = new ArrayList<>();
        Run current = null;
        for (Poller.Sample s : samples) {
            if (current != null && Objects.equals(current.server, s.server())) {
                current = new Run(current.server, current.startMs, s.endMs(), current.requests + 1);
            } else {
                if (current != null) {
                    runs.add(current);
                }
                current = new Run(s.server(), s.startMs(), s.endMs(), 1);
            }
        }
        if (current != null) {
            runs.add(current);
        }
        return runs;
    }
}
