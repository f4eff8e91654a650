package io.nginxha.agent.drill;

import io.nginxha.agent.status.Json;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** report.json: the drill's figures for scripts (bench/drills, CI); the requests themselves stay out. */
public final class ReportJson {
    private ReportJson() { }

    public static String write(DrillReport report) {
        StringBuilder b = new StringBuilder("{");
        b.append("\"daemon\":").append(Json.quote(report.daemon()))
                .append(",\"inventory\":").append(Json.quote(report.inventory()))
                .append(",\"url\":").append(Json.quote(report.url()))
                .append(",\"started\":").append(Json.quote(report.started()))
                .append(",\"ok\":").append(report.ok())
                .append(",\"scenarios\":[");
        for (int i = 0; i < report.scenarios().size(); i++) {
            ScenarioResult s = report.scenarios().get(i);
            b.append(i == 0 ? "" : ",").append("\n {\"name\":").append(Json.quote(s.name()))
                    .append(",\"ok\":").append(s.ok());
            if (s.error() != null) {
                b.append(",\"error\":").append(Json.quote(s.error()));
            }
            b.append(",\"steps\":[");
            for (int j = 0; j < s.steps().size(); j++) {
                b.append(j == 0 ? "" : ",").append("\n  ").append(step(s.steps().get(j)));
            }
            b.append("]}");
        }
        return b.append("]}\n").toString();
    }

    private static String step(StepResult r) {
        StringBuilder b = new StringBuilder("{");
        b.append("\"name\":").append(Json.quote(r.name()))
                .append(",\"expected\":").append(Json.quote(r.expected()))
                .append(",\"ok\":").append(r.ok())
                .append(",\"outage_ms\":").append(number(r.outageMs()))
                .append(",\"time_to_expected_ms\":").append(r.timeToExpectedMs() == null ? "null"
                        : number(r.timeToExpectedMs()))
                .append(",\"before\":").append(Json.quote(r.before()))
                .append(",\"after\":").append(Json.quote(r.after()))
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
        return values.stream().map(Json::quote).collect(Collectors.joining(",", "[", "]"));
    }
}
