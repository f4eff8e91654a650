package io.nginxha.drill;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One scenario as seen on one VIP, as a picture: a lane per host (the same lanes for every VIP) and one for
 * failed requests, time left to right, each run of answers
 * a bar in its host's colour (failures in red), a dashed marker where each step's action started. Inline SVG, no
 * script or external asset; each bar's tooltip gives its requests and times.
 */
final class SvgTimeline {
    static final String FAILED_COLOUR = "#d62728";
    private static final String[] HOST_COLOURS = {"#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
    private static final int WIDTH = 960;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 34;
    private static final int LANE = 26;

    private SvgTimeline() { }

    /** The colour of the {@code index}-th host of the scenario's lanes. */
    static String colour(int index) {
        return HOST_COLOURS[index % HOST_COLOURS.length];
    }

    /** The hosts in the order they first answered on any VIP, the lanes of every picture of the scenario. */
    static List<String> hosts(ScenarioResult scenario) {
        List<String> hosts = new ArrayList<>();
        List<StepResult> all = new ArrayList<>(scenario.steps());
        scenario.others().forEach(v -> all.addAll(v.steps()));
        for (StepResult step : all) {
            for (String h : step.served()) {
                if (!hosts.contains(h)) {
                    hosts.add(h);
                }
            }
            if (!hosts.contains(step.expected())) {
                hosts.add(step.expected());
            }
        }
        return hosts;
    }

    static String svg(ScenarioResult scenario) {
        return svg(scenario.name(), scenario.steps(), hosts(scenario));
    }

    /** The picture of {@code steps} (one VIP's) with a lane for each of {@code hosts}. */
    static String svg(String title, List<StepResult> steps, List<String> hosts) {
        if (steps.isEmpty()) {
            return "";
        }
        double t0 = steps.get(0).startMs();
        double t1 = t0 + 1;
        for (StepResult s : steps) {
            for (Poller.Sample sample : s.samples()) {
                t1 = Math.max(t1, sample.endMs());
            }
        }
        double scale = (WIDTH - LEFT - RIGHT) / (t1 - t0);
        int lanes = hosts.size() + 1;
        int height = TOP + lanes * LANE + 30;
        StringBuilder b = new StringBuilder();
        b.append(fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"12\" role=\"img\" aria-label=\"%s\">%n",
                WIDTH, height, WIDTH, height, Html.escape("timeline of " + title)));
        for (int i = 0; i < lanes; i++) {
            int y = TOP + i * LANE;
            String label = i < hosts.size() ? hosts.get(i) : "failed";
            b.append(fmt("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n", LEFT, y,
                    WIDTH - LEFT - RIGHT, LANE - 4, i % 2 == 0 ? "#f4f4f4" : "#fafafa"));
            b.append(fmt("<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 16,
                    Html.escape(label)));
        }
        for (StepResult step : steps) {
            for (Run run : Run.of(step.samples())) {
                int lane = run.server() == null ? hosts.size() : hosts.indexOf(run.server());
                double x = LEFT + (run.startMs() - t0) * scale;
                double w = Math.max(1.0, (run.endMs() - run.startMs()) * scale);
                String colour = run.server() == null ? FAILED_COLOUR : colour(lane);
                b.append(fmt("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title>"
                        + "</rect>%n", x, TOP + lane * LANE + 2, w, LANE - 8, colour, Html.escape(fmt(
                        "%s: %d request(s), %+.0f to %+.0f ms after '%s'", run.server() == null ? "failed"
                                : run.server(), run.requests(), run.startMs() - step.startMs(),
                        run.endMs() - step.startMs(), step.name()))));
            }
            double x = LEFT + (step.startMs() - t0) * scale;
            b.append(fmt("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\" "
                    + "stroke-dasharray=\"4 3\"/>%n", x, TOP - 16, x, TOP + lanes * LANE));
            b.append(fmt("<text x=\"%.1f\" y=\"%d\">%s</text>%n", x + 3, TOP - 8, Html.escape(step.name())));
        }
        double tick = tick(t1 - t0);
        for (double t = 0; t <= t1 - t0; t += tick) {
            double x = LEFT + t * scale;
            int y = TOP + lanes * LANE;
            b.append(fmt("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\"/>", x, y, x, y + 5));
            b.append(fmt("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s s</text>%n", x, y + 18,
                    fmt(tick < 1000 ? "%.1f" : "%.0f", t / 1000)));
        }
        return b.append("</svg>\n").toString();
    }

    /** A tick spacing giving 5 to 15 ticks: 0.5, 1, 2, 5, 10, 20, 50... seconds. */
    static double tick(double spanMs) {
        double[] steps = {500, 1000, 2000, 5000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000};
        for (double s : steps) {
            if (spanMs / s <= 15) {
                return s;
            }
        }
        return 600_000;
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
