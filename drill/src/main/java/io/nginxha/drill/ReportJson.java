package io.nginxha.drill;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** report.json: the drill's figures for scripts (bench/drills, CI); the requests themselves stay out. */
public final class ReportJson {
    private ReportJson() { }

    public static String write(DrillReport report) {
        StringBuilder b = new StringBuilder("{");
        b.append("\"daemon\":").append(quote(report.daemon()))
                .append(",\"inventory\":").append(quote(report.inventory()))
                .append(",\"url\":").append(quote(report.url()))
                .append(",\"started\":").append(quote(report.started()))
                .append(",\"ok\":").append(report.ok())
                .append(",\"scenarios\":[");
        for (int i = 0; i < report.scenarios().size(); i++) {
            ScenarioResult s = report.scenarios().get(i);
            b.append(i == 0 ? "" : ",").append("\n {\"name\":").append(quote(s.name()))
                    .append(",\"ok\":").append(s.ok());
            if (s.error() != null) {
                b.append(",\"error\":").append(quote(s.error()));
            }
            b.append(",\"steps\":");
            steps(s.steps(), b);
            if (!s.others().isEmpty()) {
                // A cluster: the same steps as each other VIP saw them (the main VIP's are "steps").
                b.append(",\"other_vips\":[");
                for (int j = 0; j < s.others().size(); j++) {
                    b.append(j == 0 ? "" : ",").append("\n  {\"vip\":").append(quote(s.others().get(j).vip()))
                            .append(",\"steps\":");
                    steps(s.others().get(j).steps(), b);
                    b.append("}");
                }
                b.append("]");
            }
            b.append("}");
        }
        return b.append("]}\n").toString();
    }

    private static void steps(List<StepResult> steps, StringBuilder b) {
        b.append("[");
        for (int j = 0; j < steps.size(); j++) {
            b.append(j == 0 ? "" : ",").append("\n  ").append(step(steps.get(j)));
        }
        b.append("]");
    }

    private static String step(StepResult r) {
        StringBuilder b = new StringBuilder("{");
        b.append("\"name\":").append(quote(r.name()))
                .append(",\"expected\":").append(quote(r.expected()))
                .append(",\"ok\":").append(r.ok())
                .append(",\"outage_ms\":").append(number(r.outageMs()))
                .append(",\"time_to_expected_ms\":").append(r.timeToExpectedMs() == null ? "null"
                        : number(r.timeToExpectedMs()))
                .append(",\"before\":").append(quote(r.before()))
                .append(",\"after\":").append(quote(r.after()))
                .append(",\"flaps\":").append(r.flaps())
                .append(",\"requests\":").append(r.requests())
                .append(",\"failed\":").append(r.failed())
                .append(",\"served\":").append(strings(r.served()));
        if (!r.problems().isEmpty()) {
            b.append(",\"problems\":").append(strings(r.problems()));
        }
        return b.append("}").toString();
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String strings(List<String> values) {
        return values.stream().map(ReportJson::quote).collect(Collectors.joining(",", "[", "]"));
    }

    /**
     * {@code s} as a JSON string literal, or {@code null}: the drill runs on an operator's workstation without the
     * agent, so it has its own copy of the one JSON detail a hand-written document needs.
     */
    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
