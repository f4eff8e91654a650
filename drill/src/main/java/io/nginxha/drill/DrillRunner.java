package io.nginxha.drill;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs scenarios against the hosts: checks each VIP's master serves it, runs each step while every VIP is polled,
 * waits until each VIP's expected host serves it steadily (or the step's time runs out), measures the step on every
 * VIP, and leaves the hosts as found.
 */
public final class DrillRunner {
    /** How long the expected host must serve without a gap before a step counts as settled. */
    static final long STEADY_MS = 2_000;
    /** How long the master may take to serve before a scenario, and after its restore. */
    static final long READY_TIMEOUT_MS = 60_000;

    private final Scenario.Context context;
    private final Operator operator;
    private final boolean confirmed;
    private final PrintStream out;
    /** The scenario between its first step and the end of its restore: what an interrupt must put back. */
    private volatile Scenario running;

    /**
     * @param confirmed true when dangerous scenarios need no confirmation (--yes, or not a production inventory)
     */
    public DrillRunner(Scenario.Context context, Operator operator, boolean confirmed, PrintStream out) {
        this.context = context;
        this.operator = operator;
        this.confirmed = confirmed;
        this.out = out;
    }

    /** Runs the scenarios in order; stops after one that could not run or complete. */
    public List<ScenarioResult> run(List<Scenario> scenarios) throws InterruptedException {
        List<ScenarioResult> results = new ArrayList<>();
        for (Scenario s : scenarios) {
            ScenarioResult r = run(s);
            results.add(r);
            out.println("== " + s.label() + ": " + (r.ok() ? "OK" : "FAILED" + (r.error() == null ? ""
                    : " (" + r.error() + ")")));
            if (r.error() != null) {
                break;
            }
        }
        return results;
    }

    ScenarioResult run(Scenario scenario) throws InterruptedException {
        String master = context.master().name();
        Cluster cluster = context.target().cluster();
        out.println("== " + scenario.label() + " on " + context.target().url() + " (master " + master
                + ", backup " + context.backup().name() + (cluster.vips().size() > 1 ? "; VIPs " + vipsLine(cluster)
                : "") + ")");
        String notApplicable = scenario.notApplicable(cluster);
        if (notApplicable != null) {
            return new ScenarioResult(scenario.label(), false, List.of(), notApplicable, true);
        }
        if (!confirmed && !operator.confirm("This is a production inventory. The drill will "
                + scenario.danger(context) + ". Go on?")) {
            return new ScenarioResult(scenario.label(), false, List.of(),
                    "not confirmed by the operator (--yes runs without asking)", true);
        }
        String ready = awaitMasters(READY_TIMEOUT_MS);
        if (ready != null) {
            return new ScenarioResult(scenario.label(), false, List.of(), "before the scenario: " + ready, false);
        }
        running = scenario;
        Map<Cluster.Vip, List<StepResult>> byVip = new LinkedHashMap<>();
        cluster.vips().forEach(v -> byVip.put(v, new ArrayList<>()));
        String error = null;
        boolean aborted = false;
        try {
            Set<String> outBefore = Set.of();
            for (Scenario.Step step : scenario.steps(context)) {
                Map<Cluster.Vip, StepResult> r = runStep(step, outBefore);
                r.forEach((vip, result) -> byVip.get(vip).add(result));
                for (Map.Entry<Cluster.Vip, StepResult> e : r.entrySet()) {
                    if (cluster.vips().size() > 1) {
                        out.println("   VIP " + e.getKey().label() + ":");
                    }
                    TextReport.step(e.getValue(), out);
                }
                outBefore = step.out();
            }
        } catch (DrillException e) {
            error = e.getMessage();
            aborted = true;
        }
        try {
            restore(scenario);
        } catch (DrillException e) {
            error = join(error, "restore: " + e.getMessage());
            aborted = true;
        } finally {
            running = null;
        }
        String notServing = awaitMasters(READY_TIMEOUT_MS);
        if (notServing != null) {
            error = join(error, "after the scenario, " + notServing);
        }
        boolean ok = error == null && byVip.values().stream().flatMap(List::stream).allMatch(StepResult::ok);
        List<ScenarioResult.VipSteps> others = new ArrayList<>();
        byVip.forEach((vip, steps) -> {
            if (vip != cluster.main()) {
                others.add(new ScenarioResult.VipSteps(vip.label(), List.copyOf(steps)));
            }
        });
        return new ScenarioResult(scenario.label(), ok, List.copyOf(byVip.get(cluster.main())), error, aborted,
                List.copyOf(others));
    }

    /** Who should serve {@code vip} after {@code step}, and how: moved, kept through the action, or untouched. */
    static StepResult.Expectation expectation(Cluster.Vip vip, Set<String> outBefore, Scenario.Step step) {
        String before = vip.expected(outBefore);
        String after = vip.expected(step.out());
        if (!java.util.Objects.equals(before, after)) {
            return StepResult.Expectation.MOVES;
        }
        return step.touched().contains(after) ? StepResult.Expectation.STAYS : StepResult.Expectation.UNTOUCHED;
    }

