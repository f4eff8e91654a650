package io.nginxha.agent.lab;

import io.nginxha.agent.lab.ClientHistory.Neighbour;
import io.nginxha.agent.lab.ClientHistory.Ownership;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Records, for {@link HistoryChecker}, when each lab host gains and loses the VIP and where the client's neighbour
 * table sends it: one {@code ip -ts -o monitor} per namespace (netlink events, so nothing is missed between samples
 * and nothing is forked per sample), after a first snapshot of each. Stopped, it returns the records on the wall
 * clock the Poller's log uses.
 */
final class VipObserver {
    private static final String[] HOSTS = {"ha1", "ha2"};

    private final String prefix;
    private final String vip;
    private final Path dir;
    private final List<Process> monitors = new ArrayList<>();
    private final List<Ownership> ownership = new ArrayList<>();
    private final List<Neighbour> neighbours = new ArrayList<>();
    private final Map<String, String> macs = new LinkedHashMap<>();

    private VipObserver(String prefix, String vip, Path dir) {
        this.prefix = prefix;
        this.vip = vip;
        this.dir = dir;
    }

    /** Starts watching; the monitors run until {@link #stop}. */
    static VipObserver start(String prefix, String vip, Path dir) throws IOException {
        VipObserver o = new VipObserver(prefix, vip, dir);
        Files.createDirectories(dir);
        for (String host : HOSTS) {
            o.monitor(host, "address");
            o.macs.put(host, o.ip(host, "-o", "link", "show", "dev", "eth0").replaceAll("(?s).*link/ether (\\S+).*",
                    "$1").strip().toLowerCase(Locale.ROOT));
        }
        o.monitor("client", "neigh");
        try {
            Thread.sleep(100); // the monitors subscribe before the snapshots, so no change falls between the two
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String host : HOSTS) {
            double now = System.currentTimeMillis();
            boolean holds = o.ip(host, "-o", "addr", "show", "dev", "eth0").contains(" " + vip + "/");
            o.ownership.add(new Ownership(now, host, holds));
        }
        double now = System.currentTimeMillis();
        String entry = o.ip("client", "neigh", "show", vip).strip();
        o.neighbours.add(new Neighbour(now, "client", ClientHistory.macOf(entry)));
        return o;
    }

    private void monitor(String namespace, String what) throws IOException {
        Path out = dir.resolve("monitor-" + namespace + "-" + what + ".log");
        monitors.add(new ProcessBuilder("ip", "-ts", "-o", "-n", prefix + "-" + namespace, "monitor", what)
                .redirectErrorStream(true).redirectOutput(out.toFile()).start());
    }

    private String ip(String namespace, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", prefix + "-" + namespace));
        cmd.addAll(List.of(args));
        return NetnsLab.run(new ProcessBuilder(cmd).redirectErrorStream(true));
    }

    /** The monitor processes, for the lab to stop if the test ends before {@link #stop}. */
    List<Process> processes() {
        return List.copyOf(monitors);
    }

    /** Stops the monitors and returns what they and the snapshots saw. */
    Records stop() throws IOException {
        for (Process p : monitors) {
            p.destroy();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ZoneId zone = ZoneId.systemDefault();
        List<Ownership> own = new ArrayList<>(ownership);
        for (String host : HOSTS) {
            own.addAll(ClientHistory.parseAddressMonitor(host, vip,
                    Files.readAllLines(dir.resolve("monitor-" + host + "-address.log")), zone));
        }
        List<Neighbour> neigh = new ArrayList<>(neighbours);
        neigh.addAll(ClientHistory.parseNeighbourMonitor("client", vip,
                Files.readAllLines(dir.resolve("monitor-client-neigh.log")), zone));
        return new Records(own, neigh, Map.copyOf(macs));
    }

    /** What {@link #stop} returns, for a {@link ClientHistory}. */
    record Records(List<Ownership> ownership, List<Neighbour> neighbours, Map<String, String> macs) { }
}
