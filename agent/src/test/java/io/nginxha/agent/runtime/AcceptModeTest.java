package io.nginxha.agent.runtime;

import static io.nginxha.agent.runtime.TestConfigs.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.FirewallConfig;
import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.GlobalConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.InstanceConfig.InitialState;
import io.nginxha.agent.config.InstanceDefaults;
import io.nginxha.agent.config.SchedulingConfig;
import io.nginxha.agent.config.VrrpOptions;
import io.nginxha.agent.net.Firewall;
import io.nginxha.agent.status.AgentStatus;
import io.nginxha.agent.vrrp.Advert;
import io.nginxha.agent.vrrp.VrrpState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Accept mode off through the whole loop (fake clock and edge): the drop rules go in before the VIPs and come out
 * after them, never outlive the agent or a reload that no longer needs them, and a firewall that fails is a failed
 * VIP add (retried, then FAULT), never a master that takes traffic its config says to drop.
 */
class AcceptModeTest {
    private static final long MS = 1_000_000L;
    private static final GarpConfig NO_GARP = new GarpConfig(0, 0, 0, 0, 0, 0, 0);

    private final FakeEdge edge = new FakeEdge();
    private final List<String> calls = new ArrayList<>();
    private int failing;
    private long now = 1_000_000 * MS;

    /** Logs each apply into the edge's log as "rules [addresses] table", so its order with the VIPs shows. */
    private final Firewall firewall = (config, blocked) -> {
        TreeSet<String> addrs = new TreeSet<>();
        blocked.forEach(b -> addrs.add(b.address().getHostAddress()));
        String line = "rules " + addrs + " " + config.table();
        edge.log.add(line);
        calls.add(line);
        if (failing > 0) {
            failing--;
            return Firewall.Result.failed("nft exited 1: Error: Could not process rule");
        }
        return Firewall.Result.OK;
    };

    private static InstanceConfig noAccept(String name, int vrid, String vip) {
        return TestConfigs.vi1(InitialState.BACKUP, 100, List.of(), NO_GARP).toBuilder().name(name).vrid(vrid)
                .vips(List.of(new io.nginxha.agent.config.VirtualAddress(ip(vip), 32, null, null, null)))
                .options(VrrpOptions.DEFAULTS.withAccept(false)).build();
    }

    private static AgentConfig config(FirewallConfig fw, InstanceConfig... instances) {
        GlobalConfig g = new GlobalConfig("test", 2, null, false, List.of(), null, null, 30, GarpConfig.DEFAULTS,
                0, fw, InstanceDefaults.DEFAULTS, SchedulingConfig.DEFAULTS);
        return new AgentConfig(g, Map.of(), List.of(instances));
    }

    private Agent agent(AgentConfig config) {
        Agent a = new Agent(config, (iface, family, src, peers) -> edge.transport, edge.vips, () -> now);
        a.useFirewall(firewall);
        return a;
    }

    private void advance(Agent agent, long ms) {
        now += ms * MS;
        agent.runOnce();
    }

    @Test
    void rulesGoInBeforeTheVipsAndComeOutAfterThemAndAtStop() throws Exception {
        Agent agent = agent(config(FirewallConfig.DEFAULTS, noAccept("VI_1", 66, "192.168.16.130")));
        agent.start();
        assertEquals(List.of("rules [] keepalived"), edge.take().stream().filter(l -> l.startsWith("rules")).toList(),
                "at start the tables a killed agent left are deleted");
        advance(agent, 4_000);
        assertEquals(VrrpState.MASTER, agent.states().get("VI_1"));
        List<String> out = edge.take();
        assertEquals(List.of("rules [192.168.16.130] keepalived", "add 192.168.16.130"), out.subList(0, 2), out.toString());
        // a higher priority master appears: VIPs off, then the rules
        java.net.InetAddress peer = ip("192.168.16.129");
        java.net.InetAddress group = ip("224.0.0.18");
        edge.listener.received(new io.nginxha.agent.net.PacketTransport.ReceivedPacket("eth0", peer, group, 255,
                io.nginxha.agent.vrrp.AdvertCodec.encode(new Advert(2, 66, 200, 100, List.of(ip("192.168.16.130")),
                        1, pass()), peer, group)));
        advance(agent, 1);
        assertEquals(VrrpState.BACKUP, agent.states().get("VI_1"));
        out = edge.take().stream().filter(l -> l.startsWith("rules") || l.startsWith("remove")).toList();
        assertEquals(List.of("remove 192.168.16.130", "rules [] keepalived"), out);
        advance(agent, 4_000); // the peer went quiet: master again
        assertEquals(VrrpState.MASTER, agent.states().get("VI_1"));
        edge.take();
        stop(agent);
        out = edge.take().stream().filter(l -> l.startsWith("rules") || l.startsWith("remove")).toList();
        assertEquals(List.of("remove 192.168.16.130", "rules [] keepalived"), out, "nothing is left at stop");
    }

