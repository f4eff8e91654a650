package io.nginxha.agent.runtime;

import static io.nginxha.agent.runtime.TestConfigs.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.InstanceConfig.InitialState;
import io.nginxha.agent.config.RouteConfig;
import io.nginxha.agent.config.RoutingEntry;
import io.nginxha.agent.config.RuleConfig;
import io.nginxha.agent.config.StaticNetwork;
import io.nginxha.agent.net.RouteManager;
import io.nginxha.agent.net.VmacManager;
import io.nginxha.agent.os.Liveness;
import io.nginxha.agent.status.AgentStatus;
import io.nginxha.agent.vrrp.VrrpState;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Virtual routes and rules follow the VIPs (on after them at MASTER, off before them when leaving), a failed route
 * add is retried like a VIP and the VIPs are not shown as held meanwhile; static entries go on at start and off at
 * a clean stop. The fake route manager writes into the fake edge's log, so the order is the one log's order.
 */
class RoutingRuntimeTest {
    private static final long MS = 1_000_000L;
    private static final GarpConfig NO_GARP = new GarpConfig(0, 0, 0, 0, 0, 0, 0);
    private static final RouteConfig ROUTE = new RouteConfig(false, ip("10.99.0.0"), 24, null, "eth0", null, 254,
            null, 0, 1, false, false, null);
    private static final RuleConfig RULE = new RuleConfig(false, ip("10.1.0.0"), 16, false, null, 0, false, 100, 1,
            100, null, null, null, null, false, null);
    private static final RouteConfig STATIC_ROUTE = new RouteConfig(false, ip("10.98.0.0"), 16, null, "eth0", null,
            254, null, 0, 1, false, false, null);

    private final FakeEdge edge = new FakeEdge();
    private int failingRouteAdds;
    private long now = 1_000_000 * MS;

    private final RouteManager routes = new RouteManager() {
        @Override
        public Result add(RoutingEntry e) {
            edge.log.add("add " + name(e));
            if (e instanceof RouteConfig && failingRouteAdds > 0) {
                failingRouteAdds--;
                return new Result("Network is unreachable");
            }
            return Result.OK;
        }

        @Override
        public Result remove(RoutingEntry e) {
            edge.log.add("remove " + name(e));
            return Result.OK;
        }
    };

    private static String name(RoutingEntry e) {
        return e instanceof RouteConfig r ? "route " + r.dst().getHostAddress() : "rule " + ((RuleConfig) e).priority();
    }

    private Agent agent(StaticNetwork statics) {
        InstanceConfig ic = TestConfigs.vi1(InitialState.BACKUP, 100, List.of(), NO_GARP).toBuilder()
                .virtualRoutes(List.of(ROUTE)).virtualRules(List.of(RULE)).build();
        AgentConfig base = TestConfigs.agent(ic);
        AgentConfig config = new AgentConfig(base.global(), base.scripts(), base.instances(), base.nginxChecks(),
                base.trackFiles(), base.syncGroups(), statics);
        return new Agent(config, (iface, family, src, peers) -> edge.transport, edge.vips, VmacManager.NONE, routes,
                () -> now,
                new Liveness(() -> now));
    }

    private void advance(Agent agent, long ms) {
        now += ms * MS;
        agent.runOnce();
    }

    private static boolean held(Agent agent) throws Exception {
        var reply = agent.snapshot();
        agent.runOnce();
        AgentStatus s = reply.get(1, TimeUnit.SECONDS);
        return s.instances().get(0).vipsHeld();
    }

    private List<String> changes() {
        return edge.take().stream().filter(l -> l.startsWith("add") || l.startsWith("remove")).toList();
    }

