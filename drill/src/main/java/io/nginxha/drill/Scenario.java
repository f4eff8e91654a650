package io.nginxha.drill;

import io.nginxha.drill.StepResult.Expectation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The seed's manual test as three scenarios, each a list of {@link Step}s with the host expected to serve after
 * each, and what puts the pair back as it was found (run whatever happened).
 */
public enum Scenario {
    /** nginx stopped on the master: the daemon's check starts it again, the VIP never moves. */
    STOP_NGINX,
    /** nginx stopped and unable to start: the backup serves; repaired: the master serves again. */
    BREAK_NGINX,
    /** the master powered off: the backup serves; powered on: the master preempts. */
    POWER_OFF;

    /** A file nginx refuses (an unknown directive) inside the http block's conf.d include. */
    static final String BREAK_FILE = "/etc/nginx/conf.d/zz-drill-break.conf";
    /**
     * --no-block: the VRRP daemon's check may start nginx while systemd still runs the stop job (nginx already
     * gone, the job not yet done); that start cancels the stop job, and a waiting systemctl would then report
     * "Job for nginx.service canceled" and fail the step although nginx did stop. CI's LabDrillsIT met it.
     */
    static final String STOP_NGINX_COMMAND = "systemctl stop --no-block nginx";
    static final String NGINX_STATE_COMMAND = "systemctl is-active nginx; systemctl show -p MainPID --value nginx";
    static final long NGINX_RESTART_WAIT_MS = 30_000;
    static final long MOVE_TIMEOUT_MS = 60_000;
    static final long POWER_ON_TIMEOUT_MS = 300_000;

    /** What a step does; returns the problems it saw (empty when it did its part). */
    @FunctionalInterface
    public interface Action {
        List<String> run() throws DrillException, InterruptedException;
    }

    /** One step: its action and the host expected to serve once it settled (within {@code timeoutMs}). */
    public record Step(String name, String expected, Expectation expectation, long timeoutMs, Action action) { }

    /** The hosts, how to power the master and the clock a step's waits run on. */
    public record Context(DrillTarget target, RemoteHost master, RemoteHost backup, PowerSwitch power,
                          VipWatch watch) { }

    /** The command-line name: stop-nginx, break-nginx, power-off. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Scenario parse(String label) {
        for (Scenario s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        return null;
    }

    /** What the scenario will do to the pair, in the words of the production confirmation question. */
    public String danger(Context c) {
        String m = c.master().name();
        return switch (this) {
            case STOP_NGINX -> "stop nginx on " + m + " (the VRRP daemon should start it again)";
            case BREAK_NGINX -> "make nginx on " + m + " unable to start (" + BREAK_FILE
                    + "), then repair it: the VIP moves to " + c.backup().name() + " and back";
            case POWER_OFF -> c.power().describe(m) + ": the VIP moves to " + c.backup().name() + " and back";
        };
    }

    public List<Step> steps(Context c) {
        String m = c.master().name();
        String b = c.backup().name();
        return switch (this) {
            case STOP_NGINX -> List.of(new Step("stop nginx on " + m, m, Expectation.STAYS, MOVE_TIMEOUT_MS, () -> {
                String before = nginxState(c)[1];
                List<String> problems = new ArrayList<>(expectOk(c.master(), STOP_NGINX_COMMAND));
                if (!awaitNginxRestarted(c, before)) {
                    problems.add("nginx on " + m + " was not active again within " + NGINX_RESTART_WAIT_MS / 1000
                            + " s (the VRRP daemon's check did not start it)");
                }
                return problems;
            }));
            case BREAK_NGINX -> List.of(
                    new Step("break nginx on " + m, b, Expectation.MOVES, MOVE_TIMEOUT_MS, () -> expectOk(c.master(),
                            "printf 'drill_breaks_nginx_on_purpose;\\n' > " + BREAK_FILE + " && " + STOP_NGINX_COMMAND)),
                    new Step("repair nginx on " + m, m, Expectation.MOVES, MOVE_TIMEOUT_MS,
                            () -> expectOk(c.master(), repairCommand(c))));
            case POWER_OFF -> List.of(
                    new Step("power off " + m, b, Expectation.MOVES, MOVE_TIMEOUT_MS, () -> {
                        c.power().off(c.master());
                        return List.of();
                    }),
                    new Step("power on " + m, m, Expectation.MOVES, POWER_ON_TIMEOUT_MS, () -> {
                        c.power().on(c.master());
                        return List.of();
                    }));
        };
    }

    /**
     * Puts the master back as found after the steps, whatever they did: break file gone, nginx (and keepalived,
     * which the seed's check script kills) running. A host the steps powered off and did not power on again is
     * powered on by the runner before this.
     */
    public void restore(Context c) throws DrillException {
        String command = this == BREAK_NGINX ? repairCommand(c) : startCommand(c);
        RemoteHost.Result r = c.master().run(command);
        if (!r.ok()) {
            throw new DrillException(c.master().name() + ": '" + command + "' failed (exit " + r.exit() + "): "
                    + r.output().strip());
        }
    }

    private static String repairCommand(Context c) {
        return "rm -f " + BREAK_FILE + " && " + startCommand(c);
    }

    private static String startCommand(Context c) {
        return "systemctl start nginx"
                + (c.target().daemon() == DrillTarget.Daemon.KEEPALIVED ? " && systemctl start keepalived" : "");
    }

    private static List<String> expectOk(RemoteHost host, String command) throws DrillException {
        RemoteHost.Result r = host.run(command);
        return r.ok() ? List.of() : List.of(host.name() + ": '" + command + "' failed (exit " + r.exit() + ")"
                + (r.output().isBlank() ? "" : ": " + r.output().strip()));
    }

    /** Active again under a new main process: the stop did happen (it does not wait) and nginx was started. */
    private static boolean awaitNginxRestarted(Context c, String pidBefore) throws DrillException,
            InterruptedException {
        double deadline = c.watch().nowMs() + NGINX_RESTART_WAIT_MS;
        while (c.watch().nowMs() < deadline) {
            String[] state = nginxState(c);
            if (state[0].equals("active") && !state[1].equals(pidBefore) && !state[1].equals("0")) {
                return true;
            }
            c.watch().pause(200);
        }
        return false;
    }

    /** nginx's ActiveState word and MainPID, as systemd reports them on the master. */
    private static String[] nginxState(Context c) throws DrillException {
        String[] lines = c.master().run(NGINX_STATE_COMMAND).output().strip().split("\\s+");
        return new String[] {lines[0], lines.length > 1 ? lines[1] : ""};
    }
}
