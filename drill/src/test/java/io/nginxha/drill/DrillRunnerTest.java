package io.nginxha.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrillRunnerTest {
    private final FakePair pair = new FakePair();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final List<String> asked = new ArrayList<>();

    private DrillRunner runner(DrillTarget.Environment env, boolean confirmed, boolean answer,
                               DrillTarget.Daemon daemon) {
        DrillTarget target = new DrillTarget(access("ha1"), access("ha2"), URI.create("http://192.168.16.130/"),
                daemon, env, "off {host}", "on {host}");
        Operator operator = new Operator() {
            @Override
            public boolean confirm(String question) {
                asked.add(question);
                return answer;
            }

            @Override
            public void waitForEnter(String message) {
                asked.add(message);
            }
        };
        PowerSwitch power = new PowerSwitch(target.powerOff(), target.powerOn(), pair::local, operator);
        return new DrillRunner(new Scenario.Context(target, pair.master, pair.backup, power, pair), operator,
                confirmed, new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private DrillRunner runner() {
        return runner(DrillTarget.Environment.LAB, true, false, DrillTarget.Daemon.AGENT);
    }

    private static DrillTarget.HostAccess access(String name) {
        return new DrillTarget.HostAccess(name, name, 22, "root", null);
    }

    @Test
    void stopNginxIsRestartedAndTheMasterKeepsServing() throws Exception {
        ScenarioResult r = runner().run(List.of(Scenario.STOP_NGINX)).get(0);

        assertTrue(r.ok(), printed.toString());
        StepResult step = r.steps().get(0);
        assertEquals("stop nginx on ha1", step.name());
        assertEquals(List.of("ha1"), step.served());
        // last answer before the stop ended at t0+1, nginx answered again from t0+30
        assertEquals(29.0, step.outageMs(), 1e-9);
        assertEquals(30.0, step.timeToExpectedMs(), 1e-9);
        assertEquals(2, step.failed());
        assertEquals("ha1", step.before());
        assertEquals("ha1", step.after());
        assertTrue(pair.commands.contains("ha1: systemctl stop --no-block nginx"));
        assertTrue(printed.toString().contains("timeline: +10 ms failed x2 | +30 ms ha1 x"), printed.toString());
    }

    @Test
    void stopNginxWithoutARestartingDaemonFailsAndIsRestoredByTheDrill() throws Exception {
        pair.daemonRestartsNginx = false;
        ScenarioResult r = runner().run(List.of(Scenario.STOP_NGINX)).get(0);

        assertFalse(r.ok());
        assertNull(r.error()); // the restore started nginx: the pair is back as found
        StepResult step = r.steps().get(0);
        assertFalse(step.ok());
        assertNull(step.after());
        assertEquals("nobody served at the end, expected ha1", step.problems().get(0));
        assertTrue(step.problems().get(1).startsWith("nginx on ha1 was not active again within 30 s"),
                step.problems().toString());
        assertTrue(pair.nginx);
        assertEquals("ha1: systemctl start nginx", pair.commands.get(pair.commands.size() - 1));
    }

    @Test
    void aStopThatNeverHappenedIsNotTakenForARestart() throws Exception {
        pair.stopIgnored = true; // the stop job queued, nginx still active under its old main process
        ScenarioResult r = runner().run(List.of(Scenario.STOP_NGINX)).get(0);

        assertFalse(r.ok());
        StepResult step = r.steps().get(0);
        assertEquals(List.of("nginx on ha1 was not active again within 30 s (the VRRP daemon's check did not "
                + "start it)"), step.problems());
        assertEquals("ha1", step.after());
    }

    @Test
    void breakNginxMovesTheVipToTheBackupAndRepairBringsItBack() throws Exception {
        ScenarioResult r = runner().run(List.of(Scenario.BREAK_NGINX)).get(0);

        assertTrue(r.ok(), printed.toString());
        StepResult broken = r.steps().get(0);
        assertEquals("ha2", broken.expected());
        assertEquals(List.of("ha1", "ha2"), broken.served());
        assertEquals(0, broken.flaps());
        // nginx stopped at t0, ha2 answered at t0+3000: the last ha1 answer ended at t0+1
        assertEquals(2999.0, broken.outageMs(), 1e-9);
        assertEquals(3000.0, broken.timeToExpectedMs(), 1e-9);
        StepResult repaired = r.steps().get(1);
        assertEquals(List.of("ha2", "ha1"), repaired.served());
        assertEquals(0.0, repaired.outageMs());
        assertEquals(FakePair.HOLD_DOWN_MS, repaired.timeToExpectedMs(), 10.0);
        assertFalse(pair.broken);
    }

    @Test
    void powerOffMovesTheVipAndPowerOnTakesItBack() throws Exception {
        ScenarioResult r = runner().run(List.of(Scenario.POWER_OFF)).get(0);

        assertTrue(r.ok(), printed.toString());
        assertEquals(List.of("ha1", "ha2"), r.steps().get(0).served());
        assertEquals(3000.0, r.steps().get(0).timeToExpectedMs(), 1e-9);
        assertEquals(List.of("ha2", "ha1"), r.steps().get(1).served());
        assertEquals(5000.0, r.steps().get(1).timeToExpectedMs(), 1e-9);
        assertEquals(List.of("local: off ha1", "local: on ha1"),
                pair.commands.stream().filter(c -> c.startsWith("local")).toList());
        assertTrue(pair.master.closed >= 2, "the session of a powered-off host is dropped");
    }

    @Test
    void aBackupThatNeverTakesOverFailsTheStepAndTheHostIsPoweredOnAgain() throws Exception {
        pair.backupTakesOver = false;
        ScenarioResult r = runner().run(List.of(Scenario.POWER_OFF)).get(0);

        assertFalse(r.ok());
        StepResult off = r.steps().get(0);
        assertEquals(List.of("ha1"), off.served());
        assertNull(off.timeToExpectedMs());
        assertEquals("ha2 did not serve steadily within 60 s (nobody answers)", off.problems().get(1));
        assertEquals(List.of("local: off ha1", "local: on ha1"),
                pair.commands.stream().filter(c -> c.startsWith("local")).toList(), "restored: powered on again");
        assertTrue(r.steps().get(1).ok(), "the power-on step still runs and brings ha1 back");
    }

    @Test
    void theScenarioDoesNotStartWhenTheMasterDoesNotServe() throws Exception {
        pair.holder = "ha2";
        List<ScenarioResult> r = runner().run(List.of(Scenario.STOP_NGINX, Scenario.POWER_OFF));

        assertEquals(1, r.size(), "the drill stops after a scenario that could not run");
        assertEquals("before the scenario: the VIP is served by ha2 (expected ha1, the master, to serve "
                + "http://192.168.16.130/)", r.get(0).error());
        assertFalse(r.get(0).aborted());
        assertTrue(r.get(0).steps().isEmpty());
        assertFalse(pair.commands.stream().anyMatch(c -> c.contains("stop")));
    }

    @Test
    void productionAsksFirstAndANoStopsTheDrill() throws Exception {
        List<ScenarioResult> r = runner(DrillTarget.Environment.PRODUCTION, false, false, DrillTarget.Daemon.AGENT)
                .run(List.of(Scenario.BREAK_NGINX));

        assertEquals(1, asked.size());
        assertTrue(asked.get(0).contains("make nginx on ha1 unable to start"), asked.get(0));
        assertTrue(r.get(0).aborted());
        assertTrue(pair.commands.isEmpty());
    }

    @Test
    void anInterruptInTheMiddleOfBreakNginxRepairsTheMasterOnASessionOfItsOwn() throws Exception {
        DrillRunner runner = runner();
        FakePair.FakeHost own = pair.new FakeHost("ha1");
        runner.restoreAfterInterrupt(own);
        assertTrue(pair.commands.isEmpty(), "nothing runs: no scenario in progress");
        pair.afterMasterCommand = () -> {
            if (pair.broken) {
                pair.afterMasterCommand = () -> { };
                runner.restoreAfterInterrupt(own);
            }
        };
        runner.run(List.of(Scenario.BREAK_NGINX));

        int broke = pair.commands.indexOf("ha1: printf 'drill_breaks_nginx_on_purpose;\\n' > "
                + "/etc/nginx/conf.d/zz-drill-break.conf && systemctl stop --no-block nginx");
        assertTrue(broke >= 0, pair.commands.toString());
        assertEquals("ha1: rm -f /etc/nginx/conf.d/zz-drill-break.conf && systemctl start nginx",
                pair.commands.get(broke + 1));
        assertTrue(printed.toString().contains("-- interrupted during break-nginx: putting ha1 back"));
        assertTrue(printed.toString().contains("-- ha1 restored (nginx started, /etc/nginx/conf.d/zz-drill-break.conf"
                + " removed)"));
    }

    @Test
    void keepalivedIsStartedAgainWhenNginxIsRepaired() throws Exception {
        runner(DrillTarget.Environment.LAB, true, false, DrillTarget.Daemon.KEEPALIVED)
                .run(List.of(Scenario.BREAK_NGINX));

        assertTrue(pair.commands.contains("ha1: rm -f /etc/nginx/conf.d/zz-drill-break.conf && systemctl start nginx"
                + " && systemctl start keepalived"), pair.commands.toString());
    }

    @Test
    void withoutAPowerOnCommandTheOperatorIsAsked() throws Exception {
        DrillTarget target = new DrillTarget(access("ha1"), access("ha2"), URI.create("http://vip/"),
                DrillTarget.Daemon.AGENT, DrillTarget.Environment.PRODUCTION, "off {host}", null);
        Operator operator = new Operator() {
            @Override
            public boolean confirm(String question) {
                return true;
            }

            @Override
            public void waitForEnter(String message) {
                asked.add(message);
                pair.local("on ha1");
            }
        };
        PowerSwitch power = new PowerSwitch("off {host}", null, pair::local, operator);
        ScenarioResult r = new DrillRunner(new Scenario.Context(target, pair.master, pair.backup, power, pair),
                operator, true, new PrintStream(printed, true, StandardCharsets.UTF_8)).run(List.of(Scenario.POWER_OFF))
                .get(0);

        assertTrue(r.ok(), printed.toString());
        assertEquals(List.of("Power ha1 on now (the drill powered it off)."), asked);
    }
}
