package io.nginxha.drill;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs scenarios against the pair: checks the master serves, runs each step while the VIP is polled, waits until
 * the expected host serves steadily (or the step's time runs out), measures the step, and leaves the pair as found.
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
        out.println("== " + scenario.label() + " on " + context.target().url() + " (master " + master
                + ", backup " + context.backup().name() + ")");
        if (!confirmed && !operator.confirm("This is a production inventory. The drill will "
                + scenario.danger(context) + ". Go on?")) {
            return new ScenarioResult(scenario.label(), false, List.of(),
                    "not confirmed by the operator (--yes runs without asking)", true);
        }
        String ready = awaitSteady(master, context.watch().nowMs(), READY_TIMEOUT_MS);
        if (ready != null) {
            return new ScenarioResult(scenario.label(), false, List.of(),
                    "before the scenario: " + ready + " (expected " + master + ", the master, to serve "
                            + context.target().url() + ")", false);
        }
        running = scenario;
        List<StepResult> steps = new ArrayList<>();
        String error = null;
        boolean aborted = false;
        try {
            for (Scenario.Step step : scenario.steps(context)) {
                StepResult r = runStep(step);
                steps.add(r);
                TextReport.step(r, out);
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
        String notServing = awaitSteady(master, context.watch().nowMs(), READY_TIMEOUT_MS);
        if (notServing != null) {
            error = join(error, "after the scenario, " + notServing + " instead of " + master);
        }
        boolean ok = error == null && steps.stream().allMatch(StepResult::ok);
        return new ScenarioResult(scenario.label(), ok, List.copyOf(steps), error, aborted);
    }

    private StepResult runStep(Scenario.Step step) throws DrillException, InterruptedException {
        VipWatch watch = context.watch();
        double start = watch.nowMs();
        List<Poller.Sample> recent = watch.since(start - 1000);
        String before = lastServer(recent);
        Poller.Sample previous = recent.isEmpty() ? null : recent.get(recent.size() - 1);
        out.println("-- " + step.name() + " (expected: " + step.expected() + " serves"
                + (step.expectation() == StepResult.Expectation.STAYS ? " throughout" : "") + ")");
        List<String> problems = new ArrayList<>(step.action().run());
        String notSteady = awaitSteady(step.expected(), watch.nowMs(), step.timeoutMs());
        if (notSteady != null) {
            problems.add(step.expected() + " did not serve steadily within " + step.timeoutMs() / 1000 + " s ("
                    + notSteady + ")");
        }
        return StepResult.of(step.name(), step.expected(), step.expectation(), before, previous, start,
                watch.since(start), problems);
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
            if (context.power().isOff(master.name())) {
                context.power().on(master);
            }
            scenario.restore(c);
            out.println("-- " + master.name() + " restored (nginx started" + (scenario == Scenario.BREAK_NGINX
                    ? ", " + Scenario.BREAK_FILE + " removed" : "") + ")");
        } catch (DrillException e) {
            out.println("-- could not restore " + master.name() + ": " + e.getMessage() + "; check it by hand");
        }
        out.flush();
    }

    /** After the steps: power the master on if a step left it off, then start its services. */
    private void restore(Scenario scenario) throws DrillException {
        if (context.power().isOff(context.master().name())) {
            out.println("-- restore: power " + context.master().name() + " on");
            context.power().on(context.master());
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
    private String awaitSteady(String host, double fromMs, long timeoutMs) throws InterruptedException {
        VipWatch watch = context.watch();
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
