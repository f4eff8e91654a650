package io.nginxha.agent.runtime;

import static io.nginxha.agent.runtime.SimWorld.MS;
import static io.nginxha.agent.runtime.SimWorld.SECOND;

import io.nginxha.agent.status.AgentStatus;
import io.nginxha.agent.status.InstanceStatus;
import io.nginxha.agent.status.LoopLagStatus;
import io.nginxha.agent.vrrp.Timers;
import io.nginxha.agent.vrrp.VrrpState;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * One seeded run of {@link AgentSimTest}: hosts and their configs drawn from the seed, a schedule of faults at the
 * agents' edges, and the invariants, checked after every pass of a loop and, once nothing has disturbed the
 * hosts for the settle bound, after every event.
 */
final class SimScenario {
    static final List<InetAddress> VIPS = List.of(TestConfigs.ip("192.168.16.130"), TestConfigs.ip("192.168.16.131"));

    /** The faults a phase can draw; the counts go to the reliability ledger. */
    enum Fault {
        LOSSY_SEGMENT("segment loss, duplication and delay with reordering"),
        PARTITION("partition into two groups, then heal"),
        ONE_WAY_LINK("one-way link, then restored"),
        SEND_ERRORS("sending adverts fails (sendto errors), then works"),
        CAPTURE_FAILS("capture fails on every read, 1..15 s (past 6 s: deaf, the watchdog stops)"),
        CAPTURE_DIES("capture thread dies (the watchdog stops, systemd restarts the agent)"),
        NETLINK_REFUSES("netlink refuses VIP adds (and sometimes removals), then accepts"),
        NETLINK_ERRORS("netlink calls throw (socket errors), then work"),
        NETLINK_HANGS("a netlink call hangs 0.5..15 s, the loop stuck in it"),
        SCRIPT_FAILS("vrrp_script fails (exit 1), recovers or not"),
        SCRIPT_HANGS("vrrp_script hangs (killed at its timeout), recovers or not"),
        SCRIPT_SLOW("vrrp_script slow (50..95% of its timeout)"),
        TRACKER_DIES("vrrp_script tracker thread dies (the watchdog stops, systemd restarts the agent)"),
        TRACKER_HANGS("vrrp_script tracker thread hangs (past its silence bound the watchdog stops)"),
        RELOAD_GOOD("SIGHUP with a good config (same, or another priority)"),
        RELOAD_BAD("SIGHUP with an invalid config"),
        RELOAD_HALF("SIGHUP while the config is half-written"),
        POWER_OFF("power-off (VIPs and state gone), back on later or never"),
        KILL("agent killed (kill -9: VIPs left behind), restarted"),
        STOP("orderly stop (SIGTERM), restarted");

        final String words;

        Fault(String words) {
            this.words = words;
        }
    }

    final long seed;
    final Random random;
    final SimWorld world;
    final int n;
    final int version;
    final long interval = SECOND;
    final long settleBound;
    final Map<Fault, Long> tally;
    final List<SimPlan> plans = new ArrayList<>();
    long disturbedUntil;
    long stableChecks;
    private boolean finalCheck;

