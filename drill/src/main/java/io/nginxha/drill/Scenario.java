package io.nginxha.drill;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The seed's manual test as three scenarios, and two for clusters, each a list of {@link Step}s saying which hosts
 * are out after each (so which host must serve each VIP: {@link Cluster.Vip#expected}), and what puts the hosts
 * back as they were found (run whatever happened).
 */
public enum Scenario {
    /** nginx stopped on the master: the daemon's check starts it again, the VIP never moves. */
    STOP_NGINX,
    /** nginx stopped and unable to start: the backup serves; repaired: the master serves again. */
    BREAK_NGINX,
    /** the master powered off: the backup serves; powered on: the master preempts. */
    POWER_OFF,
    /**
     * Three hosts or more on the main VIP: its master powered off, then the host that took over: each time the
     * next priority serves; powered on again, the master preempts and the second host's return changes nothing.
     */
    CASCADE,
    /**
     * Active-active: each host in turn powered off and on; only the VIPs it held move (to their next priority)
     * and back, and every other VIP never stops answering.
     */
    ISOLATE;

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

    /**
     * One step: its action, the hosts it acts on, and the hosts out of service once it is done (down, or unable
     * to serve); each VIP is then expected to be served by the first of its order not out, within {@code timeoutMs}.
     */
    public record Step(String name, Set<String> touched, Set<String> out, long timeoutMs, Action action) { }

    /**
     * The hosts, how to power them, and what is seen of each VIP.
     *
     * @param watch   the main VIP's requests and the clock a step's waits run on
     * @param hosts   every host by name (the master and the backup among them)
     * @param watches every VIP's requests, the main one's {@code watch} among them
     */
    public record Context(DrillTarget target, RemoteHost master, RemoteHost backup, PowerSwitch power,
                          VipWatch watch, Map<String, RemoteHost> hosts, Map<Cluster.Vip, VipWatch> watches) {

        /** The seed's pair: its two hosts, its one VIP. */
        public Context(DrillTarget target, RemoteHost master, RemoteHost backup, PowerSwitch power, VipWatch watch) {
            this(target, master, backup, power, watch, pairHosts(master, backup),
                    Map.of(target.cluster().main(), watch));
        }

        public RemoteHost host(String name) {
            RemoteHost h = hosts.get(name);
            if (h == null) {
                throw new IllegalArgumentException("no session to host " + name);
            }
            return h;
        }

        private static Map<String, RemoteHost> pairHosts(RemoteHost master, RemoteHost backup) {
            Map<String, RemoteHost> m = new LinkedHashMap<>();
            m.put(master.name(), master);
            m.put(backup.name(), backup);
            return m;
        }
    }

    /** The command-line name: stop-nginx, break-nginx, power-off. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Why this scenario cannot run on {@code cluster}, or null when it can. */
    public String notApplicable(Cluster cluster) {
        return switch (this) {
            case CASCADE -> cluster.main().order().size() >= 3 ? null : "cascade needs three hosts on the VIP "
                    + cluster.main().label() + " (it has " + String.join(", ", cluster.main().order()) + ")";
            case ISOLATE -> cluster.vips().size() >= 2 ? null : "isolate needs an active-active inventory, two VIPs "
                    + "or more (it has " + cluster.main().label() + " only)";
            default -> null;
        };
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
            case CASCADE -> "power off " + m + ", then " + c.backup().name() + " (" + c.power().describe("{host}")
                    + "), then both on again";
            case ISOLATE -> "power each of " + String.join(", ", c.target().cluster().hosts()) + " off and on in "
                    + "turn (" + c.power().describe("{host}") + ")";
        };
    }

    public List<Step> steps(Context c) {
        String m = c.master().name();
        Set<String> none = Set.of();
        Set<String> master = Set.of(m);
        return switch (this) {
            case STOP_NGINX -> List.of(new Step("stop nginx on " + m, master, none, MOVE_TIMEOUT_MS, () -> {
                String before = nginxState(c)[1];
                List<String> problems = new ArrayList<>(expectOk(c.master(), STOP_NGINX_COMMAND));
                if (!awaitNginxRestarted(c, before)) {
                    problems.add("nginx on " + m + " was not active again within " + NGINX_RESTART_WAIT_MS / 1000
                            + " s (the VRRP daemon's check did not start it)");
                }
                return problems;
            }));
            case BREAK_NGINX -> List.of(
                    new Step("break nginx on " + m, master, master, MOVE_TIMEOUT_MS, () -> expectOk(c.master(),
                            "printf 'drill_breaks_nginx_on_purpose;\\n' > " + BREAK_FILE + " && " + STOP_NGINX_COMMAND)),
                    new Step("repair nginx on " + m, master, none, MOVE_TIMEOUT_MS,
                            () -> expectOk(c.master(), repairCommand(c))));
            case POWER_OFF -> List.of(powerOff(c, m, master), powerOn(c, m, none));
            case CASCADE -> {
                String second = c.target().cluster().main().order().get(1);
                yield List.of(powerOff(c, m, master), powerOff(c, second, Set.of(m, second)),
                        powerOn(c, m, Set.of(second)), powerOn(c, second, none));
            }
            case ISOLATE -> {
                List<Step> steps = new ArrayList<>();
                for (String h : c.target().cluster().hosts()) {
                    steps.add(powerOff(c, h, Set.of(h)));
                    steps.add(powerOn(c, h, none));
                }
                yield List.copyOf(steps);
            }
        };
    }

    private static Step powerOff(Context c, String host, Set<String> out) {
        return new Step("power off " + host, Set.of(host), out, MOVE_TIMEOUT_MS, () -> {
            c.power().off(c.host(host));
            return List.of();
        });
    }

    private static Step powerOn(Context c, String host, Set<String> out) {
        return new Step("power on " + host, Set.of(host), out, POWER_ON_TIMEOUT_MS, () -> {
            c.power().on(c.host(host));
            return List.of();
        });
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
