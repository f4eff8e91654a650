package io.nginxha.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nginxha.agent.config.NginxCheckConfig;
import io.nginxha.agent.config.Source;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tracker's policy driven by hand: a fake nginx, a fake restart command, a fake clock. */
class NginxTrackerTest {
    private static final long MS = 1_000_000L;
    private boolean nginxUp = true;
    private boolean restartRevives = true;
    private int restartExit = 0;
    private int restarts;
    private final List<String> reports = new ArrayList<>();

    // 3 attempts in 10 s, 1 s start timeout, 5 s hold-down
    private final NginxCheckConfig config = new NginxCheckConfig("nginx", "/x.pid", List.of("start"), null, 1000, 200,
            1000, 20, 3, 10_000, 1000, 5000, 0, new Source(Path.of("t"), 1));

    private NginxTracker tracker() {
        NginxTracker t = new NginxTracker(config, () -> nginxUp, () -> {
            restarts++;
            if (restartRevives) {
                nginxUp = true;
            }
            return new NginxTracker.Restart() {
                public boolean running() {
                    return false;
                }

                public int exitStatus() {
                    return restartExit;
                }

                public void kill() { }
            };
        }, 0);
        t.startForTest((c, up, why) -> reports.add(c + (up ? " up" : " down")));
        return t;
    }

    @Test
    void stoppedNginxIsRestartedWithoutReportingDown() {
        NginxTracker t = tracker();
        t.tick(0);
        nginxUp = false;
        t.tick(20 * MS);
        assertEquals(1, restarts);
        t.tick(40 * MS);
        assertEquals(NginxTracker.Phase.UP, t.phase());
        assertEquals(List.of(), reports);
    }

    @Test
    void givesUpAfterTheAttemptsThenRecoversAfterHoldDown() {
        restartRevives = false;
        NginxTracker t = tracker();
        nginxUp = false;
        long now = 0;
        for (; now < 4000 * MS && reports.isEmpty(); now += 20 * MS) {
            t.tick(now);
        }
        assertEquals(List.of("nginx down"), reports);
        assertEquals(3, restarts);
        // gave up on the fourth check after three 1 s start timeouts
        assertEquals(3000 * MS, now - 20 * MS);
        nginxUp = true; // repaired
        long repairedAt = now;
        for (; now < repairedAt + 6000 * MS && reports.size() == 1; now += 20 * MS) {
            t.tick(now);
        }
        assertEquals(List.of("nginx down", "nginx up"), reports);
        assertEquals(5000 * MS, now - 20 * MS - repairedAt);
    }

    @Test
    void aFailingRestartCommandGivesUpWithoutWaitingForTheStartTimeout() {
        restartRevives = false;
        restartExit = 1;
        NginxTracker t = tracker();
        nginxUp = false;
        long now = 0;
        for (; now < 4000 * MS && reports.isEmpty(); now += 20 * MS) {
            t.tick(now);
        }
        assertEquals(List.of("nginx down"), reports);
        assertEquals(3, restarts);
        assertEquals(60 * MS, now - 20 * MS, "three attempts on three polls, then the give-up");
    }

    /** A restart that hangs (as systemctl start on a broken config, until its timeout) and a config test of given exit. */
    private NginxTracker trackerWithConfigTest(int testExit, boolean[] testRunning, List<String> order) {
        NginxTracker t = new NginxTracker(config, () -> nginxUp, () -> {
            restarts++;
            order.add("restart");
            return new NginxTracker.Restart() {
                public boolean running() {
                    return true;
                }

                public int exitStatus() {
                    throw new IllegalStateException("still running");
                }

                public void kill() { }
            };
        }, () -> {
            order.add("config test");
            return new NginxTracker.Restart() {
                public boolean running() {
                    return testRunning[0];
                }

                public int exitStatus() {
                    return testExit;
                }

                public void kill() { }
            };
        }, 0);
        t.startForTest((c, up, why) -> reports.add(c + (up ? " up: " : " down: ") + why));
        return t;
    }

    @Test
    void aBrokenConfigReportsDownAtTheFirstRestartNotAfterTheFailedOnes() {
        List<String> order = new ArrayList<>();
        boolean[] testRunning = {true};
        NginxTracker t = trackerWithConfigTest(1, testRunning, order);
        t.tick(0);
        nginxUp = false;
        t.tick(20 * MS);
        assertEquals(List.of("restart", "config test"), order, "both at once: no delay for a good config");
        t.tick(40 * MS);
        assertEquals(List.of(), reports, "the test has not finished");
        testRunning[0] = false;
        t.tick(60 * MS);
        assertEquals(List.of("nginx down: nginx down and its config test failed"), reports,
                "20 ms after the test failed, not after 3 x the 1 s start timeout");
        assertEquals(NginxTracker.Phase.GIVEN_UP, t.phase());
        assertEquals(1, restarts);
    }

    @Test
    void aGoodConfigTestChangesNothing() {
        List<String> order = new ArrayList<>();
        boolean[] testRunning = {false};
        NginxTracker t = trackerWithConfigTest(0, testRunning, order);
        t.tick(0);
        nginxUp = false;
        t.tick(20 * MS);
        t.tick(40 * MS);
        assertEquals(List.of(), reports);
        assertEquals(NginxTracker.Phase.RESTARTING, t.phase(), "waits for the restart as before");
        nginxUp = true;
        t.tick(60 * MS);
        assertEquals(NginxTracker.Phase.UP, t.phase());
        assertEquals(List.of(), reports);
    }

    @Test
    void crashLoopDoesNotFlap() {
        restartRevives = false;
        NginxTracker t = tracker();
        nginxUp = false;
        // nginx comes up for 2 s in every 3 s: never healthy for the 5 s hold-down
        for (long now = 0; now < 60_000 * MS; now += 20 * MS) {
            nginxUp = (now / MS) % 3000 >= 1000;
            t.tick(now);
        }
        assertEquals(List.of("nginx down"), reports);
    }
}