    @Test
    void anInstanceWithAcceptModeNeverTouchesTheFirewall() throws Exception {
        InstanceConfig accept = TestConfigs.vi1(InitialState.BACKUP, 100, List.of(), NO_GARP);
        Agent agent = agent(config(FirewallConfig.DEFAULTS, accept));
        agent.start();
        advance(agent, 4_000);
        assertEquals(VrrpState.MASTER, agent.states().get("VI_1"));
        stop(agent);
        assertEquals(List.of(), calls);
    }

    @Test
    void aFirewallThatFailsIsAFailedAddRetriedThenFault() throws Exception {
        Agent agent = agent(config(FirewallConfig.DEFAULTS, noAccept("VI_1", 66, "192.168.16.130")));
        agent.start();
        failing = 1;
        advance(agent, 4_000);
        assertEquals(VrrpState.MASTER, agent.states().get("VI_1"));
        assertFalse(status(agent).instances().get(0).vipsHeld(), "not held while its drop rules are missing");
        advance(agent, 100);
        assertTrue(status(agent).instances().get(0).vipsHeld(), "the retry put the rules in");
        assertEquals(1, status(agent).instances().get(0).counts().vipAddFailures());
        assertEquals(1, status(agent).instances().get(0).counts().firewallFailures());
        failing = 100;
        stop(agent);
        failing = 0;
        Agent again = agent(config(FirewallConfig.DEFAULTS, noAccept("VI_1", 66, "192.168.16.130")));
        calls.clear();
        again.start();
        assertEquals(List.of("rules [] keepalived"), calls, "the next start deletes what the failed stop left");
        failing = 100;
        advance(again, 4_000);
        advance(again, 100);
        advance(again, 400);
        advance(again, 1500);
        assertEquals(VrrpState.FAULT, again.states().get("VI_1"));
        String reason = status(again).instances().get(0).lastTransitionReason();
        assertTrue(reason.contains("cannot add the drop rules of its VIPs after 4 attempts: drop rules (accept mode "
                + "off): nft exited 1"), reason);
    }

    @Test
    void aReloadKeepsRulesOnlyForInstancesThatStillNeedThem() throws Exception {
        InstanceConfig a = noAccept("A", 51, "10.0.0.1");
        InstanceConfig b = noAccept("B", 52, "10.0.0.2");
        Agent agent = agent(config(FirewallConfig.DEFAULTS, a, b));
        agent.start();
        advance(agent, 4_000);
        assertEquals("rules [10.0.0.1, 10.0.0.2] keepalived", calls.get(calls.size() - 1));
        // B now accepts, A moves to another table: B's VIP stays up without rules, A's rules move
        InstanceConfig bAccepts = b.toBuilder().options(VrrpOptions.DEFAULTS).build();
        reload(agent, config(new FirewallConfig("other", -1, false, false), a, bAccepts));
        assertEquals(VrrpState.MASTER, agent.states().get("B"));
        assertEquals("rules [10.0.0.1] other", calls.get(calls.size() - 1), calls.toString());
        // A is gone: its VIP goes and so do its rules
        reload(agent, config(new FirewallConfig("other", -1, false, false), bAccepts));
        assertEquals("rules [] other", calls.get(calls.size() - 1), calls.toString());
        assertTrue(edge.take().contains("remove 10.0.0.1"));
    }

    private static void reload(Agent agent, AgentConfig next) {
        agent.reloadFrom(() -> next);
        agent.requestReload();
        agent.runOnce();
    }

    private static void stop(Agent agent) {
        agent.requestShutdown();
        agent.runOnce();
    }

    private AgentStatus status(Agent agent) throws Exception {
        var reply = agent.snapshot();
        agent.runOnce();
        return reply.get(1, TimeUnit.SECONDS);
    }

    private static byte[] pass() {
        return java.util.Arrays.copyOf("1111".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 8);
    }
}
