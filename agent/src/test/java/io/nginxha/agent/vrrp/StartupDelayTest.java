package io.nginxha.agent.vrrp;

import static io.nginxha.agent.vrrp.InstanceTest.DOWN_V2_100;
import static io.nginxha.agent.vrrp.InstanceTest.DOWN_V2_99;
import static io.nginxha.agent.vrrp.InstanceTest.HIGHER;
import static io.nginxha.agent.vrrp.InstanceTest.S;
import static io.nginxha.agent.vrrp.InstanceTest.SELF;
import static io.nginxha.agent.vrrp.InstanceTest.T0;
import static io.nginxha.agent.vrrp.InstanceTest.advert;
import static io.nginxha.agent.vrrp.SeedInstance.config;
import static io.nginxha.agent.vrrp.InstanceTest.from;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.InstanceConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * keepalived 2.2.7's vrrp_startup_delay (vrrp_scheduler.c vrrp_init_instance_sands), on a fake clock: until the
 * delay has passed, every arming of a backup's down timer counts from the delay's end, so no instance becomes
 * master before then; after it, timers count from now as always.
 */
class StartupDelayTest {
    private static final long DELAY = 5 * S + S / 2;

    private static Instance startedWithDelay(InstanceConfig c) {
        Instance i = new Instance(c, SELF);
        i.step(Event.Startup.delayed(5500, T0), T0);
        return i;
    }

    @Test
    void aBackupWaitsTheDelayThenItsMasterDownInterval() {
        Instance i = startedWithDelay(config().build());
        assertEquals(VrrpState.BACKUP, i.state());
        assertEquals(T0 + DELAY + DOWN_V2_99, i.nextDeadline());
        i.step(new Event.TimerFired(), T0 + DELAY + DOWN_V2_99 - 1);
        assertEquals(VrrpState.BACKUP, i.state());
        List<Action> a = i.step(new Event.TimerFired(), T0 + DELAY + DOWN_V2_99);
        assertEquals(VrrpState.MASTER, i.state());
        String why = InstanceTest.onlyTransition(a).reason();
        assertTrue(why.contains("after vrrp_startup_delay 5.5"), why);
    }

    @Test
    void anAdvertDuringTheDelayRearmsFromItsEndAndAfterItFromNow() {
        Instance i = startedWithDelay(config().build());
        i.step(from(HIGHER, advert(100)), T0 + 2 * S);
        assertEquals(T0 + DELAY + DOWN_V2_99, i.nextDeadline(), "armed during the delay: from its end");
        i.step(from(HIGHER, advert(100)), T0 + 7 * S);
        assertEquals(T0 + 7 * S + DOWN_V2_99, i.nextDeadline(), "the delay is over: from now");
    }

    @Test
    void aResigningMasterDuringTheDelayIsFollowedOnlyAfterIt() {
        Instance i = startedWithDelay(config().build());
        i.step(from(HIGHER, advert(0)), T0 + S);
        assertEquals(T0 + DELAY + Timers.skewNanos(2, 99, 100), i.nextDeadline());
    }

    @Test
    void theAddressOwnerToo() {
        Instance owner = startedWithDelay(config().priority(255)
                .initialState(InstanceConfig.InitialState.MASTER).build());
        assertEquals(VrrpState.BACKUP, owner.state(), "not master at once, as without the delay");
        assertEquals(T0 + DELAY, owner.nextDeadline());
        owner.step(new Event.TimerFired(), T0 + DELAY);
        assertEquals(VrrpState.MASTER, owner.state());
    }

    @Test
    void withoutADelayNothingChanges() {
        Instance i = new Instance(config().priority(100).build(), SELF);
        i.step(Event.Startup.delayed(0, T0), T0);
        assertEquals(T0 + DOWN_V2_100, i.nextDeadline());
        Instance owner = new Instance(config().priority(255).initialState(InstanceConfig.InitialState.MASTER).build(),
                SELF);
        owner.step(Event.Startup.delayed(0, T0), T0);
        assertEquals(VrrpState.MASTER, owner.state());
    }
}