    /** The step measured on every VIP: its action once, then each VIP's wait for its expected host. */
    private Map<Cluster.Vip, StepResult> runStep(Scenario.Step step, Set<String> outBefore) throws DrillException,
            InterruptedException {
        Cluster cluster = context.target().cluster();
        record Start(double atMs, String before, Poller.Sample previous) { }
        Map<Cluster.Vip, Start> starts = new LinkedHashMap<>();
        List<String> expectations = new ArrayList<>();
        for (Cluster.Vip vip : cluster.vips()) {
            VipWatch watch = watch(vip);
            double start = watch.nowMs();
            List<Poller.Sample> recent = watch.since(start - 1000);
            starts.put(vip, new Start(start, lastServer(recent), recent.isEmpty() ? null
                    : recent.get(recent.size() - 1)));
            String expected = vip.expected(step.out());
            StepResult.Expectation how = expectation(vip, outBefore, step);
            expectations.add((cluster.vips().size() > 1 ? vip.label() + ": " : "") + expected + " serves"
                    + switch (how) {
                        case STAYS -> " throughout";
                        case UNTOUCHED -> " untouched";
                        case MOVES -> "";
                    });
        }
        out.println("-- " + step.name() + " (expected: " + String.join(", ", expectations) + ")");
        List<String> actionProblems = step.action().run();
        Map<Cluster.Vip, StepResult> results = new LinkedHashMap<>();
        for (Cluster.Vip vip : cluster.vips()) {
            VipWatch watch = watch(vip);
            String expected = vip.expected(step.out());
            List<String> problems = new ArrayList<>(vip == cluster.main() ? actionProblems : List.of());
            String notSteady = awaitSteady(expected, watch, watch.nowMs(), step.timeoutMs());
            if (notSteady != null) {
                problems.add(expected + " did not serve steadily within " + step.timeoutMs() / 1000 + " s ("
                        + notSteady + ")");
            }
            Start start = starts.get(vip);
            results.put(vip, StepResult.of(step.name(), expected, expectation(vip, outBefore, step), start.before(),
                    start.previous(), start.atMs(), watch.since(start.atMs()), problems));
        }
        return results;
    }

    /** Waits until every VIP is served by its master; null then, else what is wrong with the first that is not. */
    private String awaitMasters(long timeoutMs) throws InterruptedException {
        for (Cluster.Vip vip : context.target().cluster().vips()) {
            VipWatch watch = watch(vip);
            String wrong = awaitSteady(vip.master(), watch, watch.nowMs(), timeoutMs);
            if (wrong != null) {
                return wrong + " (expected " + vip.master() + ", the master, to serve " + vip.url() + ")";
            }
        }
        return null;
    }

    private VipWatch watch(Cluster.Vip vip) {
        VipWatch w = context.watches().get(vip);
        if (w == null) {
            throw new IllegalStateException("no poller for " + vip.url());
        }
        return w;
    }

    private static String vipsLine(Cluster cluster) {
        List<String> parts = new ArrayList<>();
        for (Cluster.Vip v : cluster.vips()) {
            parts.add(v.label() + " " + String.join(">", v.order()));
        }
        return String.join(", ", parts);
    }

    /**
     * For a drill interrupted (Ctrl-C) in the middle of a scenario: puts back what it changed on the master, over
     * {@code master}, a session of its own (the drill's thread may still be using its session). Every restore
     * command is harmless when repeated, so racing the drill's own restore does no damage.
     */
    public void restoreAfterInterrupt(RemoteHost master) {
        Scenario scenario = running;
        if (scenario == null) {
            return;
        }
        out.println("-- interrupted during " + scenario.label() + ": putting " + master.name() + " back");
        Scenario.Context c = new Scenario.Context(context.target(), master, context.backup(), context.power(),
                context.watch());
        try {
            for (String host : context.power().off()) {
                context.power().on(host.equals(master.name()) ? master : context.host(host));
            }
            scenario.restore(c);
            out.println("-- " + master.name() + " restored (nginx started" + (scenario == Scenario.BREAK_NGINX
                    ? ", " + Scenario.BREAK_FILE + " removed" : "") + ")");
        } catch (DrillException e) {
            out.println("-- could not restore " + master.name() + ": " + e.getMessage() + "; check it by hand");
        }
        out.flush();
    }

    /** After the steps: power on every host a step left off, then start the master's services. */
    private void restore(Scenario scenario) throws DrillException {
        for (String host : context.target().cluster().hosts()) {
            if (context.power().isOff(host)) {
                out.println("-- restore: power " + host + " on");
                context.power().on(context.host(host));
            }
        }
        scenario.restore(context);
    }

    private static String join(String first, String second) {
        return first == null ? second : first + "; " + second;
    }

    /**
     * Waits until {@code host} answered every request of the last {@link #STEADY_MS} after {@code fromMs};
     * returns null then, or what was seen last when {@code timeoutMs} ran out.
     */
    private String awaitSteady(String host, VipWatch watch, double fromMs, long timeoutMs)
            throws InterruptedException {
        double deadline = fromMs + timeoutMs;
        while (true) {
            double now = watch.nowMs();
            if (now - fromMs >= STEADY_MS) {
                List<Poller.Sample> window = watch.since(now - STEADY_MS);
                if (!window.isEmpty() && window.stream().allMatch(s -> host.equals(s.server()))) {
                    return null;
                }
                if (now >= deadline) {
                    String last = lastServer(window);
                    return last == null ? "nobody answers" : "the VIP is served by " + last;
                }
            }
            watch.pause(50);
        }
    }

    private static String lastServer(List<Poller.Sample> samples) {
        for (int i = samples.size() - 1; i >= 0; i--) {
            if (samples.get(i).ok()) {
                return samples.get(i).server();
            }
        }
        return null;
    }
}
