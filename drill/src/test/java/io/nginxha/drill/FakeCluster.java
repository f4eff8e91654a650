package io.nginxha.drill;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * A cluster played in memory for the cluster scenarios: N hosts, several VIPs each with its priority order, one
 * clock that moves only in {@code pause} (every VIP requested every 10 ms), VRRP as the agent plays it with fixed
 * delays: a VIP whose holder goes down moves to the first host of its order still up after {@link #FAILOVER_MS};
 * a host that boots takes back, after {@link #BOOT_MS}, every VIP it is first of. Switches make it misbehave.
 */
final class FakeCluster {
    static final long FAILOVER_MS = 3000;
    static final long BOOT_MS = 5000;

    private record Event(double at, int seq, Runnable action) { }

    private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.at != b.at
            ? Double.compare(a.at, b.at) : Integer.compare(a.seq, b.seq));
    private double now;
    private int seq;
    final Cluster cluster;
    final Map<Cluster.Vip, String> holder = new LinkedHashMap<>();
    final Map<Cluster.Vip, List<Poller.Sample>> samples = new LinkedHashMap<>();
    final Set<String> down = new HashSet<>();
    final List<String> commands = new ArrayList<>();
    /** A bug: the VIP goes to the last host of its order still up, not the first. */
    boolean wrongSuccessor;
    /** A bug: powering a host off drops every VIP for this long (an address flush on the segment, say). */
    long blinkOthersMs;
    private double blindUntil = -1;

    FakeCluster(List<String> hosts, List<List<String>> orders) {
        List<Cluster.Vip> vips = new ArrayList<>();
        for (int i = 0; i < orders.size(); i++) {
            vips.add(new Cluster.Vip("VI_" + (i + 1), URI.create("http://192.168.16." + (130 + i) + "/"),
                    orders.get(i)));
        }
        cluster = new Cluster(hosts, vips);
        for (Cluster.Vip v : vips) {
            holder.put(v, v.master());
            samples.put(v, new ArrayList<>());
        }
    }

    /** What the drill sees of one VIP; every view shares the one clock. */
    VipWatch watch(Cluster.Vip vip) {
        return new VipWatch() {
            @Override
            public double nowMs() {
                return now;
            }

            @Override
            public List<Poller.Sample> since(double fromMs) {
                return samples.get(vip).stream().filter(s -> s.startMs() > fromMs).toList();
            }

            @Override
            public void pause(long ms) {
                advance(ms);
            }
        };
    }

    Map<Cluster.Vip, VipWatch> watches() {
        Map<Cluster.Vip, VipWatch> m = new LinkedHashMap<>();
        cluster.vips().forEach(v -> m.put(v, watch(v)));
        return m;
    }

    private void advance(long ms) {
        for (long t = 0; t < ms; t += 10) {
            now += 10;
            while (!events.isEmpty() && events.peek().at <= now) {
                events.poll().action.run();
            }
            for (Cluster.Vip v : cluster.vips()) {
                String h = holder.get(v);
                String server = h != null && !down.contains(h) && now >= blindUntil ? h : null;
                samples.get(v).add(new Poller.Sample(now, now + 1, server, server == null ? "timeout" : null));
            }
        }
    }

    private void after(long ms, Runnable action) {
        events.add(new Event(now + ms, seq++, action));
    }

    private String successor(Cluster.Vip v) {
        List<String> up = v.order().stream().filter(h -> !down.contains(h)).toList();
        return up.isEmpty() ? null : wrongSuccessor ? up.get(up.size() - 1) : up.get(0);
    }

    /** The local shell of the power commands: "off HOST" and "on HOST". */
    RemoteHost.Result local(String command) {
        commands.add("local: " + command);
        String[] w = command.split(" ");
        String host = w[1];
        if (w[0].equals("off")) {
            down.add(host);
            if (blinkOthersMs > 0) {
                blindUntil = now + blinkOthersMs;
            }
            for (Cluster.Vip v : cluster.vips()) {
                if (host.equals(holder.get(v))) {
                    after(FAILOVER_MS, () -> holder.put(v, successor(v)));
                }
            }
        } else {
            after(BOOT_MS, () -> {
                down.remove(host);
                for (Cluster.Vip v : cluster.vips()) {
                    if (v.order().indexOf(host) < v.order().indexOf(holder.get(v)) || holder.get(v) == null) {
                        holder.put(v, host);
                    }
                }
            });
        }
        return new RemoteHost.Result(0, "");
    }

    Map<String, RemoteHost> hosts() {
        Map<String, RemoteHost> m = new LinkedHashMap<>();
        for (String h : cluster.hosts()) {
            m.put(h, new RemoteHost() {
                @Override
                public String name() {
                    return h;
                }

                @Override
                public Result run(String command) throws DrillException {
                    commands.add(h + ": " + command);
                    if (down.contains(h)) {
                        throw new DrillException(h + ": SSH: connection timed out");
                    }
                    return new Result(0, "");
                }

                @Override
                public void close() { }
            });
        }
        return m;
    }
}
