package io.nginxha.agent.runtime;

import static io.nginxha.agent.runtime.TestConfigs.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.InstanceConfig.InitialState;
import io.nginxha.agent.config.VirtualAddress;
import io.nginxha.agent.status.AgentStatus;
import io.nginxha.agent.status.InstanceStatus;
import io.nginxha.agent.vrrp.Event;
import io.nginxha.agent.vrrp.VrrpState;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A VIP that cannot be added is never shown as held: the add is retried (100, 400, 1500 ms), then the instance goes
 * to FAULT so a peer takes over, and tries again after the hold-down. Excluded VIPs are managed like the VIPs.
 * The loop runs with a fake clock and edge; GARPs are off (count 0) so the log shows only what is asked here.
 */
class VipFaultTest {
    private static final long MS = 1_000_000L;
    private static final GarpConfig NO_GARP = new GarpConfig(0, 0, 0, 0, 0, 0, 0);

    private final FakeEdge edge = new FakeEdge();
    private long now = 1_000_000 * MS;

    private Agent agent(InstanceConfig ic) {
        return new Agent(TestConfigs.agent(ic), (iface, family, src, peers) -> edge.transport, edge.vips, () -> now);
    }

    private static InstanceConfig vi1() {
        return TestConfigs.vi1(InitialState.BACKUP, 100, List.of(), NO_GARP);
    }

    /** Started and past its down timer: master, with whatever the first add did. */
    private Agent master(InstanceConfig ic) throws Exception {
        Agent agent = agent(ic);
        agent.start();
        now += 4_000 * MS;
        agent.runOnce();
        return agent;
    }

    private void advance(Agent agent, long ms) {
        now += ms * MS;
        agent.runOnce();
    }

    private static InstanceStatus status(Agent agent) throws Exception {
        var reply = agent.snapshot();
        agent.runOnce();
        AgentStatus s = reply.get(1, TimeUnit.SECONDS);
        return s.instances().get(0);
    }

    @Test
    void aVipAddedAtTheSecondAttemptIsHeldAndTheInstanceStaysMaster() throws Exception {
        edge.failingAdds = 1;
        Agent agent = master(vi1());
        assertEquals(VrrpState.MASTER, agent.states().get("VI_1"));
        assertFalse(status(agent).vipsHeld(), "never shown as held while the add failed");
        edge.take();
        advance(agent, 99);
        assertEquals(List.of(), edge.take(), "not retried before 100 ms");
        advance(agent, 1);
        assertEquals(List.of("add 192.168.16.130"), edge.take());
        InstanceStatus st = status(agent);
        assertTrue(st.vipsHeld());
        assertEquals(1, st.counts().vipAddFailures());
        assertEquals(VrrpState.MASTER, agent.states().get("VI_1"));
    }

    @Test
    void aVipThatCannotBeAddedPutsTheInstanceInFaultAfterThreeRetriesThenItTriesAgain() throws Exception {
        edge.failingAdds = 4;
        Agent agent = master(vi1());
        edge.take();
        advance(agent, 100);
        advance(agent, 400);
        assertEquals(VrrpState.MASTER, agent.states().get("VI_1"), "still retrying");
        assertEquals(List.of("add 192.168.16.130", "add 192.168.16.130"), edge.take().stream()
                .filter(l -> l.startsWith("add")).toList());
        advance(agent, 1499);
        assertEquals(VrrpState.MASTER, agent.states().get("VI_1"));
        advance(agent, 1);
        assertEquals(VrrpState.FAULT, agent.states().get("VI_1"));
        List<String> out = edge.take();
        assertTrue(out.containsAll(List.of("add 192.168.16.130", "advert 0 [192.168.16.130]",
                "remove 192.168.16.130")), out.toString());
        InstanceStatus st = status(agent);
        assertFalse(st.vipsHeld());
        assertEquals(4, st.counts().vipAddFailures());
        assertTrue(st.lastTransitionReason().contains("cannot add 192.168.16.130/32 after 4 attempts"),
                st.lastTransitionReason());
        advance(agent, 9_999);
        assertEquals(VrrpState.FAULT, agent.states().get("VI_1"), "held in FAULT for 10 s");
        advance(agent, 1);
        assertEquals(VrrpState.BACKUP, agent.states().get("VI_1"));
        advance(agent, 4_000);
        assertEquals(VrrpState.MASTER, agent.states().get("VI_1"), "no peer: master again, and this add works");
        assertTrue(status(agent).vipsHeld());
    }

    @Test
    void aTrackerThatRecoversDoesNotClearAVipFault() throws Exception {
        edge.failingAdds = 4;
        Agent agent = master(vi1());
        advance(agent, 100);
        advance(agent, 400);
        advance(agent, 1500);
        assertEquals(VrrpState.FAULT, agent.states().get("VI_1"));
        agent.inject("VI_1", new Event.FaultChanged(true, "eth1 down"));
        agent.runOnce();
        agent.inject("VI_1", new Event.FaultChanged(false, "eth1 up"));
        agent.runOnce();
        assertEquals(VrrpState.FAULT, agent.states().get("VI_1"), "the VIP fault still holds");
        advance(agent, 10_000);
        assertEquals(VrrpState.BACKUP, agent.states().get("VI_1"));
    }

    @Test
    void retriesStopWhenTheMastershipEnds() throws Exception {
        edge.failingAdds = 10;
        Agent agent = master(vi1());
        agent.inject("VI_1", new Event.FaultChanged(true, "eth0 down"));
        agent.runOnce();
        assertEquals(VrrpState.FAULT, agent.states().get("VI_1"));
        edge.take();
        advance(agent, 3_000);
        assertEquals(List.of(), edge.take(), "no retry of an add from a mastership that is over");
    }

    @Test
    void excludedVipsAreAddedAndRemovedWithTheVipsButNotAdvertised() throws Exception {
        VirtualAddress excluded = new VirtualAddress(ip("10.9.9.9"), 24, null, null, null);
        Agent agent = master(vi1().toBuilder().excludedVips(List.of(excluded)).build());
        List<String> out = edge.take();
        assertTrue(out.containsAll(List.of("add 192.168.16.130", "add 10.9.9.9")), out.toString());
        assertTrue(out.contains("advert 100 [192.168.16.130]"), out.toString());
        agent.inject("VI_1", new Event.FaultChanged(true, "eth0 down"));
        agent.runOnce();
        assertEquals(List.of("advert 0 [192.168.16.130]", "remove 192.168.16.130", "remove 10.9.9.9"), edge.take());
    }
}
