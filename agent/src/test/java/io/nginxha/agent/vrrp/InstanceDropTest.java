package io.nginxha.agent.vrrp;

import static io.nginxha.agent.vrrp.SeedInstance.config;
import static io.nginxha.agent.vrrp.SeedInstance.ip;
import static io.nginxha.agent.vrrp.SeedInstance.vips;
import static io.nginxha.agent.vrrp.InstanceTest.DOWN_V2_99;
import static io.nginxha.agent.vrrp.InstanceTest.HIGHER;
import static io.nginxha.agent.vrrp.InstanceTest.S;
import static io.nginxha.agent.vrrp.InstanceTest.T0;
import static io.nginxha.agent.vrrp.InstanceTest.from;
import static io.nginxha.agent.vrrp.InstanceTest.started;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nginxha.agent.reliability.Ledger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The instance-level receive checks: a dropped advert is reported and changes nothing. */
class InstanceDropTest {
    private static final List<InetAddress> VIP = List.of(ip("192.168.16.130"));

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Feeds {@code advert} to a fresh v2 backup (seed config) and returns the single drop reason. */
    private static DropReason dropOf(Advert advert) {
        Instance instance = started(config().build());
        List<Action> actions = instance.step(from(HIGHER, advert), T0 + S);
        assertEquals(1, actions.size(), actions.toString());
        // Nothing else changed: the down timer still runs from start-up and no master was recorded.
        assertEquals(T0 + DOWN_V2_99, instance.nextDeadline());
        assertEquals(VrrpState.BACKUP, instance.state());
        assertEquals(true, instance.masterAddress().isEmpty());
        return ((Action.AdvertDropped) actions.get(0)).reason();
    }

    private static boolean accepted(Advert advert) {
        Instance instance = started(config().build());
        return instance.step(from(HIGHER, advert), T0 + S).isEmpty() && instance.nextDeadline() == T0 + S + DOWN_V2_99;
    }

    @Test
    void wrongVersion() {
        assertEquals(DropReason.VERSION, dropOf(new Advert(3, 66, 100, 100, VIP, 0, null)));
        Ledger.record("hostile packet", "advert of the other VRRP version (instance)",
                1, "dropped, state and timers unchanged");
    }

    @Test
    void wrongVrid() {
        assertEquals(DropReason.VRID, dropOf(new Advert(2, 67, 100, 100, VIP, 1, bytes("1111"))));
        Ledger.record("hostile packet", "wrong VRID (instance)", 1, "dropped, state and timers unchanged");
    }

    @Test
    void authTypeMismatchAndInvalidType() {
        assertEquals(DropReason.AUTH_TYPE, dropOf(new Advert(2, 66, 100, 100, VIP, 0, null)));
        assertEquals(DropReason.AUTH_TYPE, dropOf(new Advert(2, 66, 100, 100, VIP, 7, bytes("1111"))));
        Ledger.record("hostile packet", "wrong or invalid auth type (instance)",
                2, "dropped, state and timers unchanged");
    }

    @Test
    void passwordComparesAllEightZeroPaddedBytes() {
        assertEquals(DropReason.AUTH_PASSWORD, dropOf(new Advert(2, 66, 100, 100, VIP, 1, bytes("1112"))));
        assertEquals(DropReason.AUTH_PASSWORD, dropOf(new Advert(2, 66, 100, 100, VIP, 1, bytes("11110"))));
        assertEquals(DropReason.AUTH_PASSWORD,
                dropOf(new Advert(2, 66, 100, 100, VIP, 1, bytes("1111\0\0\0x"))));
        assertEquals(true, accepted(new Advert(2, 66, 100, 100, VIP, 1, bytes("1111\0\0\0\0"))));
        assertEquals(true, accepted(new Advert(2, 66, 100, 100, VIP, 1, bytes("1111"))));
        Ledger.record("hostile packet", "wrong password, incl. longer or with bytes after the padding (instance)",
                3, "dropped, state and timers unchanged");
    }

    @Test
    void noAuthenticationConfiguredAcceptsTypeZeroOnly() {
        Instance instance = started(config().authPass(null).build());
        assertEquals(List.of(), instance.step(from(HIGHER, new Advert(2, 66, 100, 100, VIP, 0, null)), T0 + S));
        List<Action> actions = instance.step(from(HIGHER, new Advert(2, 66, 100, 100, VIP, 1, bytes("1111"))),
                T0 + 2 * S);
        assertEquals(DropReason.AUTH_TYPE, ((Action.AdvertDropped) actions.get(0)).reason());
    }

    @Test
    void v2IntervalMismatch() {
        assertEquals(DropReason.INTERVAL, dropOf(new Advert(2, 66, 100, 200, VIP, 1, bytes("1111"))));
        Ledger.record("hostile packet", "VRRPv2 advert interval differing from ours (instance)",
                1, "dropped, state and timers unchanged");
    }

    @Test
    void addressCountAndList() {
        assertEquals(DropReason.ADDRESS_COUNT, dropOf(new Advert(2, 66, 100, 100,
                List.of(ip("192.168.16.130"), ip("192.168.16.131")), 1, bytes("1111"))));
        assertEquals(DropReason.ADDRESS_LIST, dropOf(new Advert(2, 66, 100, 100,
                List.of(ip("192.168.16.131")), 1, bytes("1111"))));
        Ledger.record("hostile packet", "VIP list differing from ours (instance)",
                2, "dropped, state and timers unchanged");
    }

    @Test
    void addressListOrderDoesNotMatter() {
        Instance instance = started(config().vips(vips("10.0.0.1", "10.0.0.2")).build());
        Advert reversed = new Advert(2, 66, 100, 100, List.of(ip("10.0.0.2"), ip("10.0.0.1")), 1, bytes("1111"));
        assertEquals(List.of(), instance.step(from(HIGHER, reversed), T0 + S));
        assertEquals(T0 + S + DOWN_V2_99, instance.nextDeadline());
    }

    @Test
    void droppedAdvertDoesNotMoveAMaster() {
        Instance instance = InstanceTest.master();
        long deadline = instance.nextDeadline();
        List<Action> actions = instance.step(from(HIGHER, new Advert(2, 66, 200, 100, VIP, 1, bytes("bad"))),
                T0 + 10 * S);
        assertEquals(List.of(new Action.AdvertDropped(DropReason.AUTH_PASSWORD, "wrong password")), actions);
        assertEquals(VrrpState.MASTER, instance.state());
        assertEquals(deadline, instance.nextDeadline());
        Ledger.record("hostile packet", "wrong password with priority 200 sent to a master (instance)",
                1, "dropped; stays master, timers unchanged");
    }

    @Test
    void v3HasNoIntervalCheck() {
        Instance instance = started(config().version(3).authPass(null).build());
        assertEquals(List.of(), instance.step(from(HIGHER, new Advert(3, 66, 100, 37, VIP, 0, null)), T0 + S));
        assertEquals(37, instance.masterAdverIntervalCs());
    }
}
