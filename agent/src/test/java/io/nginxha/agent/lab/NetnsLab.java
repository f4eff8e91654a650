package io.nginxha.agent.lab;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nginxha.drill.Summary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private copy of the namespace lab for one test: the repository's {@code scripts/nslab} plumbing with a unique prefix,
 * so tests never meet each other or a lab an operator left running. Closing it removes everything it made.
 */
public final class NetnsLab implements AutoCloseable {
    public static final String VIP = "192.168.16.130";
    /** The repository's root (where scripts/nslab and ./lab live). */
    static final Path REPO = findRepo();
    private static int counter;

    private final String prefix;
    private final Path dir;
    private final List<String> hosts;
    private final List<Process> children = new ArrayList<>();

    private NetnsLab(String prefix, Path dir, List<String> hosts) {
        this.prefix = prefix;
        this.dir = dir;
        this.hosts = List.copyOf(hosts);
    }

    /** Namespaces, bridge and nginx on both hosts; skipped (not failed) when not root. */
    public static NetnsLab start() throws IOException {
        return start(List.of("ha1", "ha2"));
    }

    /** The same with {@code hosts} (ha1..ha5, scripts/nslab's LAB_HOSTS): a cluster beyond the pair. */
    public static NetnsLab start(List<String> hosts) throws IOException {
        assumeTrue("0".equals(run(List.of("id", "-u")).strip()), "namespace tests need root");
        String prefix = "t" + ProcessHandle.current().pid() % 100000 + "x" + (counter++);
        Path dir = Files.createTempDirectory("nha-lab-");
        NetnsLab lab = new NetnsLab(prefix, dir, hosts);
        Runtime.getRuntime().addShutdownHook(new Thread(lab::closeQuietly));
        try {
            lab.lab("net-up");
            for (String host : hosts) {
                lab.lab("nginx-start", host);
            }
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    public Path dir() {
        return dir;
    }

    /** Writes a config file for a host and returns its path. */
    public Path config(String host, String name, String text) throws IOException {
        Path file = dir.resolve(host).resolve(name);
        Files.writeString(file, text);
        return file;
    }

    public void agent(String host, Path config) throws IOException {
        lab("agent-start", host, config.toString());
    }

    public void keepalived(String host, Path config) throws IOException {
        lab("keepalived-start", host, config.toString());
    }

    public void stop(String host, String service) throws IOException {
        lab("stop", host, service);
    }

    public void powerOff(String host) throws IOException {
        lab("poweroff", host);
    }

    public void powerOn(String host) throws IOException {
        lab("poweron", host);
        lab("nginx-start", host);
    }

    /** Who holds the VIP: ha1, ha2, none or both. */
    public String holder() throws IOException {
        return lab("holder").strip();
    }

    /** Who holds {@code vip} (e.g. the IPv6 VIP of a dual-stack pair). */
    public String holder(String vip) throws IOException {
        return withVip(vip, "holder").strip();
    }

    /** Waits until the client gets {@code host}'s page from {@code vip}, which may be an IPv6 address. */
    public void waitServing(String vip, String host, int seconds) throws IOException {
        withVip(vip, "wait-serving", host, Integer.toString(seconds));
    }

    private String withVip(String vip, String... args) throws IOException {
        vipOverride = vip;
        try {
            return lab(args);
        } finally {
            vipOverride = null;
        }
    }

    private String vipOverride;
    private String devOverride;

    // ---- the second network (scripts/nslab second-net-up): eth1 on every host, bridge br1, 192.168.17.0/24 ----

    /** The VIP the two-interface tests put on the second network. */
    public static final String VIP_1 = "192.168.17.130";

    /** A second switch and an eth1 on ha1, ha2 and the client (192.168.17.128, .129, .200). */
    public void secondNet() throws IOException {
        lab("second-net-up");
    }

    /** Who holds {@code vip} on {@code dev} (eth1 for {@link #VIP_1}): ha1, ha2, none or both. */
    public String holder(String vip, String dev) throws IOException {
        devOverride = dev;
        try {
            return holder(vip);
        } finally {
            devOverride = null;
        }
    }

    /** Pulls ({@code up} false) or plugs back {@code host}'s cable on {@code dev} at the switch. */
    public void cable(String host, String dev, boolean up) throws IOException {
        lab("cable", host, dev, up ? "up" : "down");
    }

    /** Waits until the client gets {@code host}'s page from the VIP; fails with the lab's explanation if not. */
    public void waitServing(String host, int seconds) throws IOException {
        lab("wait-serving", host, Integer.toString(seconds));
    }

    public String agentLog(String host) throws IOException {
        Path log = dir.resolve(host).resolve("agent.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /**
     * The seed pair: ha1 (MASTER, 100) started first and serving, then ha2 (BACKUP, 99) until it is backup.
     *
     * @param extra1 lines for ha1's instance block (LabConfigs.unicast...), extra2 the same for ha2
     */
    public void startPair(String extra1, String extra2) throws IOException, InterruptedException {
        agent("ha1", config("ha1", "keepalived.conf", LabConfigs.seed("MASTER", 100, 2, "1", extra1)));
        waitServing("ha1", 20);
        agent("ha2", config("ha2", "keepalived.conf", LabConfigs.seed("BACKUP", 99, 2, "1", extra2)));
        awaitState("ha2", "BACKUP", 20);
    }

    // ---- faults (scripts/nslab's fault verbs) ----

    /** Cuts ha1 from ha2 at the switch; the client still reaches both. */
    public void partition() throws IOException {
        lab("partition", "ha1", "ha2");
    }

    public void heal() throws IOException {
        lab("heal");
    }

    /** Pulls {@code host}'s cable {@code times} times, {@code periodSec} down then {@code periodSec} up. */
    public void linkFlap(String host, int times, double periodSec) throws IOException {
        lab("link-flap", host, Integer.toString(times), Double.toString(periodSec));
    }

    /** {@code verb} is kill9, freeze or thaw: SIGKILL, SIGSTOP or SIGCONT to {@code host}'s {@code service}. */
    public void signal(String verb, String host, String service) throws IOException {
        lab(verb, host, service);
    }

    /** The agent's /status JSON, from inside {@code host} (the endpoint listens on its loopback). */
    public String status(String host) throws IOException {
        return lab("exec", host, "curl", "-sf", "--max-time", "2", "http://127.0.0.1:9650/status");
    }

    /** VI_1's state per /status, or "DOWN" when the endpoint does not answer (agent stopped, killed, frozen). */
    public String state(String host) {
        return state(host, "VI_1");
    }

    /** The state of {@code instance} per /status, or "DOWN" as {@link #state(String)}. */
    public String state(String host, String instance) {
        try {
            return instanceStatus(host, instance).get("state") instanceof String state ? state : "DOWN";
        } catch (IOException e) {
            return "DOWN";
        }
    }

    /** A number field of VI_1 in /status, e.g. "transitions" or "adverts_sent". */
    public long statusNumber(String host, String field) throws IOException {
        Map<?, ?> instance = instanceStatus(host);
        if (!(instance.get(field) instanceof Double number)) {
            throw new IOException("no number " + field + " in " + host + "'s status of VI_1: " + instance);
        }
        return number.longValue();
    }

    /** VI_1's object in {@code host}'s /status (the lab's configs have that one instance). */
    private Map<?, ?> instanceStatus(String host) throws IOException {
        return instanceStatus(host, "VI_1");
    }

    /** {@code name}'s object in {@code host}'s /status. */
    public Map<?, ?> instanceStatus(String host, String name) throws IOException {
        String json = status(host);
        Object document;
        try {
            document = MiniJson.parse(json);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            // MiniJson runs off the end of a body cut short.
            throw new IOException(host + "'s status is not JSON (" + e.getMessage() + "): " + json, e);
        }
        if (document instanceof Map<?, ?> fields && fields.get("instances") instanceof List<?> instances) {
            for (Object instance : instances) {
                if (instance instanceof Map<?, ?> i && name.equals(i.get("name"))) {
                    return i;
                }
            }
        }
        throw new IOException("no instance " + name + " in " + host + "'s status: " + json);
    }

    /** Waits until {@code host}'s instance {@code name} is in {@code state} (for labs with other instances than VI_1). */
    public void awaitState(String host, String name, String state, double seconds) throws IOException,
            InterruptedException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        String last;
        do {
            last = state(host, name);
            if (last.equals(state)) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < end);
        throw new AssertionError(host + "'s " + name + " not " + state + " within " + seconds + " s (last " + last
                + ")\n" + agentLog(host));
    }

    /** Waits until {@code host}'s instance is in {@code state}; returns the seconds it took. */
    public double awaitState(String host, String state, double seconds) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        String last;
        do {
            last = state(host);
            if (last.equals(state)) {
                return (System.nanoTime() - start) / 1e9;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < end);
        throw new AssertionError(host + " not " + state + " within " + seconds + " s (last " + last + ", holder "
                + holder() + ")\n" + agentLog(host));
    }

    public String metrics(String host) throws IOException {
        return lab("exec", host, "curl", "-sf", "--max-time", "2", "http://127.0.0.1:9650/metrics");
    }

    /** The sum of the samples of {@code name} whose labels contain {@code labels} (e.g. {@code reason="ttl"}). */
    public static long metric(String metricsText, String name, String labels) {
        return metricsText.lines().filter(l -> l.startsWith(name + "{") && l.contains(labels))
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** One more namespace on the lab's bridge, "attacker" 192.168.16.66, for hostile-packet tests. */
    public void attacker() throws IOException {
        lab("attacker-up");
    }

    /** The MAC address of {@code host}'s eth0. */
    public String mac(String host) throws IOException {
        return lab("exec", host, "cat", "/sys/class/net/eth0/address").strip();
    }

    /**
     * Starts a Java main of the tests (with the agent jar on the class path) inside one of the lab's namespaces
     * ({@code sw} for the switch); stdout and stderr go to {@code out}, or with {@code out} null stdout stays a
     * pipe to read and stderr goes to ours. Stopped when the lab closes.
     */
    public Process java(String namespace, Class<?> main, Path out, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", prefix + "-" + namespace,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:TieredStopAtLevel=1", "-cp", testClasses() + ":" + jar(), main.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (out == null) {
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        } else {
            pb.redirectErrorStream(true).redirectOutput(out.toFile());
        }
        Process p = pb.start();
        children.add(p);
        return p;
    }

    private static Path testClasses() {
        try {
            return Path.of(NetnsLab.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts the client poller on the VIP (every 10 ms) and the {@link VipObserver} beside it; {@link Poll#stop()}
     * returns the poller's summary, then {@link Poll#check} judges the whole client history.
     */
    public Poll poll() throws IOException {
        return poll(VIP);
    }

    /** The same on another VIP (an IPv4 address): one poller per VIP of an active-active pair. */
    public Poll poll(String vip) throws IOException {
        Path log = dir.resolve("client").resolve("poll-" + children.size() + ".log");
        Path out = dir.resolve("client").resolve("poll-" + children.size() + ".out");
        VipObserver observer = VipObserver.start(prefix, vip, dir.resolve("client").resolve("observer-"
                + children.size()));
        children.addAll(observer.processes());
        Process p = new ProcessBuilder("ip", "netns", "exec", prefix + "-client", "java", "-Xmx32m",
                "-XX:TieredStopAtLevel=1", "-cp", drillJar().toString(), "io.nginxha.drill.Poller",
                "http://" + vip + "/", "--period-ms", "10", "--timeout-ms", "20", "--log", log.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        children.add(p);
        return new Poll(p, out, log, observer);
    }

    /** A running poller, and the observer of the VIP's holders beside it. */
    public static final class Poll {
        /** How far apart the poller's and the monitors' records may be and still be the same instant. */
        private static final double TOLERANCE_MS = 30;
        private final Process process;
        private final Path out;
        private final Path log;
        private final VipObserver observer;
        private ClientHistory history;

        Poll(Process process, Path out, Path log, VipObserver observer) {
            this.process = process;
            this.out = out;
            this.log = log;
            this.observer = observer;
        }

        /** SIGTERM (Process.destroy would also close its streams), then the summary the poller prints on exit. */
        public Summary stop() throws IOException {
            process.toHandle().destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IOException("poller did not stop");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            VipObserver.Records seen = observer.stop();
            String text = Files.readString(out);
            String line = text.lines().filter(l -> l.startsWith("requests=")).reduce((a, b) -> b)
                    .orElseThrow(() -> new IOException("poller printed no summary: " + text));
            history = new ClientHistory(ClientHistory.parsePollerLog("client", Files.readAllLines(log)),
                    seen.ownership(), seen.neighbours(), seen.macs());
            return parse(line);
        }

        /** What the client and the observer recorded; after {@link #stop}. */
        public ClientHistory history() {
            if (history == null) {
                throw new IllegalStateException("stop the poll first");
            }
            return history;
        }

        /**
         * The history checker's verdict on this poll (after {@link #stop}); {@code allowed} are the windows in which
         * the fault makes two holders legitimate (marked with {@link NetnsLab#now}).
         */
        public HistoryChecker.Report check(String fault, HistoryChecker.Window... allowed) {
            return check(fault, 0, allowed);
        }

        /** As {@link #check(String, HistoryChecker.Window...)}; two holders for up to {@code handoverMs} are a handover. */
        public HistoryChecker.Report check(String fault, double handoverMs, HistoryChecker.Window... allowed) {
            HistoryChecker.Report r = HistoryChecker.check(fault, history(), List.of(allowed), TOLERANCE_MS,
                    handoverMs);
            System.out.println("history " + r);
            return r;
        }

        static Summary parse(String line) {
            String[] f = line.split(" ");
            int requests = Integer.parseInt(f[0].substring("requests=".length()));
            int failed = Integer.parseInt(f[1].substring("failed=".length()));
            double outage = Double.parseDouble(f[2].substring("outage_ms=".length()));
            String served = f[3].substring("served=".length());
            int flaps = Integer.parseInt(f[4].substring("flaps=".length()));
            return new Summary(requests, failed, outage, served.equals("none") ? List.of()
                    : List.of(served.split(">")), flaps);
        }
    }

    /** Now on the history's clock (wall-clock ms), to mark a fault window. */
    public static double now() {
        return System.currentTimeMillis();
    }

    public String lab(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(REPO.resolve("scripts/nslab").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LAB_PREFIX", prefix);
        pb.environment().put("LAB_DIR", dir.toString());
        pb.environment().put("LAB_HOSTS", String.join(" ", hosts));
        pb.environment().put("AGENT_JAR", jar().toString());
        if (vipOverride != null) {
            pb.environment().put("LAB_VIP", vipOverride);
        }
        if (devOverride != null) {
            pb.environment().put("LAB_DEV", devOverride);
        }
        return run(pb);
    }

    private static String run(List<String> cmd) throws IOException {
        return run(new ProcessBuilder(cmd).redirectErrorStream(true));
    }

    /** Runs {@code pb} and returns its output; an exit status other than 0 is an IOException with that output. */
    static String run(ProcessBuilder pb) throws IOException {
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IOException(String.join(" ", pb.command()) + " exited " + rc + ": " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out;
    }

    static Path jar() {
        String configured = System.getProperty("agent.jar");
        return configured != null ? Path.of(configured) : REPO.resolve("agent/target/vrrp-agent.jar");
    }

    /** The drill's jar, where its Poller is (the agent's jar has no drill). */
    static Path drillJar() {
        String configured = System.getProperty("drill.jar");
        return configured != null ? Path.of(configured) : REPO.resolve("drill/target/nginx-ha-drill.jar");
    }

    private static Path findRepo() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("scripts/nslab"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find scripts/nslab above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    private volatile boolean closed;

    private void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            System.err.println("lab teardown: " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        children.forEach(Process::destroyForcibly);
        lab("net-down");
    }
}
