package io.nginxha.agent.vrrp;

import static io.nginxha.agent.vrrp.InstanceTest.DOWN_V2_100;
import static io.nginxha.agent.vrrp.InstanceTest.HIGHER;
import static io.nginxha.agent.vrrp.InstanceTest.LOWER;
import static io.nginxha.agent.vrrp.InstanceTest.S;
import static io.nginxha.agent.vrrp.InstanceTest.SELF;
import static io.nginxha.agent.vrrp.InstanceTest.T0;
import static io.nginxha.agent.vrrp.InstanceTest.advert;
import static io.nginxha.agent.vrrp.InstanceTest.from;
import static io.nginxha.agent.vrrp.SeedInstance.config;
import static io.nginxha.agent.vrrp.SeedInstance.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.VrrpOptions;
import io.nginxha.agent.vrrp.Action.RemoveVips;
import io.nginxha.agent.vrrp.Action.Transition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The core with keepalived's protocol switches that strict mode forces (lower_prio_no_advert, no
 * higher_prio_send_advert) and skip_check_adv_addr, driven with a fake clock.
 */
class StrictOptionsTest {
    private static final VrrpOptions STRICT = new VrrpOptions(true, false, false, true, false);
    private static final VrrpOptions SKIP = new VrrpOptions(false, true, true, false, true);

    private static Instance master(VrrpOptions options) {
        Instance instance = new Instance(config().priority(100).options(options).build(), SELF);
        instance.step(new Event.Startup(), T0);
        instance.step(new Event.TimerFired(), T0 + DOWN_V2_100);
        assertEquals(VrrpState.MASTER, instance.state());
        return instance;
    }

    @Test
    void aStrictMasterDoesNotAnswerALowerPriorityAdvert() {
        Instance instance = master(STRICT);
        long deadline = instance.nextDeadline();
        assertEquals(List.of(), instance.step(from(LOWER, advert(50)), T0 + DOWN_V2_100 + S / 2).stream()
                .filter(Action.SendAdvert.class::isInstance).toList(), "no advert in answer");
        assertEquals(deadline, instance.nextDeadline(), "the next advert stays on its schedule");
        assertEquals(List.of(new Action.SendAdvert(100)), master(VrrpOptions.DEFAULTS)
                .step(from(LOWER, advert(50)), T0 + DOWN_V2_100 + S / 2).stream()
                .filter(Action.SendAdvert.class::isInstance).toList(), "outside strict mode it does");
    }

    @Test
    void aStrictMasterStepsDownWithoutAdverts() {
        List<Action> actions = master(STRICT).step(from(LOWER, advert(101)), T0 + 10 * S);
        assertEquals(List.of(new RemoveVips(), new Transition(VrrpState.MASTER, VrrpState.BACKUP,
                "higher priority advert from 192.168.16.2 (101 > 100)")), actions);
    }

    @Test
    void skipCheckAdvAddrSparesOnlyTheMasterAlreadyFollowed() {
        Instance instance = new Instance(config().priority(100).options(SKIP).build(), SELF);
        instance.step(new Event.Startup(), T0);
        Advert otherVips = new Advert(2, 66, 150, 100, List.of(ip("192.168.16.99")), 1,
                "1111".getBytes(StandardCharsets.US_ASCII));
        // the first advert from a master is checked: its address list differs, so it is dropped
        List<Action> first = instance.step(from(HIGHER, otherVips), T0 + S);
        assertTrue(first.get(0) instanceof Action.AdvertDropped d && d.reason() == DropReason.ADDRESS_LIST, first.toString());
        // once followed (a correct advert), its later adverts are not checked
        assertEquals(List.of(), instance.step(from(HIGHER, advert(150)), T0 + 2 * S));
        assertEquals(List.of(), instance.step(from(HIGHER, otherVips), T0 + 3 * S));
        assertEquals(T0 + 3 * S + DOWN_V2_100, instance.nextDeadline(), "it reset the down timer");
        // another source is checked again
        List<Action> other = instance.step(from(LOWER, otherVips), T0 + 4 * S);
        assertTrue(other.get(0) instanceof Action.AdvertDropped, other.toString());
        // without the option every advert is checked
        Instance plain = new Instance(config().priority(100).build(), SELF);
        plain.step(new Event.Startup(), T0);
        plain.step(from(HIGHER, advert(150)), T0 + S);
        assertTrue(plain.step(from(HIGHER, otherVips), T0 + 2 * S).get(0) instanceof Action.AdvertDropped);
    }

    @Test
    void aMasterAlwaysChecksAddressesEvenWithTheOption() {
        Instance instance = master(SKIP);
        Advert otherVips = new Advert(2, 66, 150, 100, List.of(ip("192.168.16.99")), 1,
                "1111".getBytes(StandardCharsets.US_ASCII));
        List<Action> out = instance.step(from(HIGHER, otherVips), T0 + 10 * S);
        assertTrue(out.get(0) instanceof Action.AdvertDropped, out.toString());
        assertEquals(VrrpState.MASTER, instance.state());
    }
}
