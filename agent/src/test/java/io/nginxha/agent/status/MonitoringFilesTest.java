package io.nginxha.agent.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.vrrp.DropReason;
import io.nginxha.agent.vrrp.VrrpState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The alerting rules and the dashboard that the package ships (monitoring/ of the repository): every metric their
 * queries name is one that {@link Metrics} exports, so a renamed metric cannot silently leave an alert that never
 * fires or an empty panel; and promtool accepts the rules and passes their unit tests.
 */
class MonitoringFilesTest {
    private static final Path MONITORING = Path.of("../monitoring");
    private static final Path ALERTS = MONITORING.resolve("prometheus/alerts.yml");
    private static final Path ALERT_TESTS = MONITORING.resolve("prometheus/alerts.test.yml");
    private static final Path DASHBOARD = MONITORING.resolve("grafana/dashboard.json");
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    /** Prometheus's own series for every scrape target: the one name allowed that the agent does not export. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");
    private static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");

    @Test
    void everyMetricTheRulesAndTheDashboardNameIsExported() throws Exception {
        Set<String> exported = exportedFamilies();
        List<String> queries = new ArrayList<>(alertExpressions());
        queries.addAll(dashboardQueries());
        assertTrue(queries.size() >= 7 + 12, "rules and panels found: " + queries);
        Set<String> unknown = new TreeSet<>();
        Set<String> named = new TreeSet<>();
        for (String q : queries) {
            Set<String> names = metricNames(q);
            assertTrue(!names.isEmpty(), "names no metric: " + q);
            named.addAll(names);
            names.stream().filter(n -> !exported.contains(n) && !PROMETHEUS_OWN.contains(n)).forEach(unknown::add);
        }
        assertEquals(Set.of(), unknown, "named by monitoring/ but not exported (exported: " + exported + ")");
        // The parser reads what the files say: the state, the VIP and the drops are all there.
        assertTrue(named.containsAll(Set.of("vrrp_agent_state", "vrrp_agent_vip_held", "vrrp_agent_adverts_dropped_total",
                "vrrp_agent_check_up", "vrrp_agent_transitions_total", "up")), named.toString());
    }

    @Test
    void metricNamesAreReadFromPromql() {
        assertEquals(Set.of("vrrp_agent_state"),
                metricNames("count by (job, vrid, family) (vrrp_agent_state{state=\"MASTER\"} == 1) > 1"));
        assertEquals(Set.of("vrrp_agent_adverts_dropped_total"), metricNames(
                "sum by (instance, reason) (rate(vrrp_agent_adverts_dropped_total{iname!=\"\", job=\"$job\"}[$__rate_interval])) > 0"));
        assertEquals(Set.of("vrrp_agent_start_time_seconds", "keepalived_up"),
                metricNames("time() - vrrp_agent_start_time_seconds or on (instance) keepalived_up offset 5m"));
        assertEquals(Set.of("keepalived_up"), metricNames("label_values(keepalived_up{job=\"$job\"}, instance)"));
        assertEquals(Set.of("keepalived_up"), metricNames("label_values(keepalived_up, job)"));
    }

    @Test
    void promtoolChecksTheRules() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMTOOL), "promtool missing (Debian package prometheus)");
        String out = run(PROMTOOL.toString(), "check", "rules", ALERTS.toString());
        assertTrue(out.contains("SUCCESS: 7 rules found"), out);
    }

    @Test
    void promtoolUnitTestsPassForEveryRule() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMTOOL), "promtool missing (Debian package prometheus)");
        // every alert of the rules has at least one test that expects it to fire
        String tests = Files.readString(ALERT_TESTS);
        for (String alert : alertNames()) {
            assertTrue(Pattern.compile("alertname: " + alert + "\\s+exp_alerts:\\s+- exp_labels").matcher(tests).find(),
                    alert + " has no test where it fires");
        }
        String out = run(PROMTOOL.toString(), "test", "rules", ALERT_TESTS.toString());
        assertTrue(out.contains("SUCCESS"), out);
    }

    /** The metric families in {@link Metrics}' output for an agent with an instance, drops and a check. */
    private static Set<String> exportedFamilies() {
        InstanceCounters.Counts counts = new InstanceCounters.Counts(10, 9, 1, 0, 1, 0, 0, 0,
                Map.of(DropReason.AUTH_PASSWORD, 2L, DropReason.TTL, 1L));
        InstanceStatus vi1 = new InstanceStatus("VI_1", "eth0", 66, "IPv4", VrrpState.MASTER, 100, 100,
                "192.168.16.128", List.of("192.168.16.130/32"), true, 1L, VrrpState.BACKUP, "higher priority",
                List.of("nginx"), counts);
        AgentStatus status = new AgentStatus("ha1", 1L, List.of(vi1), Map.of(DropReason.VRID, 3L),
                Map.of("nginx", new CheckReporter.CheckResult(true, 0, 0.01, 1L)), LoopLagStatus.NONE);
        Set<String> families = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$").matcher(Metrics.render(status));
        while (m.find()) {
            families.add(m.group(1));
            if (m.group(2).equals("histogram")) { // its series: NAME_bucket{le}, NAME_sum, NAME_count
                List.of("_bucket", "_sum", "_count").forEach(suffix -> families.add(m.group(1) + suffix));
            }
        }
        assertTrue(families.contains("keepalived_vrrp_state") && families.contains("vrrp_agent_check_up"), families.toString());
        return families;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules() throws Exception {
        Map<String, Object> doc = new Yaml().load(Files.readString(ALERTS));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
            out.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return out;
    }

    private static List<String> alertExpressions() throws Exception {
        return rules().stream().map(r -> (String) r.get("expr")).toList();
    }

    private static List<String> alertNames() throws Exception {
        return rules().stream().map(r -> (String) r.get("alert")).toList();
    }

    /** Every panel target's expr and every query variable of the dashboard (JSON is YAML to snakeyaml). */
    private static List<String> dashboardQueries() throws Exception {
        Object doc = new Yaml().load(Files.readString(DASHBOARD));
        List<String> out = new ArrayList<>();
        collect(doc, out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object node, List<String> out) {
        if (node instanceof Map<?, ?> map) {
            Object expr = map.get("expr");
            if (expr instanceof String s) {
                out.add(s);
            }
            if ("query".equals(map.get("type")) && map.get("query") instanceof Map<?, ?> q && q.get("query") instanceof String s) {
                out.add(s);
            }
            map.values().forEach(v -> collect(v, out));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collect(v, out));
        }
    }

    /**
     * The series names a PromQL expression selects: identifiers that are not functions (followed by "("), label
     * names (inside {} or the lists of by/without/on/ignoring/group_*), operators, or text inside strings and [].
     */
    static Set<String> metricNames(String promql) {
        // Grafana's label_values(SELECTOR, LABEL) names a label after its selector: only the selector counts.
        String s = promql.replaceAll("label_values\\((.*),\\s*\\w+\\s*\\)", "$1")
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\boffset\\s+\\S+", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?<![\\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(s);
        while (m.find()) {
            String name = m.group(1);
            if (m.group(2) == null && !PROMQL_WORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
