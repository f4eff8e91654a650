package io.nginxha.agent.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.GlobalConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.os.Liveness;
import io.nginxha.agent.os.Stalls;
import io.nginxha.agent.reliability.Ledger;
import io.nginxha.agent.vrrp.VrrpState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The notify thread is part of the agent's liveness: hung in one notification, or dead in one, it stops the watchdog. */
class NotifierLivenessTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Liveness liveness = new Liveness(now::get);
    private static final GlobalConfig GLOBAL = new GlobalConfig("ha1", 2, null, false, List.of(), null, null, 30,
            GarpConfig.DEFAULTS);
    private static final InstanceConfig VI_1 = InstanceConfig.builder("VI_1").iface("eth0").vrid(1).priority(100)
            .build();

    private static AgentConfig config() {
        return new AgentConfig(GLOBAL, Map.of(), List.of(VI_1));
    }

    private Optional<String> awaitStall() throws InterruptedException {
        return Stalls.await(liveness, Duration.ofSeconds(5));
    }

    @Test
    void aNotificationThatHangsStopsTheWatchdogAfterItsBound() throws Exception {
        CountDownLatch hung = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        boolean[] first = {true};
        Notifier n = new Notifier(null, g -> {
            if (!first[0]) { // the reload's settings: stuck (as on a stuck disk or a blocking call)
                hung.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            first[0] = false;
            return new Notifier.Settings(null, null, false);
        }, GLOBAL);
        n.watchedBy(liveness);
        n.transition(VI_1, VrrpState.INIT, VrrpState.BACKUP, 100, "startup");
        n.reload(config());
        assertTrue(hung.await(5, TimeUnit.SECONDS));
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(Notifier.MAX_NOTIFICATION_MS));
        assertEquals(Optional.empty(), liveness.stalled(), "within its bound");
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertEquals(Optional.of("notify: failing for 30001 ms: one notification still running"), liveness.stalled());
        release.countDown();
        for (int i = 0; i < 200 && liveness.stalled().isPresent(); i++) {
            Thread.sleep(25);
        }
        assertEquals(Optional.empty(), liveness.stalled(), "done: fed again");
        n.close();
        Ledger.record("hardening", "the notify thread hung in one notification", 1,
                "the watchdog stops being fed after 30 s, and is fed again once it returns");
    }

    @Test
    void aNotifyThreadThatDiesStopsTheWatchdog() throws Exception {
        boolean[] first = {true};
        Notifier n = new Notifier(null, g -> {
            if (!first[0]) {
                throw new OutOfMemoryError("simulated");
            }
            first[0] = false;
            return new Notifier.Settings(null, null, false);
        }, GLOBAL);
        n.watchedBy(liveness);
        n.reload(config());
        assertEquals(Optional.of("notify: its thread has died"), awaitStall());
        n.close();
        assertEquals(Optional.empty(), liveness.stalled(), "closed: no longer watched");
        Ledger.record("hardening", "the notify thread killed by an Error in a notification", 1,
                "the watchdog stops being fed");
    }
}
