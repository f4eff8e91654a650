package io.nginxha.agent.vrrp;

import static io.nginxha.agent.vrrp.InstanceTest.DOWN_V2_100;
import static io.nginxha.agent.vrrp.InstanceTest.S;
import static io.nginxha.agent.vrrp.InstanceTest.T0;
import static io.nginxha.agent.vrrp.InstanceTest.advert;
import static io.nginxha.agent.vrrp.InstanceTest.from;
import static io.nginxha.agent.vrrp.InstanceTest.started;
import static io.nginxha.agent.vrrp.SeedInstance.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.GarpConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A master stalled across its garp_master_delay deadline (fake clock): the overdue burst waits a short grace, so a
 * better master's advert that arrived during the stall is heard first and no gratuitous ARP goes out from a host
 * that is about to step down; with nobody better, the burst still goes, that grace later.
 */
class MasterGarpsStallTest {
    private static final long BECAME_MASTER = T0 + DOWN_V2_100;
    /** garp_master_delay 5 s after becoming master; the instance runs again 1.5 s after it. */
    private static final long RESUMED = BECAME_MASTER + 6_500_000_000L;

    /** The seed pair's ha1 with keepalived's default GARP timers (a second burst of 5 after 5 s). */
    private static Instance master() {
        Instance instance = started(config().priority(100).garp(GarpConfig.DEFAULTS).build());
        InstanceTest.runUntil(instance, BECAME_MASTER);
        assertEquals(VrrpState.MASTER, instance.state());
        return instance;
    }

    private static long garps(List<Action> actions) {
        return actions.stream().filter(Action.SendGarp.class::isInstance).count();
    }

    /** The loop's pass at {@code at}: due timers fire once (the stall made them all overdue). */
    private static List<Action> firedAt(Instance instance, long at) {
        return instance.step(new Event.TimerFired(), at);
    }

    @Test
    void theOverdueBurstWaitsAndTheBetterMastersAdvertDisarmsIt() {
        Instance instance = master();
        List<Action> resumed = firedAt(instance, RESUMED);
        assertEquals(0, garps(resumed), "no burst at the resume: " + resumed);
        assertEquals(1, resumed.stream().filter(Action.SendAdvert.class::isInstance).count(), "the advert goes");
        assertEquals(RESUMED + MasterGarps.GRACE_NANOS, instance.nextDeadline());
        List<Action> heard = instance.step(from(InstanceTest.HIGHER, advert(150)), RESUMED + 20_000_000L);
        assertEquals(VrrpState.BACKUP, instance.state());
        assertEquals(0, garps(heard), heard.toString());
        List<Action> later = InstanceTest.runUntil(instance, RESUMED + S);
        assertEquals(0, garps(later), "disarmed by the step-down: " + later);
    }

    @Test
    void withNobodyBetterTheBurstGoesAfterTheGrace() {
        Instance instance = master();
        assertEquals(0, garps(firedAt(instance, RESUMED)));
        List<Action> graced = firedAt(instance, RESUMED + MasterGarps.GRACE_NANOS);
        assertEquals(List.of(new Action.SendGarp(5)), graced.stream().filter(Action.SendGarp.class::isInstance)
                .toList());
    }

    @Test
    void aBurstOnTimeGoesAtOnce() {
        Instance instance = master();
        List<Action> actions = InstanceTest.runUntil(instance, BECAME_MASTER + 5 * S);
        assertEquals(1, garps(actions), actions.toString());
        assertTrue(instance.nextDeadline() > BECAME_MASTER + 5 * S);
    }
}
