package io.nginxha.agent.vrrp;

import static io.nginxha.agent.config.InstanceConfig.InitialState.MASTER;
import static io.nginxha.agent.vrrp.SeedInstance.config;
import static io.nginxha.agent.vrrp.SeedInstance.ip;

import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.reliability.Ledger;
import io.nginxha.agent.vrrp.SimLan.Router;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded runs of 2 to 5 routers on a {@link SimLan}: election, master crash, return with preemption, and a
 * priority change by tracking. Deterministic; a failure names its seed and how to replay just that run.
 *
 * <p>Note on ties: a backup accepts an advert of equal priority (RFC 5798 6.4.2), so among routers of equal
 * priority whichever became master first keeps the role; the address only breaks a tie between two masters.
 * The invariant is therefore "the master has the highest effective priority", and "is that router" when the
 * highest is unique.
 */
class SimElectionTest {
    private static final int SEEDS = Integer.getInteger("sim.seeds", 500);
    private static final long MS = 1_000_000L;

    static IntStream routerCounts() {
        Integer only = Integer.getInteger("sim.n");
        return only != null ? IntStream.of(only) : IntStream.rangeClosed(2, 5);
    }

    @ParameterizedTest(name = "{0} routers")
    @MethodSource("routerCounts")
    void seededRunsConvergeAndHandOver(int routers) {
        Long only = Long.getLong("sim.seed");
        if (only != null) {
            new Run(only, routers).execute();
            return;
        }
        for (long seed = 1; seed <= SEEDS; seed++) {
            new Run(seed, routers).execute();
        }
        Ledger.record("simulation", "seeded election with " + routers + " routers: start-up, master power-off,"
                + " its return (preempt), a tracking priority change", SEEDS,
                "one master of the highest priority after each step; VIPs on it only");
    }

    /** One seeded scenario. */
    private static final class Run {
        private final long seed;
        private final int n;
        private final Random random;
        private final SimLan lan;
        private final int version;
        private final int intervalCs;
        private final long maxDelay;

        Run(long seed, int n) {
            this.seed = seed;
            this.n = n;
            this.random = new Random(seed * 1_000_003L + n);
            this.version = random.nextBoolean() ? 2 : 3;
            this.intervalCs = version == 2 ? 100 : new int[] {10, 25, 100}[random.nextInt(3)];
            this.maxDelay = 2 * MS;
            this.lan = new SimLan(random, maxDelay);
        }

        void execute() {
            List<Integer> hosts = new ArrayList<>(IntStream.rangeClosed(1, n).boxed().toList());
            Collections.shuffle(hosts, random);
            boolean withOwner = random.nextInt(10) == 0;
            for (int i = 0; i < n; i++) {
                // A narrow range makes ties common; one owner in a tenth of the runs.
                int priority = withOwner && i == 0 ? 255 : 90 + random.nextInt(2 * n);
                InstanceConfig.Builder builder = config().priority(priority).intervalCs(intervalCs);
                if (version == 3) {
                    builder.version(3).authPass(null);
                }
                if (random.nextBoolean() || priority == 255) {
                    builder.initialState(MASTER);
                }
                lan.add("r" + i, ip("10.0.0." + hosts.get(i)), builder.build());
            }
            for (Router router : lan.routers()) {
                lan.start(router, random.nextInt(100) * MS);
            }
            long settle = 100 * MS + 2 * worstMasterDown();
            lan.runUntil(settle);
            checkConverged("after start-up");

            Router crashed = onlyMaster();
            long crashAt = lan.now() + random.nextInt(intervalCs * 10) * MS;
            lan.crash(crashed, crashAt);
            if (n > 1) {
                int best = lan.routers().stream().filter(r -> r != crashed).mapToInt(Router::priority).max()
                        .orElseThrow();
                long bound = crashAt + maxDelay + Timers.masterDownNanos(version, best, intervalCs);
                lan.runUntil(bound);
                // A lower router may be master for a moment too (its timer ran out within the delivery jitter);
                // uniqueness is checked once things settle.
                check(lan.routers().stream().anyMatch(r -> r.state() == VrrpState.MASTER && r.priority() == best
                                && r.becameMasterAt > crashAt && r.becameMasterAt <= bound),
                        "no router of priority " + best + " took over in (" + crashAt + ", " + bound + "] after the"
                                + " crash of " + crashed.name);
                lan.runUntil(bound + worstMasterDown());
                checkConverged("after the crash of " + crashed.name);
            }

            lan.start(crashed, lan.now() + random.nextInt(1000) * MS);
            lan.runUntil(lan.now() + 1000 * MS + worstMasterDown() + 2 * intervalNanos());
            checkConverged("after " + crashed.name + " returned");

            Router tracked = lan.routers().get(random.nextInt(n));
            lan.changePriority(tracked, 80 + random.nextInt(2 * n + 20), lan.now() + random.nextInt(500) * MS);
            lan.runUntil(lan.now() + 500 * MS + worstMasterDown() + 2 * intervalNanos());
            checkConverged("after the priority change of " + tracked.name);
        }

        private long intervalNanos() {
            return Timers.centisToNanos(intervalCs);
        }

        private long worstMasterDown() {
            return Timers.masterDownNanos(version, 1, intervalCs);
        }

        private Router onlyMaster() {
            List<Router> masters = lan.routers().stream().filter(r -> r.state() == VrrpState.MASTER).toList();
            check(masters.size() == 1, masters.size() + " masters");
            return masters.get(0);
        }

        private void checkConverged(String when) {
            Router master = onlyMaster();
            List<Router> alive = lan.routers().stream().filter(r -> r.alive).toList();
            Router best = alive.stream().max(Comparator.comparingInt(Router::priority)).orElseThrow();
            check(master.priority() == best.priority(), when + ": master " + master + " but " + best
                    + " has a higher priority");
            for (Router router : alive) {
                check(router.holdsVips == (router == master), when + ": " + router + " VIPs while " + master
                        + " is master");
                check(router == master || router.state() == VrrpState.BACKUP, when + ": " + router);
            }
        }

        private void check(boolean condition, String problem) {
            if (!condition) {
                throw new AssertionError(String.format(
                        "seed %d, %d routers, VRRPv%d, interval %d cs: %s%nrouters: %s%n"
                                + "replay: ./mvnw -q -B test -Dtest=SimElectionTest -Dsim.seed=%d -Dsim.n=%d "
                                + "-Dsurefire.failIfNoSpecifiedTests=false%nlast events:%n%s",
                        seed, n, version, intervalCs, problem, lan.routers(), seed, n, lan.trace(40)));
            }
        }
    }
}
