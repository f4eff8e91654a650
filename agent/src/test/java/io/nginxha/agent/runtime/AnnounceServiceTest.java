package io.nginxha.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.AnnounceConfig;
import io.nginxha.agent.config.RoutingEntry;
import io.nginxha.agent.config.VirtualAddress;
import io.nginxha.agent.net.RouteManager;
import io.nginxha.agent.net.VipManager;
import io.nginxha.agent.status.AnnounceStatus;
import io.nginxha.agent.vrrp.Event;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The announce edge against recording fakes: what reaches the kernel, in which order, and what status says. */
class AnnounceServiceTest {
    /** Every change the edge made, in order ("route+ 2 ..." is a route of type 2, RTN_LOCAL). */
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean refuseAdds;

    private final VipManager vips = new VipManager() {
        @Override
        public boolean add(String dev, InetAddress address, int prefix, String label) {
            calls.add("add " + dev + " " + address.getHostAddress() + "/" + prefix);
            return !refuseAdds;
        }

        @Override
        public boolean remove(String dev, InetAddress address, int prefix) {
            calls.add("del " + dev + " " + address.getHostAddress() + "/" + prefix);
            return true;
        }

        @Override
        public List<Assigned> list(String dev) {
            return List.of();
        }
    };

    private final RouteManager routes = new RouteManager() {
        @Override
        public Result add(RoutingEntry entry) {
            calls.add("route+ " + entry);
            return Result.OK;
        }

        @Override
        public Result remove(RoutingEntry entry) {
            calls.add("route- " + entry);
            return Result.OK;
        }
    };

    private static AnnounceConfig group(long drainMs) throws Exception {
        return new AnnounceConfig("web", "lo", List.of(new VirtualAddress(InetAddress.getByName("198.51.100.10"), 32,
                "lo", null, null)), List.of(), List.of(), 5000, drainMs, null);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }

    /** The service has removed what a killed agent may have left (its first work); the record starts after that. */
    private AnnounceService started(AnnounceService s) throws InterruptedException {
        await(() -> calls.contains(LEFTOVER));
        calls.clear();
        return s;
    }

    private static final String LEFTOVER = "route- 2 198.51.100.10/32 dev lo table 255 scope 254";

    private static AnnounceStatus only(AnnounceService s) {
        return s.statuses().get(0);
    }

    @Test
    void healthyHoldsTheVipAndAStopDrainsThroughALocalRouteBeforeLettingGo() throws Exception {
        try (AnnounceService s = new AnnounceService(List.of(group(200)), vips, routes, Clock.SYSTEM, null)) {
            await(() -> !calls.isEmpty());
            assertEquals(List.of(LEFTOVER), calls, "first, a drain route a killed agent may have left comes off");
            calls.clear();
            assertEquals("WAITING", only(s).state());
            s.health("web", true, "nginx up");
            await(() -> only(s).announced());
            assertEquals(List.of("add lo 198.51.100.10/32"), calls);
            long before = System.nanoTime();
            s.stop().get(10, TimeUnit.SECONDS);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
            assertTrue(tookMs >= 200, "let go only after the drain time: " + tookMs + " ms");
            assertEquals(List.of("add lo 198.51.100.10/32",
                    "route+ 2 198.51.100.10/32 dev lo table 255 scope 254",
                    "del lo 198.51.100.10/32",
                    "del lo 198.51.100.10/32",
                    "route- 2 198.51.100.10/32 dev lo table 255 scope 254"), calls,
                    "the drain route goes on before the address comes off, and off at the end");
            assertEquals("STOPPED", only(s).state());
            assertEquals(1, only(s).withdrawals());
        }
    }

