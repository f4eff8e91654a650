package io.nginxha.agent.runtime;

import io.nginxha.agent.net.PacketTransport;
import io.nginxha.agent.vrrp.Advert;
import io.nginxha.agent.vrrp.AdvertCodec;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * The world of the whole-agent simulation: one clock, one queue of events, the segment the hosts share and the
 * trace. Nothing here runs on a thread of its own or reads the wall clock: a seed makes one run.
 *
 * <p>The segment delivers each advert to every other host after a small latency plus jitter, subject to the
 * conditions of the moment (loss, duplication, extra delay with reordering) and to cut links (partitions,
 * one-way links). A delivery to a host whose capture is dead or failing is lost, as it is on a real host.
 */
final class SimWorld {
    static final long MS = 1_000_000L;
    static final long SECOND = 1_000 * MS;
    /** keepalived's and the kernel's multicast group for VRRP over IPv4. */
    static final InetAddress GROUP = TestConfigs.ip("224.0.0.18");

    /** What the segment does to a packet now. */
    record Conditions(double loss, double duplication, long extraDelayNanos) {
        static final Conditions HEALTHY = new Conditions(0, 0, 0);
    }

    private record Scheduled(long at, long seq, Runnable task) { }

    final Random random;
    final long jitter;
    private final PriorityQueue<Scheduled> events = new PriorityQueue<>((a, b) -> a.at != b.at
            ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long seq;
    private long now;
    final List<SimHost> hosts = new ArrayList<>();
    private Conditions conditions = Conditions.HEALTHY;
    /** cut[a][b]: what a sends, b does not receive. */
    private boolean[][] cut = new boolean[0][0];
    private final Deque<Line> trace = new ArrayDeque<>();
    private final int traceKept;
    /** Whether every line is kept and printed (a replayed seed), not only the last ones. */
    final boolean verbose;
    long deliveries;
    long passes;
    /** The host whose agent runs now (for the log lines of a replayed seed). */
    SimHost current;

    SimWorld(Random random, long jitter, int traceKept, boolean verbose) {
        this.random = random;
        this.jitter = jitter;
        this.traceKept = traceKept;
        this.verbose = verbose;
    }

    long now() {
        return now;
    }

    SimHost add(SimHost host) {
        hosts.add(host);
        cut = new boolean[hosts.size()][hosts.size()];
        return host;
    }

    /** Runs {@code task} at {@code at} (never before now). */
    void at(long at, Runnable task) {
        events.add(new Scheduled(Math.max(at, now), seq++, task));
    }

    void after(long delay, Runnable task) {
        at(now + delay, task);
    }

    /** Runs every event up to {@code end}, calling {@code afterEach} after each. */
    void runUntil(long end, Runnable afterEach) {
        while (!events.isEmpty() && events.peek().at <= end) {
            Scheduled next = events.poll();
            now = next.at;
            next.task.run();
            afterEach.run();
        }
        now = Math.max(now, end);
    }

    void conditions(Conditions c, long at) {
        at(at, () -> {
            conditions = c;
            log(null, "segment: " + c);
        });
    }

    /** From {@code at}, what {@code from} sends does (not) reach {@code to}. */
    void link(SimHost from, SimHost to, boolean broken, long at) {
        at(at, () -> {
            cut[from.index][to.index] = broken;
            log(null, "link " + from.name + " -> " + to.name + (broken ? " cut" : " restored"));
        });
    }

    boolean healthy() {
        if (!conditions.equals(Conditions.HEALTHY)) {
            return false;
        }
        for (boolean[] row : cut) {
            for (boolean c : row) {
                if (c) {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code from} sent an advert: each other host gets it after the latency, unless the segment loses it. */
    void broadcast(SimHost from, Advert advert, InetAddress destination) {
        byte[] payload = AdvertCodec.encode(advert, from.address, destination);
        for (SimHost to : hosts) {
            if (to == from || cut[from.index][to.index] || random.nextDouble() < conditions.loss()) {
                continue;
            }
            int copies = random.nextDouble() < conditions.duplication() ? 2 : 1;
            for (int i = 0; i < copies; i++) {
                long delay = 50_000 + (long) (random.nextDouble() * jitter)
                        + (long) (random.nextDouble() * conditions.extraDelayNanos());
                PacketTransport.ReceivedPacket p =
                        new PacketTransport.ReceivedPacket("eth0", from.address, destination, 255, payload);
                after(delay, () -> {
                    deliveries++;
                    to.receive(p);
                });
            }
        }
    }

    private record Line(long at, String host, String text) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%10.6f %-3s %s", at / 1e9, host, text);
        }
    }

    void log(SimHost host, String line) {
        Line l = new Line(now, host == null ? "" : host.name, line);
        if (verbose) {
            System.out.println(l);
        }
        trace.addLast(l);
        if (trace.size() > traceKept) {
            trace.removeFirst();
        }
    }

    String trace() {
        return String.join("\n", trace.stream().map(Line::toString).toList());
    }
}
