package io.nginxha.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cluster scenarios (cascade, isolate) and every VIP watched in each step, against {@link FakeCluster}. */
class ClusterDrillTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private DrillRunner runner(FakeCluster fake) {
        Cluster.Vip main = fake.cluster.main();
        DrillTarget.HostAccess[] access = fake.cluster.hosts().stream()
                .map(h -> new DrillTarget.HostAccess(h, h, 22, "root", null)).toArray(DrillTarget.HostAccess[]::new);
        DrillTarget.HostAccess master = access[fake.cluster.hosts().indexOf(main.order().get(0))];
        DrillTarget.HostAccess backup = access[fake.cluster.hosts().indexOf(main.order().get(1))];
        DrillTarget target = new DrillTarget(master, backup, main.url(), DrillTarget.Daemon.AGENT,
                DrillTarget.Environment.LAB, "off {host}", "on {host}", List.of(access), fake.cluster);
        Operator operator = new Operator() {
            @Override
            public boolean confirm(String question) {
                return true;
            }

            @Override
            public void waitForEnter(String message) { }
        };
        PowerSwitch power = new PowerSwitch("off {host}", "on {host}", fake::local, operator);
        Map<String, RemoteHost> hosts = fake.hosts();
        Map<Cluster.Vip, VipWatch> watches = fake.watches();
        return new DrillRunner(new Scenario.Context(target, hosts.get(master.name()), hosts.get(backup.name()),
                power, watches.get(main), hosts, watches), operator, true,
                new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private static FakeCluster threeHosts() {
        return new FakeCluster(List.of("ha1", "ha2", "ha3"), List.of(List.of("ha1", "ha2", "ha3")));
    }

    private static FakeCluster activeActive() {
        return new FakeCluster(List.of("ha1", "ha2"), List.of(List.of("ha1", "ha2"), List.of("ha2", "ha1")));
    }

    @Test
    void cascadeHandsTheVipDownThePrioritiesAndTheMasterTakesItBack() throws Exception {
        ScenarioResult r = runner(threeHosts()).run(Scenario.CASCADE);

        assertTrue(r.ok(), printed.toString());
        assertEquals(List.of("power off ha1", "power off ha2", "power on ha1", "power on ha2"),
                r.steps().stream().map(StepResult::name).toList());
        assertEquals(List.of("ha2", "ha3", "ha1", "ha1"), r.steps().stream().map(StepResult::expected).toList());
        assertEquals(List.of("ha1", "ha2"), r.steps().get(0).served());
        assertEquals(List.of("ha2", "ha3"), r.steps().get(1).served());
        assertEquals(List.of("ha3", "ha1"), r.steps().get(2).served(), "ha1 back: it preempts ha3");
        assertEquals(List.of("ha1"), r.steps().get(3).served(), "ha2 back: ha1 keeps the VIP");
        assertEquals(FakeCluster.FAILOVER_MS, r.steps().get(1).timeToExpectedMs(), 1e-9);
        assertTrue(printed.toString().contains("-- power on ha2 (expected: ha1 serves untouched)"), printed.toString());
    }

    @Test
    void aVipTakenOverByTheWrongHostFailsTheStepAndSaysWhich() throws Exception {
        FakeCluster fake = threeHosts();
        fake.wrongSuccessor = true;
        ScenarioResult r = runner(fake).run(Scenario.CASCADE);

        assertFalse(r.ok());
        StepResult first = r.steps().get(0);
        assertFalse(first.ok());
        assertEquals("ha3 served at the end, expected ha2", first.problems().get(0));
        assertEquals(List.of("ha1", "ha3"), first.served());
        assertEquals(List.of("local: off ha1", "local: off ha2", "local: on ha1", "local: on ha2"),
                fake.commands.stream().filter(c -> c.startsWith("local")).toList(), "both powered on again");
    }

    @Test
    void isolateMovesOnlyTheVipsOfTheHostThatIsOffAndTheOthersNeverBlink() throws Exception {
        ScenarioResult r = runner(activeActive()).run(Scenario.ISOLATE);

        assertTrue(r.ok(), printed.toString());
        assertEquals(List.of("ha2", "ha1", "ha1", "ha1"), r.steps().stream().map(StepResult::expected).toList());
        List<StepResult> second = r.others().get(0).steps();
        assertEquals("192.168.16.131", r.others().get(0).vip());
        assertEquals(List.of("ha2", "ha2", "ha1", "ha2"), second.stream().map(StepResult::expected).toList());
        assertEquals(List.of("ha2"), second.get(0).served(), "ha1 off: ha2 keeps its own VIP");
        assertEquals(0.0, second.get(0).outageMs());
        assertEquals(0, second.get(0).failed());
        assertEquals(List.of("ha2", "ha1"), second.get(2).served(), "ha2 off: its VIP moves to ha1");
        assertEquals(List.of("ha1"), r.steps().get(2).served(), "and ha1's VIP stays");
        assertTrue(printed.toString().contains("-- power off ha1 (expected: 192.168.16.130: ha2 serves, "
                + "192.168.16.131: ha2 serves untouched)"), printed.toString());
    }

    @Test
    void aVipThatBlinksAlthoughItsHostWasNotTouchedFailsTheStep() throws Exception {
        FakeCluster fake = activeActive();
        fake.blinkOthersMs = 500;
        ScenarioResult r = runner(fake).run(Scenario.ISOLATE);

        assertFalse(r.ok());
        StepResult untouched = r.others().get(0).steps().get(0);
        assertFalse(untouched.ok());
        assertEquals(List.of("no answer for 499 ms although the step did not touch ha2 (at most 250 ms expected)"),
                untouched.problems());
        assertTrue(r.steps().get(0).ok(), "the VIP that moved did what it should: " + r.steps().get(0).problems());
    }

    @Test
    void theReportHasATimelinePerVipWithALanePerHost() throws Exception {
        ScenarioResult r = runner(activeActive()).run(Scenario.ISOLATE);
        DrillReport report = new DrillReport("agent", "inventory/lab-active-active", "http://192.168.16.130/",
                "2026-12-04T19:00:00Z", List.of(r));
        String html = Html.write(report);
        assertTrue(html.contains("<h3>VIP 192.168.16.130</h3>") && html.contains("<h3>VIP 192.168.16.131</h3>"), html);
        assertEquals(2, html.split("<svg ", -1).length - 1, "one picture per VIP");
        assertTrue(html.contains("aria-label=\"timeline of isolate on 192.168.16.131\""), html);
        String picture = html.substring(html.lastIndexOf("<svg "));
        assertTrue(picture.contains(">ha1</text>") && picture.contains(">ha2</text>")
                && picture.contains(">failed</text>"), "lanes: " + picture);
        String json = ReportJson.write(report);
        assertTrue(json.contains("\"other_vips\":[\n  {\"vip\":\"192.168.16.131\",\"steps\":[\n  {\"name\":\"power off ha1\","
                + "\"expected\":\"ha2\",\"ok\":true,\"outage_ms\":0.0"), json);
    }

    @Test
    void theExpectationOfEachVipFollowsWhoIsOutAndWhoIsTouched() {
        Cluster.Vip vip = new Cluster.Vip("VI_1", java.net.URI.create("http://v/"), List.of("a", "b", "c"));
        Scenario.Step offA = new Scenario.Step("power off a", java.util.Set.of("a"), java.util.Set.of("a"), 1, List::of);
        Scenario.Step offC = new Scenario.Step("power off c", java.util.Set.of("c"), java.util.Set.of("c"), 1, List::of);
        Scenario.Step stopA = new Scenario.Step("stop nginx on a", java.util.Set.of("a"), java.util.Set.of(), 1, List::of);
        assertEquals(StepResult.Expectation.MOVES, DrillRunner.expectation(vip, java.util.Set.of(), offA));
        assertEquals(StepResult.Expectation.UNTOUCHED, DrillRunner.expectation(vip, java.util.Set.of(), offC));
        assertEquals(StepResult.Expectation.STAYS, DrillRunner.expectation(vip, java.util.Set.of(), stopA));
        assertEquals("b", vip.expected(java.util.Set.of("a")));
        assertEquals("c", vip.expected(java.util.Set.of("a", "b")));
    }
}
