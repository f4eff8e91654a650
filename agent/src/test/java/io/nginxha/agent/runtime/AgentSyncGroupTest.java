package io.nginxha.agent.runtime;

import static io.nginxha.agent.runtime.TestConfigs.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.InstanceConfig.InitialState;
import io.nginxha.agent.config.NotifyConfig;
import io.nginxha.agent.config.SyncGroupConfig;
import io.nginxha.agent.config.VirtualAddress;
import io.nginxha.agent.net.PacketTransport;
import io.nginxha.agent.net.VipManager;
import io.nginxha.agent.status.AgentStatus;
import io.nginxha.agent.vrrp.Advert;
import io.nginxha.agent.vrrp.Event;
import io.nginxha.agent.vrrp.VrrpState;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The loop carries a sync group's decisions out: members stepped, the edge run, the group announced. */
class AgentSyncGroupTest {
    private static final long SECOND = 1_000_000_000L;
    private long now = 1_000 * SECOND;
    private final Map<String, List<Integer>> sentPriorities = new HashMap<>();
    private final List<String> vipLog = new ArrayList<>();
    private final List<String> groupLog = new ArrayList<>();

    private PacketTransport transport(String iface) {
        sentPriorities.put(iface, new ArrayList<>());
        return new PacketTransport() {
            @Override public String interfaceName() { return iface; }
            @Override public InetAddress sourceAddress() { return ip("192.168.16.128"); }
            @Override public void send(Advert advert, InetAddress destination) {
                sentPriorities.get(iface).add(advert.priority());
            }
            @Override public void sendGarp(List<Inet4Address> addresses) { }
            @Override public void start(Listener l) { }
            @Override public void close() { }
        };
    }

    private final VipManager vips = new VipManager() {
        @Override public boolean add(String dev, InetAddress a, int prefix, String label) {
            vipLog.add("add " + dev);
            return true;
        }
        @Override public boolean remove(String dev, InetAddress a, int prefix) {
            vipLog.add("remove " + dev);
            return true;
        }
        @Override public List<Assigned> list(String dev) { return List.of(); }
    };

    private Agent twoMemberAgent() throws Exception {
        InstanceConfig vi1 = TestConfigs.vi1(InitialState.BACKUP, 100, List.of(), GarpConfig.DEFAULTS);
        InstanceConfig vi2 = vi1.toBuilder().name("VI_2").iface("eth1").vrid(67)
                .vips(List.of(new VirtualAddress(ip("192.168.17.130"), 32, null, null, TestConfigs.SRC))).build();
        AgentConfig base = TestConfigs.agent(vi1, vi2);
        AgentConfig config = new AgentConfig(base.global(), Map.of(), base.instances(), Map.of(), Map.of(),
                List.of(new SyncGroupConfig("G1", List.of("VI_1", "VI_2"), NotifyConfig.NONE, TestConfigs.SRC)));
        Agent agent = new Agent(config, (iface, src, peers) -> transport(iface), vips, () -> now);
        agent.addSyncGroupListener((g, from, to, why) -> groupLog.add(g.name() + " " + from + " -> " + to));
        agent.start();
        return agent;
    }

    @Test
    void membersBecomeMasterTogetherAndAFaultTakesBothDown() throws Exception {
        Agent agent = twoMemberAgent();
        assertEquals(List.of("G1 INIT -> BACKUP"), groupLog);

        now += 3 * SECOND + 700_000_000L; // both down timers run out in this pass
        agent.runOnce();
        assertEquals(VrrpState.MASTER, agent.states().get("VI_1"));
        assertEquals(VrrpState.MASTER, agent.states().get("VI_2"));
        assertEquals(List.of("G1 INIT -> BACKUP", "G1 BACKUP -> MASTER"), groupLog);
        assertTrue(vipLog.contains("add eth0") && vipLog.contains("add eth1"), vipLog.toString());

        agent.inject("VI_2", new Event.FaultChanged(true, "interface eth1 down"));
        now += SECOND;
        agent.runOnce();
        assertEquals(VrrpState.FAULT, agent.states().get("VI_1"), "taken to FAULT by its group");
        assertEquals(VrrpState.FAULT, agent.states().get("VI_2"));
        List<Integer> eth0 = sentPriorities.get("eth0");
        assertEquals(0, eth0.get(eth0.size() - 1), "VI_1 resigned so the peer's VI_1 takes over fast");
        assertTrue(vipLog.contains("remove eth0"), vipLog.toString());
        assertEquals("G1 MASTER -> FAULT", groupLog.get(groupLog.size() - 1));

        agent.inject("VI_2", new Event.FaultChanged(false, "interface eth1 up"));
        now += SECOND;
        agent.runOnce();
        assertEquals(VrrpState.BACKUP, agent.states().get("VI_1"));
        assertEquals(VrrpState.BACKUP, agent.states().get("VI_2"));

        var reply = agent.snapshot();
        agent.runOnce(); // the loop answers the snapshot
        AgentStatus s = reply.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("G1", s.instances().get(0).syncGroup());
    }
}
