package io.nginxha.agent.vrrp;

import static io.nginxha.agent.vrrp.InstanceTest.DOWN_V2_100;
import static io.nginxha.agent.vrrp.InstanceTest.S;
import static io.nginxha.agent.vrrp.InstanceTest.SELF;
import static io.nginxha.agent.vrrp.InstanceTest.T0;
import static io.nginxha.agent.vrrp.SeedInstance.config;
import static io.nginxha.agent.vrrp.SeedInstance.ip;
import static io.nginxha.agent.vrrp.SeedInstance.vip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.VirtualAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * keepalived 2.2.7's answer to a master's VIP deleted behind its back (keepalived_netlink.c address_is_ours,
 * set_vrrp_backup), on a fake clock: priority 0, VIPs off, BACKUP with a down timer of the skew time only.
 */
class VipLossTest {
    /** VRRPv2 skew time for priority 100: (256 - 100) / 256 s. */
    private static final long SKEW_100 = 609_375_000L;
    private static final long T1 = T0 + DOWN_V2_100 + 5 * S;

    private static VirtualAddress noTrack(String literal) {
        VirtualAddress v = vip(literal);
        return new VirtualAddress(v.address(), v.prefix(), null, null, null, 0, true, null, v.source());
    }

    private static Instance master() {
        Instance i = new Instance(config().priority(100)
                .vips(List.of(vip("192.168.16.130"), noTrack("192.168.16.131")))
                .excludedVips(List.of(vip("192.168.16.140"))).build(), SELF);
        i.step(new Event.Startup(), T0);
        i.step(new Event.TimerFired(), T0 + DOWN_V2_100);
        assertEquals(VrrpState.MASTER, i.state());
        return i;
    }

    @Test
    void aMasterWhoseVipIsRemovedResignsAndComesBackAfterTheSkewTime() {
        Instance i = master();
        List<Action> a = i.step(new Event.VipRemoved("eth0", ip("192.168.16.130"), 32), T1);
        assertEquals(new Action.SendAdvert(0), a.get(0));
        assertEquals(new Action.RemoveVips(), a.get(1));
        Action.Transition t = (Action.Transition) a.get(2);
        assertEquals(VrrpState.BACKUP, t.to());
        assertTrue(t.reason().contains("192.168.16.130 was removed from eth0 by someone else"), t.reason());
        assertEquals(3, a.size(), a.toString());
        assertEquals(T1 + SKEW_100, i.nextDeadline(), "keepalived's quick way back: the skew time, not 3 x advert");
        i.step(new Event.TimerFired(), T1 + SKEW_100 - 1);
        assertEquals(VrrpState.BACKUP, i.state());
        List<Action> back = i.step(new Event.TimerFired(), T1 + SKEW_100);
        assertEquals(VrrpState.MASTER, i.state(), "alone on the LAN: master again, every VIP put back");
        assertTrue(back.contains(new Action.AddVips()), back.toString());
    }

    @Test
    void anExcludedVipCountsToo() {
        Instance i = master();
        i.step(new Event.VipRemoved("eth0", ip("192.168.16.140"), 32), T1);
        assertEquals(VrrpState.BACKUP, i.state());
    }

    @Test
    void noTrackOtherInterfacesOtherAddressesAndBackupsChangeNothing() {
        Instance i = master();
        assertEquals(List.of(), i.step(new Event.VipRemoved("eth0", ip("192.168.16.131"), 32), T1), "no_track");
        assertEquals(List.of(), i.step(new Event.VipRemoved("eth1", ip("192.168.16.130"), 32), T1), "not where we put it");
        assertEquals(List.of(), i.step(new Event.VipRemoved("eth0", ip("192.168.16.128"), 32), T1), "not a VIP");
        assertEquals(List.of(), i.step(new Event.VipRemoved("eth0", ip("192.168.16.130"), 24), T1),
                "another prefix: the VIP itself is still there (an old /24 a reload retired)");
        assertEquals(VrrpState.MASTER, i.state());
        Instance backup = new Instance(config().build(), SELF);
        backup.step(new Event.Startup(), T0);
        long deadline = backup.nextDeadline();
        assertEquals(List.of(), backup.step(new Event.VipRemoved("eth0", ip("192.168.16.130"), 32), T0 + S));
        assertEquals(deadline, backup.nextDeadline(), "a backup has no VIPs to lose");
    }
}
