package io.nginxha.agent.vrrp;

import static io.nginxha.agent.vrrp.InstanceTest.HIGHER;
import static io.nginxha.agent.vrrp.InstanceTest.S;
import static io.nginxha.agent.vrrp.InstanceTest.SELF;
import static io.nginxha.agent.vrrp.InstanceTest.T0;
import static io.nginxha.agent.vrrp.InstanceTest.advert;
import static io.nginxha.agent.vrrp.SeedInstance.config;
import static io.nginxha.agent.vrrp.SeedInstance.vips;
import static io.nginxha.agent.vrrp.VrrpState.BACKUP;
import static io.nginxha.agent.vrrp.VrrpState.FAULT;
import static io.nginxha.agent.vrrp.VrrpState.INIT;
import static io.nginxha.agent.vrrp.VrrpState.MASTER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sync group's decisions with real instances and explicit times: the harness carries the group's orders out
 * as the agent's loop does (each order is a step, whose result goes back to the group).
 */
class SyncGroupTest {
    /** Master_Down_Interval for priority 99, version 2, 1 s adverts: 3 + 157/256 s. */
    static final long DOWN_99 = InstanceTest.DOWN_V2_99;

    private final Map<String, Instance> members = new LinkedHashMap<>();
    private final Map<String, List<Action>> done = new HashMap<>();
    private final List<StateChange> groupChanges = new ArrayList<>();
    private final List<String> waits = new ArrayList<>();
    private SyncGroup group;

    @BeforeEach
    void twoMembers() {
        members.put("VI_1", new Instance(config().build(), SELF, true));
        members.put("VI_2", new Instance(config().name("VI_2").iface("eth1").vrid(67)
                .vips(vips("192.168.17.130")).build(), SELF, true));
        group = new SyncGroup("G1", List.of("VI_1", "VI_2"));
        members.keySet().forEach(n -> done.put(n, new ArrayList<>()));
    }

    private void step(String name, Event event, long now) {
        List<Action> out = members.get(name).step(event, now);
        done.get(name).addAll(out);
        Map<String, SyncGroup.Member> view = new HashMap<>();
        members.forEach((n, i) -> view.put(n, SyncGroup.Member.of(i)));
        SyncGroup.Decision d = group.after(name, out, view, now);
        if (d.groupChange() != null) {
            groupChanges.add(d.groupChange());
        }
        if (d.waiting() != null) {
            waits.add(d.waiting());
        }
        for (SyncGroup.Order o : d.orders()) {
            step(o.member(), o.event(), now);
        }
    }

    private VrrpState state(String name) {
        return members.get(name).state();
    }

    private void startBoth() {
        step("VI_1", new Event.Startup(), T0);
        step("VI_2", new Event.Startup(), T0);
    }

    private void bothMaster() {
        startBoth();
        step("VI_1", new Event.TimerFired(), T0 + DOWN_99);
        step("VI_2", new Event.TimerFired(), T0 + DOWN_99);
        assertEquals(MASTER, group.state());
        done.values().forEach(List::clear);
        groupChanges.clear();
    }

    @Test
    void theGroupIsBackupOnceEveryMemberHasStarted() {
        step("VI_1", new Event.Startup(), T0);
        assertEquals(INIT, group.state(), "one member has not started yet");
        step("VI_2", new Event.Startup(), T0);
        assertEquals(BACKUP, group.state());
        assertEquals(1, groupChanges.size());
        assertEquals(INIT, groupChanges.get(0).from());
    }

    @Test
    void aMemberWhoseTimerRanOutWaitsForTheOthersThenAllBecomeMasterTogether() {
        startBoth();
        step("VI_1", new Event.TimerFired(), T0 + DOWN_99);
        assertEquals(BACKUP, state("VI_1"), "held: VI_2 does not want master yet");
        assertTrue(members.get("VI_1").wantsMaster());
        assertTrue(done.get("VI_1").stream().noneMatch(a -> a instanceof Action.AddVips));
        assertEquals(1, waits.size(), "the hold is explained");
        assertEquals(T0 + 2 * DOWN_99, members.get("VI_1").nextDeadline(), "and it waits one more interval");

        step("VI_2", new Event.TimerFired(), T0 + DOWN_99 + 1);
        assertEquals(MASTER, state("VI_1"));
        assertEquals(MASTER, state("VI_2"));
        assertEquals(MASTER, group.state());
        assertTrue(done.get("VI_1").stream().anyMatch(a -> a instanceof Action.AddVips));
        assertTrue(groupChanges.get(groupChanges.size() - 1).reason().contains("every member wants MASTER"));
    }

    @Test
    void aMasterHeardOnOneMemberCancelsItsWish() {
        startBoth();
        step("VI_1", new Event.TimerFired(), T0 + DOWN_99);
        step("VI_1", new Event.AdvertReceived(HIGHER, advert(200)), T0 + DOWN_99 + S);
        assertFalse(members.get("VI_1").wantsMaster(), "keepalived: wantstate BACKUP again on an advert");
        step("VI_2", new Event.TimerFired(), T0 + DOWN_99 + S);
        assertEquals(BACKUP, state("VI_1"));
        assertEquals(BACKUP, state("VI_2"), "VI_2 now waits for VI_1");
        assertEquals(BACKUP, group.state());
    }

