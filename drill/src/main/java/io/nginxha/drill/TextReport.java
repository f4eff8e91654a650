package io.nginxha.drill;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** A step on the terminal: its verdict, its timeline (runs of answers and failures) and its figures. */
final class TextReport {
    private static final int MAX_RUNS = 12;

    private TextReport() { }

    static void step(StepResult r, PrintStream out) {
        out.println("   " + (r.ok() ? "OK  " : "FAIL") + " " + r.name() + " (expected " + r.expected() + ")");
        List<Run> runs = Run.of(r.samples());
        StringBuilder line = new StringBuilder("   timeline:");
        for (int i = 0; i < runs.size() && i < MAX_RUNS; i++) {
            Run run = runs.get(i);
            line.append(i == 0 ? " " : " | ").append(fmt("+%.0f ms ", run.startMs() - r.startMs()))
                    .append(run.server() == null ? "failed" : run.server()).append(" x").append(run.requests());
        }
        if (runs.size() > MAX_RUNS) {
            line.append(" | ... (").append(runs.size() - MAX_RUNS).append(" more)");
        }
        out.println(line);
        out.println(fmt("   outage %.1f ms, %s serving after %s, before %s, after %s, flaps %d, requests %d, "
                + "failed %d, served %s", r.outageMs(), r.expected(), r.timeToExpectedMs() == null ? "never"
                : fmt("%.1f ms", r.timeToExpectedMs()), r.before(), r.after(), r.flaps(), r.requests(), r.failed(),
                r.served().isEmpty() ? "none" : String.join(">", r.served())));
        r.problems().forEach(p -> out.println("   problem: " + p));
        out.flush();
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
