package io.nginxha.drill;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code nginx-ha-drill} (and {@code vrrp-agent drill}, which forwards here): reads the inventory, connects to
 * both hosts, polls the VIP and runs the scenarios, then writes report.json and report.html. Exit status 0 when
 * every step ended as expected, 1 when one did not, 2 on a usage, inventory or connection problem.
 */
public final class DrillCommand {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    static final String HELP = """
            usage: vrrp-agent drill -i INVENTORY_DIR [--url URL] [--user U] [--identity KEYFILE] [--report DIR]
                                    [--yes] [--poll-ms 10] [--power-off-command CMD] [--power-on-command CMD]
                                    [--debug] SCENARIO...
            SCENARIO is stop-nginx, break-nginx, power-off, cascade, isolate, or all (each that applies, in that
            order). cascade: three hosts or more on the main VIP, its master then the next powered off and on;
            isolate: two VIPs or more (active-active), each host powered off and on in turn.
            The drill polls every VIP of the inventory (as the vrrp_agent role renders it; --url replaces the main
            one) every 10 ms from here, runs each scenario's steps over SSH and the power commands, and checks that
            each VIP is served after each step by the host that should (the next priority, not any host).
            CMD is run here with {host} replaced by the inventory host name (e.g. "virsh destroy {host}").
            A production inventory (drill_environment, default production) asks before each scenario unless --yes.
            Exit status: 0 all steps as expected, 1 a step was not, 2 usage, inventory or connection problem.""";

    /** The parsed command line. */
    record Options(Path inventory, DrillTarget.Overrides overrides, Path report, boolean yes, long pollMs,
                   boolean debug, List<Scenario> scenarios, boolean all) { }

    private DrillCommand() { }

