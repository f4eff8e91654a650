package io.nginxha.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.drill.StepResult.Expectation;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static Poller.Sample s(double t, String host) {
        return new Poller.Sample(t, t + 1, host, host == null ? "timeout" : null);
    }

    private static DrillReport report() {
        StepResult off = StepResult.of("power off ha1", "ha2", Expectation.MOVES, "ha1", s(0, "ha1"), 0,
                List.of(s(10, "ha1"), s(20, null), s(30, null), s(40, "ha2")), List.of());
        StepResult on = StepResult.of("power on ha1", "ha1", Expectation.MOVES, "ha2", s(40, "ha2"), 45,
                List.of(s(50, "ha2"), s(60, "ha2")), List.of());
        return new DrillReport("agent", "inventory/lab", "http://192.168.16.130/", "2026-11-25T12:00:00Z",
                List.of(new ScenarioResult("power-off", false, List.of(off, on), null, false)));
    }

    @Test
    void jsonHasTheAgreedFieldsAndProblems() {
        assertEquals("""
                {"daemon":"agent","inventory":"inventory/lab","url":"http://192.168.16.130/","started":\
                "2026-11-25T12:00:00Z","ok":false,"scenarios":[
                 {"name":"power-off","ok":false,"steps":[
                  {"name":"power off ha1","expected":"ha2","ok":true,"outage_ms":29.0,"time_to_expected_ms":40.0,\
                "before":"ha1","after":"ha2","flaps":0,"requests":4,"failed":2,"served":["ha1","ha2"]},
                  {"name":"power on ha1","expected":"ha1","ok":false,"outage_ms":0.0,"time_to_expected_ms":null,\
                "before":"ha2","after":"ha2","flaps":0,"requests":2,"failed":0,"served":["ha2"],\
                "problems":["ha2 served at the end, expected ha1"]}]}]}
                """, ReportJson.write(report()));
    }

    @Test
    void htmlIsSelfContainedWithABarPerRunInTheHostsColours() {
        String html = Html.write(report());
        assertFalse(Pattern.compile("(src|href)=").matcher(html).find(), "no external asset");
        assertFalse(html.contains("<script"));
        List<String> bars = Pattern.compile("<rect [^>]*fill=\"(#[0-9a-f]+)\"><title>([^<]*)</title>")
                .matcher(html).results().map(m -> m.group(1) + " " + m.group(2)).toList();
        assertEquals(List.of(
                "#1f77b4 ha1: 1 request(s), +10 to +11 ms after 'power off ha1'",
                "#d62728 failed: 2 request(s), +20 to +31 ms after 'power off ha1'",
                "#2ca02c ha2: 1 request(s), +40 to +41 ms after 'power off ha1'",
                "#2ca02c ha2: 2 request(s), +5 to +16 ms after 'power on ha1'"), bars);
        Matcher markers = Pattern.compile("stroke-dasharray=\"4 3\"/>\\s*<text[^>]*>([^<]*)</text>").matcher(html);
        assertEquals(List.of("power off ha1", "power on ha1"), markers.results().map(m -> m.group(1)).toList());
        assertTrue(html.contains("<td>ha2 served at the end, expected ha1</td>") || html.contains(
                "class=\"fail\">ha2 served at the end, expected ha1</td>"));
    }

    @Test
    void ticksGiveFiveToFifteenMarks() {
        assertEquals(1000, SvgTimeline.tick(12_000));
        assertEquals(5000, SvgTimeline.tick(40_000));
        assertEquals(500, SvgTimeline.tick(300));
    }

    @Test
    void jsonStringsAreEscaped() {
        assertEquals("null", ReportJson.quote(null));
        assertEquals("\"a\\\"b\\\\c\\nd\\te\\u0001\"", ReportJson.quote("a\"b\\c\nd\te\u0001"));
    }
}
