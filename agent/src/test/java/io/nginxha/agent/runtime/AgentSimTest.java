package io.nginxha.agent.runtime;

import static io.nginxha.agent.runtime.SimWorld.MS;
import static io.nginxha.agent.runtime.SimWorld.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.nginxha.agent.reliability.Ledger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The whole agent under random fault schedules: several real {@link Agent}s (loop, reload, action runner, intake
 * and gate, watchdog and liveness) with the real trackers, over a simulated segment, kernel, capture and children
 * and one clock ({@link SimWorld}, {@link SimHost}); thousands of seeds, each one run fully determined by it.
 * The invariants ({@link SimScenario}) are FaultSimTest's, checked on the real agents and the fake kernels, plus
 * the watchdog's: never fed while the agent cannot hear or act, fed at least every second otherwise.
 *
 * <p>Replay one seed with its whole trace and the agents' log: {@code ./mvnw -o test -pl agent -am
 * -Dtest=AgentSimTest -Dsurefire.failIfNoSpecifiedTests=false -Dsim.seed=1234}; more seeds with
 * {@code -Dsim.agentSeeds=N}.
 */
class AgentSimTest {
    private static final int SEEDS = Integer.getInteger("sim.agentSeeds", 3000);

    @Test
    void randomFaultSchedulesOnWholeAgentsKeepTheInvariants() throws IOException {
        Long only = Long.getLong("sim.seed");
        long first = only != null ? only : 1;
        long last = only != null ? only : SEEDS;
        Path dir = Files.createDirectories(Path.of("target", "agent-sim")); // fixed: a trace names its files
        Map<SimScenario.Fault, Long> tally = new EnumMap<>(SimScenario.Fault.class);
        long simulated = 0;
        long checks = 0;
        long passes = 0;
        long restarts = 0;
        long started = System.nanoTime();
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStarted = cpu.getCurrentThreadCpuTime();
        Level before = quiet(only == null);
        try {
            for (long seed = first; seed <= last; seed++) {
                SimScenario s = new SimScenario(seed, dir, tally, only != null, 200);
                LogTap.world = s.world;
                s.run();
                simulated += s.world.now();
                checks += s.stableChecks;
                passes += s.world.passes;
                restarts += s.world.hosts.stream().mapToLong(h -> h.restarts).sum();
            }
        } finally {
            LogTap.world = null;
            restore(before);
        }
        long elapsedMs = (System.nanoTime() - started) / MS;
        long cpuMs = (cpu.getCurrentThreadCpuTime() - cpuStarted) / MS;
        long seeds = last - first + 1;
        System.out.printf(Locale.ROOT, "AgentSimTest: %d seeds, %.1f simulated hours, %d loop passes, %d faults,"
                        + " %d invariant checks in stable windows, %d watchdog restarts, %d ms (%d ms of CPU)%n",
                seeds, simulated / 3.6e12, passes, tally.values().stream().mapToLong(Long::longValue).sum(), checks,
                restarts, elapsedMs, cpuMs);
        if (only == null) {
            Ledger.record("simulation", "(all runs) whole agents (loop, reload, actions, trackers, watchdog) over a"
                    + " simulated segment, kernel, capture and children, 2..4 hosts, VRRPv2/v3 (seeds, "
                    + String.format(Locale.ROOT, "%.0f", simulated / 3.6e12) + " simulated hours)", seeds,
                    "invariants held: one master, the highest-priority healthy one; VIPs only on it and never shown"
                            + " held when not; watchdog never fed while deaf or stuck, fed each second otherwise ("
                            + restarts + " restarts by the watchdog)");
            for (Map.Entry<SimScenario.Fault, Long> e : tally.entrySet()) {
                Ledger.record("simulation", "whole agent: " + e.getKey().words, e.getValue(),
                        "in those runs: invariants held");
            }
        }
    }

    /** One seed, run twice: the same trace, line for line (no thread, no wall clock decides anything). */
    @Test
    void aSeedMakesOneRun() throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "agent-sim")); // fixed: a trace names its files
        Level before = quiet(true);
        try {
            for (long seed : new long[] {3, 17, 101}) {
                SimScenario a = new SimScenario(seed, dir, new EnumMap<>(SimScenario.Fault.class), false,
                        Integer.MAX_VALUE);
                a.run();
                SimScenario b = new SimScenario(seed, dir, new EnumMap<>(SimScenario.Fault.class), false,
                        Integer.MAX_VALUE);
                b.run();
                assertEquals(a.world.trace(), b.world.trace(), "seed " + seed);
                assertEquals(a.world.passes, b.world.passes);
            }
        } finally {
            restore(before);
        }
    }

    /** Thousands of seeds: the agents' log is off (a replayed seed shows it, stamped with simulated time). */
    private static Level quiet(boolean off) {
        Logger agent = (Logger) LoggerFactory.getLogger("io.nginxha.agent");
        Level before = agent.getLevel();
        if (off) {
            agent.setLevel(Level.OFF);
        } else {
            LogTap tap = new LogTap();
            tap.setContext(agent.getLoggerContext());
            tap.start();
            agent.addAppender(tap);
            agent.setAdditive(false);
            agent.setLevel(Level.toLevel(System.getProperty("sim.log", "INFO")));
        }
        return before;
    }

    private static void restore(Level before) {
        Logger agent = (Logger) LoggerFactory.getLogger("io.nginxha.agent");
        agent.detachAndStopAllAppenders();
        agent.setAdditive(true);
        agent.setLevel(before);
    }

    /** The agents' log lines into the trace, with the simulated time. */
    private static final class LogTap extends AppenderBase<ILoggingEvent> {
        static SimWorld world;

        @Override
        protected void append(ILoggingEvent e) {
            if (world != null) {
                world.log(world.current, "log " + e.getLevel() + " " + e.getFormattedMessage());
            }
        }
    }
}