    SimScenario(long seed, Path dir, Map<Fault, Long> tally, boolean verbose, int traceKept) {
        this.seed = seed;
        this.tally = tally;
        this.random = new Random(seed);
        this.n = 2 + random.nextInt(3);
        this.version = random.nextBoolean() ? 2 : 3;
        long jitter = new long[] {MS / 10, 2 * MS, 20 * MS}[random.nextInt(3)];
        this.world = new SimWorld(random, jitter, traceKept, verbose);
        int preemptMode = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            SimPlan p = new SimPlan();
            p.priority = 90 + random.nextInt(2 * n);
            p.preempt = preemptMode == 0 || preemptMode == 2 && random.nextBoolean();
            p.master = p.preempt && random.nextBoolean();
            p.weight = random.nextBoolean() ? 0 : -(5 + random.nextInt(30));
            p.fall = 1 + random.nextInt(3);
            p.rise = 1 + random.nextInt(3);
            p.scriptInterval = 1 + random.nextInt(2);
            p.scriptTimeout = 1 + random.nextInt(2);
            plans.add(p);
            String name = "h" + (i + 1);
            SimHost h = world.add(new SimHost(world, i, name, TestConfigs.ip("192.168.16." + (11 + i)),
                    random.nextLong() >> 4, dir.resolve(name + ".conf"), p.text(name, version)));
            h.afterPass = this::afterPass;
        }
        long masterDown = Timers.masterDownNanos(version, 1, 100);
        this.settleBound = interval + masterDown + 6 * jitter + interval + jitter;
    }

    void run() {
        for (SimHost h : world.hosts) {
            world.at((long) (random.nextDouble() * 2 * interval), h::start);
        }
        long t = 2 * interval;
        int phases = 3 + random.nextInt(4);
        for (int phase = 0; phase < phases; phase++) {
            t += random.nextBoolean() ? (long) (random.nextDouble() * settleBound / 2)
                    : settleBound + (long) (random.nextDouble() * settleBound);
            long duration = interval * (1 + random.nextInt(12));
            int faults = 1 + random.nextInt(3);
            for (int i = 0; i < faults; i++) {
                inject(Fault.values()[random.nextInt(Fault.values().length)], t, duration);
            }
            t += duration;
        }
        long end = Math.max(t, disturbedUntil) + settleBound + 4 * interval
                + (long) (random.nextDouble() * 5 * interval);
        world.runUntil(end, this::afterEvent);
        long before = stableChecks;
        finalCheck = true;
        afterEvent();
        check(stableChecks > before, "the run did not end in a stable window (disturbed until "
                + disturbedUntil / 1e9 + ")");
    }

    private void disturbed(long until) {
        disturbedUntil = Math.max(disturbedUntil, until);
    }

    private void inject(Fault fault, long start, long duration) {
        tally.merge(fault, 1L, Long::sum);
        SimHost victim = world.hosts.get(random.nextInt(n));
        SimPlan plan = plans.get(victim.index);
        long at = start + (long) (random.nextDouble() * duration / 2);
        long until = start + duration;
        long restart = (SimHost.WATCHDOG_SEC + SimHost.RESTART_SEC + 1) * SECOND;
        long script = (long) (plan.fall + plan.rise + 1) * (plan.scriptInterval + plan.scriptTimeout) * SECOND;
        switch (fault) {
            case LOSSY_SEGMENT -> {
                world.conditions(new SimWorld.Conditions(0.05 + 0.95 * random.nextDouble(), random.nextDouble() / 2,
                        (long) (random.nextDouble() * 3 * interval)), start);
                world.conditions(SimWorld.Conditions.HEALTHY, until);
                disturbed(until + 3 * interval);
            }
            case PARTITION -> {
                boolean[] side = new boolean[n];
                for (int i = 0; i < n; i++) {
                    side[i] = random.nextBoolean();
                }
                for (SimHost a : world.hosts) {
                    for (SimHost b : world.hosts) {
                        if (side[a.index] != side[b.index]) {
                            world.link(a, b, true, start);
                            world.link(a, b, false, until);
                        }
                    }
                }
                disturbed(until);
            }
            case ONE_WAY_LINK -> {
                SimHost other = world.hosts.get((victim.index + 1 + random.nextInt(n - 1)) % n);
                world.link(victim, other, true, at);
                world.link(victim, other, false, until);
                disturbed(until);
            }
            case SEND_ERRORS -> {
                world.at(at, () -> edge(victim, "sends fail", () -> victim.sendFails = true));
                world.at(until, () -> edge(victim, "sends work", () -> victim.sendFails = false));
                disturbed(until);
            }
            case CAPTURE_FAILS -> {
                long end = at + SECOND + (long) (random.nextDouble() * 14 * SECOND);
                world.at(at, () -> victim.captureFails(true));
                world.at(end, () -> victim.captureFails(false));
                disturbed(end + restart);
            }
            case CAPTURE_DIES -> {
                world.at(at, victim::captureDies);
                disturbed(at + restart);
            }
            case NETLINK_REFUSES, NETLINK_ERRORS -> {
                SimKernel.Netlink mode = fault == Fault.NETLINK_REFUSES ? SimKernel.Netlink.REFUSE : SimKernel.Netlink.THROW;
                boolean removals = random.nextInt(3) == 0;
                world.at(at, () -> edge(victim, "netlink " + mode + (removals ? " (adds and removals)" : " (adds)"),
                        () -> {
                            victim.kernel.adds = mode;
                            victim.kernel.removes = removals ? mode : SimKernel.Netlink.OK;
                        }));
                world.at(until, () -> edge(victim, "netlink works", () -> {
                    victim.kernel.adds = SimKernel.Netlink.OK;
                    victim.kernel.removes = SimKernel.Netlink.OK;
                }));
                disturbed(until + (2 + ActionRunner.VIP_FAULT_HOLD_MS / 1000) * SECOND + restart);
            }
            case NETLINK_HANGS -> {
                long hang = 500 * MS + (long) (random.nextDouble() * 14.5 * SECOND);
                world.at(at, () -> edge(victim, "netlink hangs " + hang / MS + " ms per call", () -> {
                    victim.kernel.hangNanos = hang;
                    victim.kernel.adds = SimKernel.Netlink.HANG;
                    victim.kernel.removes = SimKernel.Netlink.HANG;
                }));
                world.at(until, () -> edge(victim, "netlink prompt", () -> {
                    victim.kernel.adds = SimKernel.Netlink.OK;
                    victim.kernel.removes = SimKernel.Netlink.OK;
                }));
                disturbed(until + hang + restart);
            }
            case SCRIPT_FAILS, SCRIPT_HANGS, SCRIPT_SLOW -> {
                SimChildren.Child mode = fault == Fault.SCRIPT_FAILS ? SimChildren.Child.FAIL
                        : fault == Fault.SCRIPT_HANGS ? SimChildren.Child.HANG : SimChildren.Child.SLOW;
                world.at(at, () -> edge(victim, "script " + mode, () -> victim.children.child = mode));
                if (fault == Fault.SCRIPT_SLOW || random.nextInt(6) != 0) {
                    world.at(until, () -> edge(victim, "script OK", () -> victim.children.child = SimChildren.Child.OK));
                }
                disturbed(until + script);
            }
            case TRACKER_DIES, TRACKER_HANGS -> {
                world.at(at, () -> victim.children.threadFails(fault == Fault.TRACKER_DIES));
                disturbed(at + 2 * (Math.max(plan.scriptInterval, plan.scriptTimeout) + 5) * SECOND + restart);
            }
            case RELOAD_GOOD -> {
                world.at(at, () -> {
                    if (random.nextBoolean()) {
                        plan.priority = Math.max(1, Math.min(254, plan.priority - 10 + random.nextInt(21)));
                        victim.text = plan.text(victim.name, version);
                    }
                    world.log(victim, "SIGHUP, good config (priority " + plan.priority + ")");
                    victim.reload(victim.text);
                });
                disturbed(at);
            }
            case RELOAD_BAD -> {
                world.at(at, () -> {
                    world.log(victim, "SIGHUP, invalid config");
                    victim.reload(victim.text.replace("priority " + plan.priority, "priority 300"));
                });
                disturbed(at);
            }
            case RELOAD_HALF -> {
                world.at(at, () -> {
                    int from = victim.text.length() / 3; // cut before the last brace: a file not yet whole
                    String half = victim.text.substring(0, from + random.nextInt(victim.text.lastIndexOf('}') - from));
                    world.log(victim, "SIGHUP, config cut off after " + half.length() + " of "
                            + victim.text.length() + " characters");
                    victim.reload(half);
                    check(!victim.lastReloadAccepted || !victim.running, victim.name
                            + ": a half-written config was accepted");
                });
                disturbed(at);
            }
            case POWER_OFF -> {
                world.at(at, () -> {
                    if (victim.powered) {
                        victim.powerOff();
                    }
                });
                if (random.nextInt(6) != 0) {
                    world.at(until, () -> {
                        if (!victim.powered) {
                            victim.powerOn();
                        }
                    });
                }
                disturbed(until);
            }
            case KILL, STOP -> {
                world.at(at, () -> {
                    if (fault == Fault.KILL) {
                        victim.kill("kill -9");
                    } else {
                        victim.stop();
                    }
                });
                world.at(until, () -> {
                    if (victim.powered && !victim.running) {
                        victim.start();
                    }
                });
                disturbed(until);
            }
        }
    }

    private void edge(SimHost host, String what, Runnable change) {
        world.log(host, what);
        change.run();
        host.wake(world.now());
    }

    // ---- invariants ----

    /** After each pass of a loop: what must hold at every moment. */
    private void afterPass(SimHost h) {
        if (!h.violations.isEmpty()) {
            check(false, h.name + ": " + h.violations.get(0));
        }
        Map<String, Router> routers = h.agent.routersByName();
        AgentStatus status = StatusSnapshots.of(routers.values(), x -> null, h.name, 0, Map.of(), LoopLagStatus.NONE,
                h.clock());
        Map<String, VrrpState> published = h.agent.states();
        for (InstanceStatus s : status.instances()) {
            VrrpState real = routers.get(s.name()).instance().state();
            check(published.get(s.name()) == real && s.state() == real, h.name + ": " + s.name() + " reported "
                    + published.get(s.name()) + "/" + s.state() + " but is " + real);
            if (s.vipsHeld()) {
                check(h.kernel.addresses.containsAll(VIPS), h.name + ": VIPs shown as held, the kernel has " + h.kernel.addresses);
                check(s.state() == VrrpState.MASTER, h.name + ": VIPs held while " + s.state());
            }
        }
    }

    /** After each event: once undisturbed for the settle bound, the election's outcome. */
    private void afterEvent() {
        if (!world.healthy() || world.now() - disturbedUntil <= settleBound) {
            return;
        }
        for (SimHost h : world.hosts) {
            if (h.running && (h.capture != SimHost.Capture.ALIVE || !h.kernel.prompt() || h.sendFails || world.now() < h.stuckUntil)) {
                return; // a fault without an end is still on (the schedule ended it, so this cannot last)
            }
        }
        stableChecks++;
        List<SimHost> able = new ArrayList<>();
        List<SimHost> masters = new ArrayList<>();
        for (SimHost h : world.hosts) {
            if (!h.running) {
                continue;
            }
            SimPlan p = plans.get(h.index);
            Router r = h.agent.routersByName().get("VI_1");
            check(r != null, h.name + ": VI_1 is not running");
            check(r.config().priority() == p.priority, h.name + ": runs priority " + r.config().priority()
                    + ", the config file says " + p.priority);
            boolean down = h.children.child == SimChildren.Child.FAIL || h.children.child == SimChildren.Child.HANG;
            boolean fault = down && p.weight == 0;
            int effective = Math.max(1, Math.min(254, p.priority + (down ? p.weight : 0)));
            VrrpState state = r.instance().state();
            check((state == VrrpState.FAULT) == fault, h.name + ": " + state + " with its script "
                    + (down ? "failing" : "passing") + " (weight " + p.weight + ")");
            if (!fault) {
                check(r.instance().effectivePriority() == effective, h.name + ": effective priority "
                        + r.instance().effectivePriority() + ", expected " + effective);
                able.add(h);
            }
            if (state == VrrpState.MASTER) {
                masters.add(h);
            }
            if (stableChecks % 32 == 1 || finalCheck) { // the state file is a file: read now and then, and at the end
                String word = state == VrrpState.INIT ? "STOP" : state.name();
                check(word.equals(h.stateFileSays("VI_1")), h.name + ": the state file says "
                        + h.stateFileSays("VI_1") + ", the instance is " + state);
            }
        }
        check(masters.size() == Math.min(1, able.size()), masters.size() + " masters among " + able.size()
                + " hosts able to serve");
        SimHost master = masters.isEmpty() ? null : masters.get(0);
        for (SimHost h : world.hosts) {
            check(h.kernel.addresses.isEmpty() == (h != master), h.name + " has VIPs " + h.kernel.addresses + " while the master is "
                    + (master == null ? "none" : master.name));
        }
        if (master == null) {
            return;
        }
        Router m = master.agent.routersByName().get("VI_1");
        check(master.kernel.addresses.containsAll(VIPS) && m.vipsHeld(), master.name + " is master without all its VIPs: "
                + master.kernel.addresses);
        for (SimHost h : able) {
            Router r = h.agent.routersByName().get("VI_1");
            if (h == master) {
                continue;
            }
            check(r.instance().state() == VrrpState.BACKUP, h.name + " is " + r.instance().state());
            check(r.instance().effectivePriority() <= m.instance().effectivePriority() || !r.config().preempt(),
                    h.name + " (priority " + r.instance().effectivePriority() + ") preempts and outranks master "
                            + master.name + " (" + m.instance().effectivePriority() + ")");
        }
    }

    void check(boolean ok, String problem) {
        if (!ok) {
            throw new AssertionError(String.format(Locale.ROOT,
                    "seed %d (%d hosts, VRRPv%d, jitter %.1f ms, settle bound %.2f s) at %.6f s: %s%n"
                            + "replay: ./mvnw -o test -pl agent -am -Dtest=AgentSimTest#randomFaultSchedulesOnWhole"
                            + "AgentsKeepTheInvariants -Dsurefire.failIfNoSpecifiedTests=false -Dsim.seed=%d%n"
                            + "last events:%n%s", seed, n, version, world.jitter / 1e6, settleBound / 1e9,
                    world.now() / 1e9, problem, seed, world.trace()));
        }
    }
}