    /** The drill jar's entry point, run by the nginx-ha-drill launcher and by {@code vrrp-agent drill}. */
    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args);
        } catch (DrillException e) {
            err.println("vrrp-agent drill: " + e.getMessage());
            err.println(HELP);
            return USAGE;
        }
        if (options == null) {
            out.println(HELP);
            return OK;
        }
        if (options.debug()) {
            System.setProperty("vrrp.log.level", "DEBUG"); // read by logback.xml when the first logger is made
        }
        try {
            return drill(options, out);
        } catch (DrillException e) {
            err.println("vrrp-agent drill: " + e.getMessage());
            return USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("vrrp-agent drill: interrupted");
            return USAGE;
        }
    }

    /** Null for --help. */
    static Options parse(List<String> args) throws DrillException {
        Path inventory = null;
        Path report = null;
        URI url = null;
        String user = null;
        Path identity = null;
        String powerOff = null;
        String powerOn = null;
        boolean yes = false;
        boolean debug = false;
        boolean all = false;
        long pollMs = 10;
        List<Scenario> scenarios = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--yes" -> yes = true;
                case "--debug" -> debug = true;
                case "-i", "--inventory", "--url", "--user", "--identity", "--report", "--poll-ms",
                        "--power-off-command", "--power-on-command" -> {
                    if (i + 1 >= args.size()) {
                        throw new DrillException("option " + a + " needs a value");
                    }
                    String v = args.get(++i);
                    switch (a) {
                        case "--url" -> url = url(v);
                        case "--user" -> user = v;
                        case "--identity" -> identity = Path.of(v);
                        case "--report" -> report = Path.of(v);
                        case "--poll-ms" -> pollMs = pollMs(v);
                        case "--power-off-command" -> powerOff = v;
                        case "--power-on-command" -> powerOn = v;
                        default -> inventory = Path.of(v);
                    }
                }
                default -> {
                    if (a.equals("all")) {
                        all = true;
                        scenarios.addAll(List.of(Scenario.values()));
                    } else if (Scenario.parse(a) != null) {
                        scenarios.add(Scenario.parse(a));
                    } else {
                        throw new DrillException(a.startsWith("-") ? "unknown option '" + a + "'"
                                : "unknown scenario '" + a + "' (expected stop-nginx, break-nginx, power-off, cascade, "
                                + "isolate or all)");
                    }
                }
            }
        }
        if (inventory == null) {
            throw new DrillException("-i INVENTORY_DIR is required (e.g. -i inventory/production)");
        }
        if (scenarios.isEmpty()) {
            throw new DrillException("no SCENARIO given (stop-nginx, break-nginx, power-off, cascade, isolate or all)");
        }
        if (report == null) {
            report = Path.of("drill-report-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern(
                    "yyyyMMdd-HHmmss")));
        }
        return new Options(inventory, new DrillTarget.Overrides(url, user, identity, powerOff, powerOn), report,
                yes, pollMs, debug, List.copyOf(new java.util.LinkedHashSet<>(scenarios)), all);
    }

    private static int drill(Options o, PrintStream out) throws DrillException, InterruptedException {
        String started = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
        DrillTarget target = DrillTarget.from(InventoryReader.read(o.inventory()), o.overrides());
        List<Scenario> scenarios = new ArrayList<>();
        for (Scenario s : o.scenarios()) {
            String why = s.notApplicable(target.cluster());
            if (why == null) {
                scenarios.add(s);
            } else if (!o.all()) {
                throw new DrillException(why);
            }
        }
        o = new Options(o.inventory(), o.overrides(), o.report(), o.yes(), o.pollMs(), o.debug(),
                List.copyOf(scenarios), o.all());
        for (DrillTarget.HostAccess h : target.hosts()) {
            if (h.identity() == null || !Files.isReadable(h.identity())) {
                throw new DrillException("host " + h.name() + ": " + (h.identity() == null ? "no SSH key"
                        : "cannot read the SSH key " + h.identity())
                        + " (expected --identity KEYFILE or ansible_ssh_private_key_file in " + o.inventory() + ")");
            }
        }
        try {
            Files.createDirectories(o.report());
        } catch (IOException e) {
            throw new DrillException(o.report() + ": cannot create the report directory: " + e.getMessage(), e);
        }
        Path knownHosts = knownHosts(target, o.report());
        if (target.environment() != DrillTarget.Environment.PRODUCTION) {
            try {
                Files.deleteIfExists(knownHosts); // a report directory used again must not pin a rebuilt lab's keys
            } catch (IOException e) {
                throw new DrillException(knownHosts + ": cannot remove: " + e.getMessage(), e);
            }
        }
        List<String> polled = new ArrayList<>();
        target.cluster().vips().forEach(v -> polled.add(v.url() + " (" + String.join(" > ", v.order()) + ")"));
        out.println("drill: " + target.daemon().name().toLowerCase(Locale.ROOT) + " " + (target.hosts().size() == 2
                ? "pair " + target.master().name() + " (master) + " + target.backup().name()
                : target.hosts().size() + " hosts " + String.join(", ", target.cluster().hosts())) + ", "
                + target.environment().name().toLowerCase(Locale.ROOT) + " environment, polling "
                + String.join(", ", polled) + " every " + o.pollMs() + " ms; SSH host keys in " + knownHosts);
        Operator operator = Operator.terminal(out);
        Map<String, SshHost> sessions = new LinkedHashMap<>();
        Map<Cluster.Vip, VipWatch> watches = new LinkedHashMap<>();
        try {
            for (DrillTarget.HostAccess access : target.hosts()) {
                SshHost h = new SshHost(access, knownHosts);
                sessions.put(access.name(), h);
                RemoteHost.Result r = h.run("true");
                if (!r.ok()) {
                    throw new DrillException("host " + h.name() + ": cannot run commands as root (exit " + r.exit()
                            + "): " + r.output().strip() + " (expected root login or passwordless sudo)");
                }
            }
            for (Cluster.Vip vip : target.cluster().vips()) {
                watches.put(vip, Poller.start(vip.url(), o.pollMs(), 20));
            }
            return drill(o, target, new LinkedHashMap<>(sessions), watches, operator, started, knownHosts, out);
        } finally {
            watches.values().forEach(w -> ((Poller) w).close());
            sessions.values().forEach(SshHost::close);
        }
    }

    /** Runs the scenarios with both hosts reachable and the VIP polled, then writes the report. */
    private static int drill(Options o, DrillTarget target, Map<String, RemoteHost> hosts,
                             Map<Cluster.Vip, VipWatch> watches, Operator operator, String started, Path knownHosts,
                             PrintStream out) throws DrillException, InterruptedException {
        PowerSwitch power = new PowerSwitch(target.powerOff(), target.powerOn(), PowerSwitch::runLocally, operator);
        Scenario.Context context = new Scenario.Context(target, hosts.get(target.master().name()),
                hosts.get(target.backup().name()), power, watches.get(target.cluster().main()), hosts, watches);
        boolean confirmed = o.yes() || target.environment() != DrillTarget.Environment.PRODUCTION;
        DrillRunner runner = new DrillRunner(context, operator, confirmed, out);
        // Ctrl-C in the middle of break-nginx must not leave the master unable to serve.
        Thread onInterrupt = new Thread(() -> {
            try (SshHost own = new SshHost(target.master(), knownHosts)) {
                runner.restoreAfterInterrupt(own);
            }
        }, "drill-restore");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        List<ScenarioResult> results;
        try {
            results = runner.run(o.scenarios());
        } finally {
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
        }
        DrillReport report = new DrillReport(target.daemon().name().toLowerCase(Locale.ROOT),
                o.inventory().toString(), target.url().toString(), started, results);
        write(o.report(), report);
        out.println("drill: " + (report.ok() ? "OK" : "FAILED") + "; report: "
                + o.report().resolve("report.html").toAbsolutePath() + " (and report.json)");
        if (report.aborted()) {
            return USAGE;
        }
        return report.ok() ? OK : FAILED;
    }

    /**
     * Lab and Vagrant hosts are rebuilt with new host keys at the same addresses, so their keys are trusted for
     * this run only (a file in the report directory, emptied at the start); a production host's key is the operator's own trust
     * (~/.ssh/known_hosts, shared with ssh): new keys are added, a changed key is refused as ssh would.
     */
    static Path knownHosts(DrillTarget target, Path reportDir) {
        return target.environment() == DrillTarget.Environment.PRODUCTION
                ? Path.of(System.getProperty("user.home"), ".ssh", "known_hosts")
                : reportDir.resolve("known_hosts");
    }

    private static void write(Path dir, DrillReport report) throws DrillException {
        try {
            Files.writeString(dir.resolve("report.json"), ReportJson.write(report));
            Files.writeString(dir.resolve("report.html"), Html.write(report));
        } catch (IOException e) {
            throw new DrillException(dir + ": cannot write the report: " + e.getMessage(), e);
        }
    }

    private static URI url(String v) throws DrillException {
        try {
            URI u = URI.create(v);
            if (!"http".equals(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new DrillException("--url '" + v + "' is not an http:// URL with a host");
        }
    }

    private static long pollMs(String v) throws DrillException {
        try {
            long ms = Long.parseLong(v);
            if (ms >= 1 && ms <= 1000) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new DrillException("--poll-ms '" + v + "' is not a period in milliseconds (1..1000)");
    }
}