    @Test
    void routesThenRulesGoOnAfterTheVipsAndComeOffBeforeThem() throws Exception {
        Agent agent = agent(StaticNetwork.NONE);
        agent.start();
        assertEquals(List.of("remove rule 100"), changes(), "a leftover virtual rule is removed at start");
        advance(agent, 4_000);
        assertEquals(VrrpState.MASTER, agent.states().get("VI_1"));
        assertEquals(List.of("add 192.168.16.130", "add route 10.99.0.0", "add rule 100"), changes());
        assertTrue(held(agent));
        agent.requestShutdown();
        agent.runOnce();
        assertEquals(List.of("remove rule 100", "remove route 10.99.0.0", "remove 192.168.16.130"), changes());
    }

    @Test
    void aFailedRouteAddIsRetriedAndTheVipsAreNotShownAsHeldMeanwhile() throws Exception {
        failingRouteAdds = 1;
        Agent agent = agent(StaticNetwork.NONE);
        agent.start();
        advance(agent, 4_000);
        changes();
        assertFalse(held(agent), "a master without its route does not hold its VIPs");
        advance(agent, 100);
        assertEquals(List.of("add route 10.99.0.0"), changes(), "only what failed is tried again");
        assertTrue(held(agent));
        assertEquals(VrrpState.MASTER, agent.states().get("VI_1"));
    }

    @Test
    void aRouteThatCannotBeAddedPutsTheInstanceInFault() throws Exception {
        failingRouteAdds = 4;
        Agent agent = agent(StaticNetwork.NONE);
        agent.start();
        advance(agent, 4_000);
        advance(agent, 100);
        advance(agent, 400);
        advance(agent, 1_499);
        assertEquals(VrrpState.MASTER, agent.states().get("VI_1"), "still retrying");
        advance(agent, 1);
        assertEquals(VrrpState.FAULT, agent.states().get("VI_1"));
        List<String> out = changes();
        assertTrue(out.containsAll(List.of("remove rule 100", "remove route 10.99.0.0", "remove 192.168.16.130")),
                out.toString());
    }

    @Test
    void aReloadAppliesAChangedRouteSetOnAKeptMasterWithoutAnElection() throws Exception {
        Agent agent = agent(new StaticNetwork(List.of(), List.of(STATIC_ROUTE), List.of()));
        agent.start();
        advance(agent, 4_000);
        changes();
        RouteConfig moved = new RouteConfig(false, ip("10.95.0.0"), 24, null, "eth0", null, 254, null, 0, 1, false,
                false, null);
        InstanceConfig ic = TestConfigs.vi1(InitialState.BACKUP, 100, List.of(), NO_GARP).toBuilder()
                .virtualRoutes(List.of(moved)).virtualRules(List.of(RULE)).build();
        AgentConfig base = TestConfigs.agent(ic);
        AgentConfig next = new AgentConfig(base.global(), base.scripts(), base.instances(), base.nginxChecks(),
                base.trackFiles(), base.syncGroups(), StaticNetwork.NONE);
        var before = agent.routersByName().get("VI_1");
        agent.reloadFrom(() -> next);
        agent.requestReload();
        agent.runOnce();
        assertEquals(List.of("remove route 10.99.0.0", "add route 10.95.0.0", "remove route 10.98.0.0"), changes(),
                "the dropped route off, the new one on, the rule and the VIPs untouched; the static route off");
        assertTrue(before == agent.routersByName().get("VI_1"), "the same instance: no election");
        assertEquals(VrrpState.MASTER, agent.states().get("VI_1"));
    }

    @Test
    void staticEntriesGoOnAtStartBeforeTheInstancesAndOffAtAStop() throws Exception {
        Agent agent = agent(new StaticNetwork(List.of(), List.of(STATIC_ROUTE), List.of()));
        agent.start();
        assertEquals(List.of("remove rule 100", "add route 10.98.0.0"), changes());
        assertEquals(VrrpState.BACKUP, agent.states().get("VI_1"), "whatever the state");
        agent.requestShutdown();
        agent.runOnce();
        assertEquals(List.of("remove route 10.98.0.0"), changes(), "a backup has no virtual routes to take off");
    }
}
