package io.nginxha.drill;

import java.util.List;
import java.util.Locale;

/** report.html: one self-contained page (inline CSS and SVG, no script, no external asset) for operators. */
public final class Html {
    private Html() { }

    public static String write(DrillReport report) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Failover drill ")
                .append(escape(report.started())).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:2em;color:#222}h1{font-size:1.4em}h2{font-size:1.15em}\n")
                .append("table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;")
                .append("padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}\n")
                .append(".ok{color:#2a7d2a;font-weight:bold}.fail{color:#d62728;font-weight:bold}")
                .append(".key{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}h3{font-size:1em}\n")
                .append("</style></head><body>\n<h1>Failover drill: ").append(verdict(report.ok())).append("</h1>\n")
                .append("<p>VRRP daemon <b>").append(escape(report.daemon())).append("</b>, inventory <code>")
                .append(escape(report.inventory())).append("</code>, polling <code>").append(escape(report.url()))
                .append("</code> every 10 ms, started ").append(escape(report.started())).append(".</p>\n");
        String mainVip = java.net.URI.create(report.url()).getHost();
        for (ScenarioResult s : report.scenarios()) {
            scenario(s, mainVip, b);
        }
        return b.append("</body></html>\n").toString();
    }

    private static void scenario(ScenarioResult s, String mainVip, StringBuilder b) {
        b.append("<h2>").append(escape(s.name())).append(": ").append(verdict(s.ok())).append("</h2>\n");
        if (s.error() != null) {
            b.append("<p class=\"fail\">").append(escape(s.error())).append("</p>\n");
        }
        if (s.steps().isEmpty()) {
            return;
        }
        List<String> hosts = SvgTimeline.hosts(s);
        b.append("<p>");
        for (int i = 0; i < hosts.size(); i++) {
            b.append("<span class=\"key\" style=\"background:").append(SvgTimeline.colour(i)).append("\"></span>")
                    .append(escape(hosts.get(i)));
        }
        b.append("<span class=\"key\" style=\"background:").append(SvgTimeline.FAILED_COLOUR)
                .append("\"></span>failed request</p>\n");
        if (s.others().isEmpty()) {
            b.append(SvgTimeline.svg(s));
            table(s.steps(), b);
            return;
        }
        // A cluster: one timeline per VIP, each with a lane per host, so a VIP that must not move is seen not to.
        vip(mainVip, s.name(), s.steps(), hosts, b);
        for (ScenarioResult.VipSteps v : s.others()) {
            vip(v.vip(), s.name(), v.steps(), hosts, b);
        }
    }

    private static void vip(String vip, String scenario, List<StepResult> steps, List<String> hosts,
                            StringBuilder b) {
        b.append("<h3>VIP ").append(escape(vip)).append("</h3>\n")
                .append(SvgTimeline.svg(scenario + " on " + vip, steps, hosts));
        table(steps, b);
    }

    private static void table(List<StepResult> steps, StringBuilder b) {
        b.append("<table><tr><th>step</th><th>expected</th><th>result</th><th>outage ms</th>")
                .append("<th>expected host serving after ms</th><th>before</th><th>after</th><th>flaps</th>")
                .append("<th>requests</th><th>failed</th><th>served</th></tr>\n");
        for (StepResult r : steps) {
            b.append("<tr><td>").append(escape(r.name())).append("</td><td>").append(escape(r.expected()))
                    .append("</td><td>").append(verdict(r.ok())).append("</td><td>")
                    .append(fmt("%.1f", r.outageMs())).append("</td><td>")
                    .append(r.timeToExpectedMs() == null ? "never" : fmt("%.1f", r.timeToExpectedMs()))
                    .append("</td><td>").append(escape(String.valueOf(r.before()))).append("</td><td>")
                    .append(escape(String.valueOf(r.after()))).append("</td><td>").append(r.flaps())
                    .append("</td><td>").append(r.requests()).append("</td><td>").append(r.failed())
                    .append("</td><td>").append(escape(String.join(" > ", r.served()))).append("</td></tr>\n");
            for (String p : r.problems()) {
                b.append("<tr><td colspan=\"11\" class=\"fail\">").append(escape(p)).append("</td></tr>\n");
            }
        }
        b.append("</table>\n");
    }

    private static String verdict(boolean ok) {
        return ok ? "<span class=\"ok\">OK</span>" : "<span class=\"fail\">FAILED</span>";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