    @Test
    void aFaultOfOneMemberTakesTheOthersToFaultAndTheMasterResigns() {
        bothMaster();
        step("VI_1", new Event.FaultChanged(true, "interface eth0 down"), T0 + 10 * S);
        assertEquals(FAULT, state("VI_1"));
        assertEquals(FAULT, state("VI_2"));
        assertEquals(FAULT, group.state());
        List<Action> other = done.get("VI_2");
        assertTrue(other.contains(new Action.SendAdvert(0)), "the other master resigns: the peer takes over fast");
        assertTrue(other.stream().anyMatch(a -> a instanceof Action.RemoveVips));
        assertFalse(members.get("VI_2").ownFault());
        assertEquals(1, groupChanges.size());
    }

    @Test
    void theGroupLeavesFaultOnlyWhenNoMemberHasAFaultOfItsOwn() {
        bothMaster();
        step("VI_1", new Event.FaultChanged(true, "eth0 down"), T0 + 10 * S);
        step("VI_2", new Event.FaultChanged(true, "eth1 down"), T0 + 11 * S);
        step("VI_1", new Event.FaultChanged(false, "eth0 up"), T0 + 12 * S);
        assertEquals(FAULT, state("VI_1"), "recovered, but held while VI_2 is in fault");
        assertEquals(FAULT, group.state());
        step("VI_2", new Event.FaultChanged(false, "eth1 up"), T0 + 13 * S);
        assertEquals(BACKUP, state("VI_1"));
        assertEquals(BACKUP, state("VI_2"));
        assertEquals(BACKUP, group.state());
        assertEquals(T0 + 13 * S + DOWN_99, members.get("VI_1").nextDeadline(), "a full down interval again");
    }

    @Test
    void aHigherPriorityAdvertOnOneMemberTakesTheGroupToBackupWithoutResigning() {
        bothMaster();
        step("VI_1", new Event.AdvertReceived(HIGHER, advert(200)), T0 + 10 * S);
        assertEquals(BACKUP, state("VI_1"));
        assertEquals(BACKUP, state("VI_2"));
        assertEquals(BACKUP, group.state());
        List<Action> other = done.get("VI_2");
        assertTrue(other.stream().anyMatch(a -> a instanceof Action.RemoveVips));
        assertFalse(other.contains(new Action.SendAdvert(0)), "keepalived's vrrp_sync_backup does not resign");
        assertTrue(groupChanges.get(0).reason().contains("VI_1 left MASTER"));
    }

    @Test
    void aMemberInFaultBeforeStartingHoldsTheWholeGroupInFault() {
        step("VI_1", new Event.FaultChanged(true, "eth0 down"), T0);
        step("VI_1", new Event.Startup(), T0);
        step("VI_2", new Event.Startup(), T0);
        assertEquals(FAULT, state("VI_1"));
        assertEquals(FAULT, state("VI_2"));
        assertEquals(Long.MAX_VALUE, members.get("VI_2").nextDeadline(), "no election while held");
        step("VI_1", new Event.FaultChanged(false, "eth0 up"), T0 + S);
        assertEquals(BACKUP, state("VI_2"));
    }

    @Test
    void aMemberThatBecomesMasterByItselfTakesTheOthersAlong() {
        startBoth();
        step("VI_1", new Event.Shutdown(), T0 + S);
        step("VI_1", new Event.Resume(true), T0 + S); // a reload continuing as master
        assertEquals(MASTER, state("VI_1"));
        assertEquals(MASTER, state("VI_2"));
        assertEquals(MASTER, group.state());
    }

    @Test
    void anAddressOwnerInAGroupAsksItsGroupAtOnce() {
        members.put("VI_1", new Instance(config().priority(255).initialState(
                io.nginxha.agent.config.InstanceConfig.InitialState.MASTER).build(), SELF, true));
        startBoth();
        assertEquals(BACKUP, state("VI_1"), "not master alone");
        step("VI_1", new Event.TimerFired(), T0);
        assertEquals(BACKUP, state("VI_1"), "VI_2 does not want master yet");
        step("VI_2", new Event.TimerFired(), T0 + DOWN_99);
        assertEquals(MASTER, state("VI_1"));
        assertEquals(MASTER, state("VI_2"));
    }

    @Test
    void theLastMemberStoppingStopsTheGroup() {
        bothMaster();
        step("VI_1", new Event.Shutdown(), T0 + 10 * S);
        assertEquals(MASTER, group.state(), "VI_2 still runs");
        step("VI_2", new Event.Shutdown(), T0 + 10 * S);
        assertEquals(INIT, group.state());
        StateChange last = groupChanges.get(groupChanges.size() - 1);
        assertNotNull(last);
        assertEquals(INIT, last.to());
    }

    @Test
    void anInstanceNotInTheGroupIsNoneOfItsBusiness() {
        Map<String, SyncGroup.Member> view = Map.of("VI_1", new SyncGroup.Member(BACKUP, false, false),
                "VI_2", new SyncGroup.Member(BACKUP, false, false));
        SyncGroup.Decision d = group.after("VI_9", List.of(new Action.MasterWanted("x")), view, T0);
        assertTrue(d.orders().isEmpty());
    }
}
