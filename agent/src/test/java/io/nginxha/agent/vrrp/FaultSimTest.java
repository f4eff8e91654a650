package io.nginxha.agent.vrrp;

import static io.nginxha.agent.config.InstanceConfig.InitialState.MASTER;
import static io.nginxha.agent.vrrp.SeedInstance.config;
import static io.nginxha.agent.vrrp.SeedInstance.ip;

import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.reliability.Ledger;
import io.nginxha.agent.vrrp.SimLan.Conditions;
import io.nginxha.agent.vrrp.SimLan.Router;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Random fault schedules on a {@link SimLan}, thousands of seeds, with the invariants checked after every event.
 *
 * <p>Each seed draws a LAN (2..5 routers, VRRPv2 or v3, advert interval, preempt on/off/mixed, sometimes a
 * preempt delay or an address owner, delivery jitter, unrelated clock origins) and alternates quiet spells with
 * fault phases (loss/duplication/delay with reordering, partitions, one-way links, power-off, kill -9, orderly
 * stop, SIGSTOP and suspend, reload, tracking priority changes, fault checks). After each event:
 * <ul>
 *   <li>always: a live router holds the VIPs exactly while it is master; every transition has a reason
 *       (checked by SimLan);</li>
 *   <li>once the network has been healthy and undisturbed for longer than {@link Scenario#settleBound}: exactly
 *       one master among the routers able to serve (alive, not in FAULT; none if there are none), every other
 *       such router is backup, it holds the VIPs and nobody else does, and no router of higher priority that
 *       preempts is left as backup.</li>
 * </ul>
 *
 * <p>Ties: a backup accepts an advert of equal priority (RFC 5798 6.4.2), so of two routers with the highest
 * priority whichever became master first stays; the higher address wins only between two masters (6.4.3),
 * which the "exactly one master" check after a healed partition exercises.
 *
 * <p>Replay one seed: {@code ./mvnw -q -B test -Dtest=FaultSimTest -Dsim.seed=1234
 * -Dsurefire.failIfNoSpecifiedTests=false}; scale with {@code -Dsim.seeds=N}.
 */
class FaultSimTest {
    private static final int SEEDS = Integer.getInteger("sim.seeds", 5000);
    private static final long MS = 1_000_000L;

    /** The faults a phase can draw; the counts end up in the reliability table. */
    enum Fault {
        LOSSY_LINKS("loss, duplication and delay with reordering (5..100% loss, up to 3 advert intervals late)"),
        PARTITION("partition into two groups, then heal"),
        ONE_WAY_LINK("one-way link (A hears B, B does not hear A), then restored"),
        POWER_OFF("power-off (VIPs gone, state lost), back on later or never"),
        KILL("agent killed (kill -9: VIPs left behind, state lost), restarted"),
        STOP("orderly stop (resign with priority 0), restarted"),
        SIGSTOP("host frozen (SIGSTOP, clock runs on, adverts buffered), resumed"),
        SUSPEND("host suspended (monotonic clock stops, adverts buffered), resumed"),
        RELOAD("config reload (instance replaced, continues as master if it was)"),
        PRIORITY("tracking changes the effective priority"),
        CHECK_FAULT("a check without weight fails (FAULT), recovers or not");

        final String words;

        Fault(String words) {
            this.words = words;
        }
    }

    @Test
    void randomFaultSchedulesKeepTheInvariants() {
        Long only = Long.getLong("sim.seed");
        long first = only != null ? only : 1;
        long last = only != null ? only : SEEDS;
        Map<Fault, Long> tally = new EnumMap<>(Fault.class);
        long checks = 0;
        long simulatedNanos = 0;
        long started = System.nanoTime();
        for (long seed = first; seed <= last; seed++) {
            Scenario scenario = new Scenario(seed, tally);
            scenario.run();
            checks += scenario.checks;
            simulatedNanos += scenario.lan.now();
        }
        long elapsedMs = (System.nanoTime() - started) / MS;
        long seeds = last - first + 1;
        System.out.printf(Locale.ROOT, "FaultSimTest: %d seeds, %.1f simulated hours, %d faults, %d invariant checks"
                        + " in stable windows, %d ms%n", seeds, simulatedNanos / 3.6e12,
                tally.values().stream().mapToLong(Long::longValue).sum(), checks, elapsedMs);
        if (only == null) {
            String outcome = "invariants held after every event; one master, highest preempting priority, VIPs"
                    + " only on it, once stable for the settle bound";
            Ledger.record("simulation", "(all runs) random fault schedules, 2..5 routers, VRRPv2/v3, preempt on/off/mixed"
                    + " (seeds, " + String.format(Locale.ROOT, "%.0f", simulatedNanos / 3.6e12)
                    + " simulated hours)", seeds, outcome);
            for (Map.Entry<Fault, Long> e : tally.entrySet()) {
                Ledger.record("simulation", e.getKey().words, e.getValue(), "in those runs: invariants held");
            }
        }
    }

    /** One seeded run: a LAN, a fault schedule, the checks. */
    static final class Scenario {
        final long seed;
        final Random random;
        final SimLan lan;
        final int n;
        final int version;
        final int intervalCs;
        final long jitter;
        final int preemptDelaySec;
        final long settleBound;
        final Map<Fault, Long> tally;
        long checks;

        Scenario(long seed, Map<Fault, Long> tally) {
            this.seed = seed;
            this.tally = tally;
            this.random = new Random(seed);
            this.n = 2 + random.nextInt(4);
            this.version = random.nextBoolean() ? 2 : 3;
            this.intervalCs = version == 2 ? (random.nextInt(4) == 0 ? 200 : 100)
                    : new int[] {10, 25, 100}[random.nextInt(3)];
            this.jitter = new long[] {MS / 10, 2 * MS, 20 * MS}[random.nextInt(3)];
            int preemptMode = random.nextInt(3);
            this.preemptDelaySec = preemptMode != 1 && random.nextInt(5) == 0 ? 1 + random.nextInt(3) : 0;
            this.settleBound = settleBound();
            this.lan = new SimLan(random, jitter);
            List<Integer> hosts = new ArrayList<>(IntStream.rangeClosed(1, n).boxed().toList());
            Collections.shuffle(hosts, random);
            boolean withOwner = preemptMode == 0 && random.nextInt(8) == 0;
            for (int i = 0; i < n; i++) {
                int priority = withOwner && i == 0 ? 255 : 90 + random.nextInt(2 * n);
                boolean preempt = preemptMode == 0 || (preemptMode == 2 && random.nextBoolean());
                InstanceConfig.Builder builder = config().priority(priority).intervalCs(intervalCs);
                if (version == 3) {
                    builder.version(3).authPass(null);
                }
                if (random.nextBoolean() || priority == 255) {
                    builder.initialState(MASTER);
                }
                if (!preempt) {
                    builder.preempt(false);
                } else if (preemptDelaySec > 0) {
                    builder.preemptDelaySec(preemptDelaySec);
                }
                Router router = lan.add("r" + i, ip("10.0.0." + hosts.get(i)), builder.build());
                // Unrelated origins, negative ones included: nanoTime promises only differences.
                router.clockOffset = random.nextLong() >> 4;
            }
            lan.afterEachEvent(this::checkInvariants);
        }

        /**
         * How long after the last disturbance the invariants must hold. Worst chain after a heal (I = advert
         * interval, d = delivery jitter, MDI = Master_Down_Interval at priority 1, the longest there is):
         * within I + d every master has heard the others and all but the best stepped down; a preempting backup
         * above the survivor last reset its down timer on an advert from such a stepping-down master, sent by
         * then and heard d later, so its timer runs out by I + 2d + MDI; its first advert takes d, and if a lower
         * backup's timer ran out meanwhile the two settle in 2d more (re-announce, step down): I + MDI + 5d.
         * A preempt delay P only starts counting when the backup first hears the lower master, which may itself
         * appear only an MDI after the disturbance (everyone restarted together); then P, one more advert (I + d)
         * before the lower master is ignored, and a second MDI. The margin is one more interval plus d, for a
         * router just started or leaving FAULT that has not yet heard anyone.
         */
        private long settleBound() {
            long interval = Timers.centisToNanos(intervalCs);
            long masterDown = Timers.masterDownNanos(version, 1, intervalCs);
            long bound = interval + masterDown + 5 * jitter;
            if (preemptDelaySec > 0) {
                bound += masterDown + Timers.secondsToNanos(preemptDelaySec) + interval + 2 * jitter;
            }
            return bound + interval + jitter;
        }

        void run() {
            long interval = Timers.centisToNanos(intervalCs);
            for (Router router : lan.routers()) {
                lan.start(router, (long) (random.nextDouble() * 2 * interval));
            }
            long t = 2 * interval;
            int phases = 3 + random.nextInt(5);
            for (int phase = 0; phase < phases; phase++) {
                // Half the quiet spells are long enough for the invariants to be checked, half are not.
                t += random.nextBoolean() ? (long) (random.nextDouble() * settleBound / 2)
                        : settleBound + (long) (random.nextDouble() * settleBound);
                long duration = interval * (1 + random.nextInt(12));
                int faults = 1 + random.nextInt(3);
                for (int i = 0; i < faults; i++) {
                    inject(Fault.values()[random.nextInt(Fault.values().length)], t, duration);
                }
                t += duration;
            }
            // Adverts delayed by the last fault arrive up to 3 intervals (plus jitter) after it ended.
            long end = t + settleBound + 4 * interval + jitter + (long) (random.nextDouble() * 5 * interval);
            lan.runUntil(end);
            long before = checks;
            checkInvariants();
            check(checks > before, "the run did not end in a stable window (disturbed until "
                    + lan.disturbedUntil() + ", healthy " + lan.healthy() + ")");
        }

        private void inject(Fault fault, long start, long duration) {
            tally.merge(fault, 1L, Long::sum);
            Router victim = lan.routers().get(random.nextInt(n));
            long at = start + (long) (random.nextDouble() * duration / 2);
            long until = start + duration;
            switch (fault) {
                case LOSSY_LINKS -> {
                    double loss = 0.05 + 0.95 * random.nextDouble();
                    double duplication = random.nextDouble() / 2;
                    long delay = (long) (random.nextDouble() * 3 * Timers.centisToNanos(intervalCs));
                    lan.conditions(new Conditions(loss, duplication, delay), start);
                    lan.conditions(Conditions.HEALTHY, until);
                }
                case PARTITION -> {
                    boolean[] side = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        side[i] = random.nextBoolean();
                    }
                    for (Router a : lan.routers()) {
                        for (Router b : lan.routers()) {
                            if (side[a.index] != side[b.index]) {
                                lan.link(a, b, true, start);
                                lan.link(a, b, false, until);
                            }
                        }
                    }
                }
                case ONE_WAY_LINK -> {
                    Router other = lan.routers().get((victim.index + 1 + random.nextInt(n - 1)) % n);
                    lan.link(victim, other, true, at);
                    lan.link(victim, other, false, until);
                }
                case POWER_OFF -> {
                    lan.crash(victim, at);
                    if (random.nextInt(6) != 0) {
                        lan.start(victim, until);
                    }
                }
                case KILL -> {
                    lan.kill(victim, at);
                    lan.start(victim, until);
                }
                case STOP -> {
                    lan.stop(victim, at);
                    lan.start(victim, until);
                }
                case SIGSTOP, SUSPEND -> {
                    lan.freeze(victim, fault == Fault.SUSPEND, at);
                    lan.thaw(victim, until);
                }
                case RELOAD -> lan.reload(victim, at);
                case PRIORITY -> lan.changePriority(victim, Math.max(1, Math.min(254,
                        victim.config.priority() - 15 + random.nextInt(31))), at);
                case CHECK_FAULT -> {
                    lan.fault(victim, true, at);
                    if (random.nextInt(8) != 0) {
                        lan.fault(victim, false, until);
                    }
                }
            }
        }

        private void checkInvariants() {
            for (Router router : lan.routers()) {
                if (router.alive) {
                    check(router.holdsVips == (router.state() == VrrpState.MASTER), router + " VIPs out of step"
                            + " with its state");
                }
            }
            if (!lan.healthy() || lan.now() - lan.disturbedUntil() <= settleBound) {
                return;
            }
            checks++;
            List<Router> able = lan.routers().stream()
                    .filter(r -> r.alive && r.state() != VrrpState.FAULT).toList();
            List<Router> masters = lan.routers().stream().filter(r -> r.state() == VrrpState.MASTER).toList();
            check(masters.size() == Math.min(1, able.size()), masters.size() + " masters among " + able.size()
                    + " routers able to serve");
            if (masters.isEmpty()) {
                check(lan.routers().stream().noneMatch(r -> r.holdsVips), "VIPs held with no master");
                return;
            }
            Router master = masters.get(0);
            for (Router router : lan.routers()) {
                check(router.holdsVips == (router == master), router + " VIPs while " + master + " is master");
            }
            for (Router router : able) {
                if (router == master) {
                    continue;
                }
                check(router.state() == VrrpState.BACKUP, router + " is not backup");
                check(router.priority() <= master.priority() || !router.config.preempt(),
                        router + " preempts and outranks master " + master);
            }
        }

        private void check(boolean condition, String problem) {
            if (!condition) {
                throw new AssertionError(String.format(Locale.ROOT,
                        "seed %d (%d routers, VRRPv%d, interval %d cs, jitter %.1f ms, preempt delay %d s, settle"
                                + " bound %.2f s) at %.6f s: %s%nrouters: %s%nreplay: ./mvnw -q -B test"
                                + " -Dtest=FaultSimTest -Dsim.seed=%d -Dsurefire.failIfNoSpecifiedTests=false"
                                + "%nlast events:%n%s",
                        seed, n, version, intervalCs, jitter / 1e6, preemptDelaySec, settleBound / 1e9,
                        lan.now() / 1e9, problem, lan.routers(), seed, lan.trace(60)));
            }
        }
    }
}