    @Test
    void aRefusedAddIsAWithdrawnGroupThatSaysWhyAndTriesAgain() throws Exception {
        refuseAdds = true;
        try (AnnounceService s = started(new AnnounceService(List.of(group(0)), vips, routes, Clock.SYSTEM, null))) {
            s.health("web", true, "nginx up");
            await(() -> only(s).holdFailures() == 1);
            assertEquals("WITHDRAWN", only(s).state());
            assertEquals("hold_failed", only(s).cause());
            assertEquals("the VIPs could not be added: adding 198.51.100.10/32 to lo failed; trying again in 1000 ms",
                    only(s).reason());
            assertEquals(List.of("add lo 198.51.100.10/32", "del lo 198.51.100.10/32"), calls,
                    "a half-added group is taken off");
            refuseAdds = false;
            await(() -> only(s).announced());
            assertEquals("retried", only(s).cause());
        }
    }

    private static AnnounceConfig group(String name, String... vips) throws Exception {
        List<VirtualAddress> list = new ArrayList<>();
        for (String v : vips) {
            list.add(new VirtualAddress(InetAddress.getByName(v), 32, "lo", null, null));
        }
        return new AnnounceConfig(name, "lo", list, List.of(), List.of(), 5000, 0, null);
    }

    private static io.nginxha.agent.config.AgentConfig withGroups(AnnounceConfig... groups) {
        io.nginxha.agent.config.GlobalConfig g = new io.nginxha.agent.config.GlobalConfig("h1", 2, null, false,
                List.of(), null, null, 30, io.nginxha.agent.config.GarpConfig.DEFAULTS);
        return new io.nginxha.agent.config.AgentConfig(g, java.util.Map.of(), List.of(), java.util.Map.of(),
                java.util.Map.of(), List.of(), io.nginxha.agent.config.StaticNetwork.NONE, List.of(groups));
    }

    @Test
    void aReloadKeepsAnAnnouncedGroupAnnouncedChangesItsVipsAndReleasesARemovedGroup() throws Exception {
        AnnounceConfig web = group("web", "198.51.100.10", "198.51.100.11");
        AnnounceConfig api = group("api", "198.51.100.20");
        try (AnnounceService s = new AnnounceService(List.of(web, api), vips, routes, Clock.SYSTEM, null)) {
            await(() -> calls.size() == 3); // the leftover drain routes of both groups
            calls.clear();
            s.health("web", true, "nginx up");
            s.health("api", true, "nginx up");
            await(() -> s.statuses().stream().allMatch(AnnounceStatus::announced));
            calls.clear();
            s.reload(withGroups(group("web", "198.51.100.10", "198.51.100.12"), group("new", "198.51.100.30")));
            assertTrue(s.has("new"), "the verdicts for a new group go to it at once, before the reload ran");
            await(() -> s.statuses().size() == 2 && s.statuses().get(1).name().equals("new"));
            assertEquals(List.of("del lo 198.51.100.20/32", "del lo 198.51.100.11/32", "add lo 198.51.100.10/32",
                    "add lo 198.51.100.12/32"), calls, "api released, web's dropped VIP off and its new one on");
            assertEquals("ANNOUNCED", s.statuses().get(0).state(), "no withdraw of the kept group");
            assertEquals(List.of("198.51.100.10/32", "198.51.100.12/32"), s.statuses().get(0).vips());
            assertEquals("WAITING", s.statuses().get(1).state(), "a new group waits for its verdict");
            assertFalse(s.has("api"));
        }
    }

    @Test
    void theTrackersVerdictsForAGroupComeHereAndTheRestGoesToTheInstances() throws Exception {
        List<String> toInstances = new ArrayList<>();
        try (AnnounceService s = new AnnounceService(List.of(group(0)), vips, routes, Clock.SYSTEM, null)) {
            var inject = s.routing((name, event) -> toInstances.add(name + " " + event));
            inject.accept("VI_1", new Event.FaultChanged(true, "nginx down"));
            inject.accept("web", new Event.PriorityChanged(50, "ignored: a group has no priority"));
            inject.accept("web", new Event.FaultChanged(false, "nginx up"));
            await(() -> only(s).announced());
            assertEquals(List.of("VI_1 " + new Event.FaultChanged(true, "nginx down")), toInstances);
            inject.accept("web", new Event.FaultChanged(true, "nginx down"));
            await(() -> !only(s).announced());
            assertEquals("unhealthy: nginx down", only(s).reason());
            assertFalse(s.has("VI_1"));
        }
    }
}
