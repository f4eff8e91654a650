package io.nginxha.agent.runtime;

import static io.nginxha.agent.runtime.TestConfigs.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.VirtualAddress;
import io.nginxha.agent.config.InstanceConfig.InitialState;
import io.nginxha.agent.net.PacketTransport;
import io.nginxha.agent.net.VipManager;
import io.nginxha.agent.vrrp.Advert;
import io.nginxha.agent.vrrp.AdvertCodec;
import io.nginxha.agent.vrrp.DropReason;
import io.nginxha.agent.vrrp.VrrpState;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The loop with a fake transport, VIP manager and clock, and the real {@code vrrp.Instance} and codec.
 * The clock is only moved by the test; every wait the loop computes is then zero or an input is queued.
 */
class AgentTest {
    private static final InetAddress SELF = ip("192.168.16.128");
    private static final InetAddress PEER = ip("192.168.16.129");
    private static final InetAddress GROUP = ip("224.0.0.18");
    private static final long SECOND = 1_000_000_000L;

    private final List<String> log = new ArrayList<>();
    private long now = 1_000 * SECOND;
    private final FakeVips vips = new FakeVips();
    private FakeTransport transport;

    private record Sent(Advert advert, InetAddress destination) { }

    private final class FakeTransport implements PacketTransport {
        final List<Sent> sent = new ArrayList<>();
        int garps;
        Listener listener;
        boolean closed;

        @Override public String interfaceName() { return "eth0"; }
        @Override public InetAddress sourceAddress() { return SELF; }
        @Override public void send(Advert advert, InetAddress destination) {
            sent.add(new Sent(advert, destination));
            log.add("advert " + advert.priority());
        }
        @Override public void sendGarp(List<Inet4Address> addresses) { garps++; }
        @Override public void sendNeighborAdverts(List<java.net.Inet6Address> addresses) { }
        @Override public void start(Listener l) { listener = l; log.add("transport started"); }
        @Override public void close() { closed = true; }

        void deliver(InetAddress from, Advert advert) {
            byte[] payload = AdvertCodec.encode(advert, from, GROUP);
            listener.received(new ReceivedPacket("eth0", from, GROUP, 255, payload));
        }
    }

    private final class FakeVips implements VipManager {
        final List<Assigned> present = new ArrayList<>();
        boolean failAdds;

        @Override public boolean add(String dev, InetAddress a, int prefix, String label) {
            log.add("add " + a.getHostAddress());
            if (failAdds) {
                throw new IllegalStateException("ip failed");
            }
            present.add(new Assigned(a, prefix, label));
            return true;
        }
        @Override public boolean remove(String dev, InetAddress a, int prefix) {
            log.add("remove " + a.getHostAddress());
            present.removeIf(x -> x.address().equals(a));
            return true;
        }
        @Override public List<Assigned> list(String dev) { return List.copyOf(present); }
    }

    private Agent agent(AgentConfig config) {
        return new Agent(config, (iface, family, src, peers) -> {
            log.add("transport opened");
            transport = new FakeTransport();
            return transport;
        }, vips, () -> now);
    }

    private static Advert advert(int priority) {
        return new Advert(2, 66, priority, 100, List.of(ip("192.168.16.130")), 1,
                new byte[] {'1', '1', '1', '1', 0, 0, 0, 0});
    }

    @Test
    void leftoverVipsInPartAreRemovedBeforeTheTransportOpens() throws Exception {
        vips.present.add(new VipManager.Assigned(ip("192.168.16.130"), 32, null));
        InstanceConfig two = TestConfigs.vi1(InitialState.BACKUP, 99, List.of(), GarpConfig.DEFAULTS).toBuilder()
                .vips(List.of(new VirtualAddress(ip("192.168.16.130"), 32, null, null, null),
                        new VirtualAddress(ip("192.168.16.131"), 32, null, null, null))).build();
        Agent agent = agent(TestConfigs.agent(two));
        agent.start();
        assertEquals(List.of("remove 192.168.16.130", "transport opened", "transport started"), log.subList(0, 3));
        assertTrue(vips.present.isEmpty());
        assertEquals(VrrpState.BACKUP, agent.states().get("VI_1"), "an ordinary start: into the election");
    }

    @Test
    void anAgentThatFindsAllItsVipsContinuesAsMasterWithoutAGap() throws Exception {
        vips.present.add(new VipManager.Assigned(ip("192.168.16.130"), 32, null));
        Agent agent = agent(TestConfigs.agent(TestConfigs.vi1(InitialState.BACKUP, 99, List.of(), GarpConfig.DEFAULTS)));
        agent.start();
        assertTrue(log.stream().noneMatch(l -> l.startsWith("remove")), log.toString());
        assertEquals(VrrpState.MASTER, agent.states().get("VI_1"), "at once, without waiting for the down timer");
        assertEquals("advert 99", log.stream().filter(l -> l.startsWith("advert")).findFirst().orElse(""));
        assertTrue(vips.present.stream().allMatch(a -> a.address().equals(ip("192.168.16.130"))), vips.present.toString());
    }

    @Test
    void aFailingReloadListenerDoesNotStopTheLoopNorTheOtherListeners() throws Exception {
        AgentConfig config = TestConfigs.agent(TestConfigs.vi1(InitialState.BACKUP, 99, List.of(), GarpConfig.DEFAULTS));
        Agent agent = agent(config);
        List<String> told = new ArrayList<>();
        agent.addReloadListener((next, fresh) -> {
            throw new IllegalStateException("broken");
        });
        agent.addReloadListener((next, fresh) -> told.add("fresh " + fresh));
        agent.start();
        AgentConfig changed = TestConfigs.agent(TestConfigs.vi1(InitialState.BACKUP, 98, List.of(), GarpConfig.DEFAULTS));
        agent.reloadFrom(() -> changed);
        agent.requestReload();
        agent.runOnce();
        assertEquals(List.of("fresh [VI_1]"), told, "the priority changed: VI_1 was made anew");
        now += 4 * SECOND;
        agent.runOnce();
        assertEquals(VrrpState.MASTER, agent.states().get("VI_1"), "the loop goes on");
    }

    @Test
    void anInstanceAReloadRemovesIsToldAsDeletedOneItChangesIsNot() throws Exception {
        InstanceConfig vi1 = TestConfigs.vi1(InitialState.BACKUP, 99, List.of(), GarpConfig.DEFAULTS);
        InstanceConfig vi2 = vi1.toBuilder().name("VI_2").vrid(67).build();
        Agent agent = agent(TestConfigs.agent(vi1, vi2));
        List<String> deleted = new ArrayList<>();
        agent.addTransitionListener(new TransitionListener() {
            public void changed(InstanceConfig i, VrrpState from, VrrpState to, int priority, String reason) { }

            public void deleted(InstanceConfig i, VrrpState state, int priority) {
                deleted.add(i.name() + " " + state + " " + priority);
            }
        });
        agent.start();
        AgentConfig next = TestConfigs.agent(vi1.toBuilder().name("VI_1b").priority(98).build());
        agent.reloadFrom(() -> next);
        agent.requestReload();
        agent.runOnce();
        assertEquals(List.of("VI_2 BACKUP 99"), deleted, "VI_1 goes on as VI_1b (same VRID on eth0): not deleted");
    }

    @Test
    void backupTakesOverWhenTheMasterIsSilent() throws Exception {
        Agent agent = agent(TestConfigs.agent(TestConfigs.vi1(InitialState.BACKUP, 100, List.of(), GarpConfig.DEFAULTS)));
        agent.start();
        assertEquals(VrrpState.BACKUP, agent.states().get("VI_1"));
        assertTrue(transport.sent.isEmpty());

        now += 3 * SECOND + 700_000_000L; // past Master_Down_Interval = 3 * 1 s + skew (0.61 s)
        agent.runOnce();
        assertEquals(VrrpState.MASTER, agent.states().get("VI_1"));
        assertEquals(new Sent(advert(100), GROUP).destination(), transport.sent.get(0).destination());
        assertEquals(100, transport.sent.get(0).advert().priority());
        assertEquals(List.of(ip("192.168.16.130")), vips.present.stream().map(VipManager.Assigned::address).toList());
        assertTrue(transport.garps >= 1);
    }

    @Test
    void vrrpStartupDelayKeepsEveryInstanceFromMasterUntilItHasPassed() throws Exception {
        AgentConfig plain = TestConfigs.agent(TestConfigs.vi1(InitialState.BACKUP, 100, List.of(), GarpConfig.DEFAULTS));
        io.nginxha.agent.config.GlobalConfig g = plain.global();
        AgentConfig delayed = new AgentConfig(new io.nginxha.agent.config.GlobalConfig(g.routerId(), g.vrrpVersion(),
                g.scriptUser(), g.enableScriptSecurity(), g.notificationEmails(), g.notificationEmailFrom(),
                g.smtpServer(), g.smtpConnectTimeoutSec(), g.garp(), g.statusPort(), g.firewall(), g.instanceDefaults(),
                g.scheduling(), g.fifos(), 2000), plain.scripts(), plain.instances(), plain.nginxChecks());
        Agent agent = agent(delayed);
        agent.start();
        now += 3 * SECOND + 700_000_000L; // past Master_Down_Interval, not past the delay plus it
        agent.runOnce();
        assertEquals(VrrpState.BACKUP, agent.states().get("VI_1"), "held by vrrp_startup_delay 2");
        assertTrue(transport.sent.isEmpty());
        now += 2 * SECOND;
        agent.runOnce();
        assertEquals(VrrpState.MASTER, agent.states().get("VI_1"), "2 s later than without the delay");
    }

    @Test
    void aTimerFiredLateIsMeasuredAsTheLoopsLag() throws Exception {
        Agent agent = agent(TestConfigs.agent(TestConfigs.vi1(InitialState.BACKUP, 100, List.of(), GarpConfig.DEFAULTS)));
        agent.start();
        long downTimer = now + 3 * SECOND + 609_375_000L; // 3 x 1 s + (256 - 100) / 256 s
        now = downTimer + 90_000_000L; // the loop woke 90 ms late (a pause)
        agent.runOnce();
        assertEquals(VrrpState.MASTER, agent.states().get("VI_1"));
        var reply = agent.snapshot();
        now += 2_000_000L; // the status request waits 2 ms in the queue
        agent.runOnce();
        io.nginxha.agent.status.LoopLagStatus lag = reply.get().loopLag();
        assertEquals(90_000_000L, lag.maxNanos());
        assertEquals(2, lag.count(), "the late timer and the queued request");
        assertEquals(92_000_000L, lag.sumNanos());
        int at50ms = java.util.Arrays.binarySearch(lag.boundsNanos(), 50_000_000L);
        assertEquals(1, lag.cumulativeCounts()[at50ms - 1], "the request, under 25 ms");
        assertEquals(1, lag.cumulativeCounts()[at50ms], "nothing between 25 and 50 ms");
        assertEquals(2, lag.cumulativeCounts()[at50ms + 1], "the timer, under 100 ms");
        String metrics = io.nginxha.agent.status.Metrics.render(reply.get());
        assertTrue(metrics.contains("vrrp_agent_loop_lag_seconds_bucket{le=\"0.1\"} 2\n"), metrics);
        assertTrue(metrics.contains("vrrp_agent_loop_lag_max_seconds 0.09\n"), metrics);
    }

    @Test
    void advertsFromAHigherPriorityMasterKeepUsBackup() throws Exception {
        Agent agent = agent(TestConfigs.agent(TestConfigs.vi1(InitialState.BACKUP, 99, List.of(), GarpConfig.DEFAULTS)));
        agent.start();
        for (int i = 0; i < 6; i++) {
            now += SECOND;
            transport.deliver(PEER, advert(100));
            agent.runOnce();
        }
        assertEquals(VrrpState.BACKUP, agent.states().get("VI_1"));
        assertTrue(transport.sent.isEmpty());
    }

    @Test
    void unknownVridIsCountedNotDelivered() throws Exception {
        Agent agent = agent(TestConfigs.agent(TestConfigs.vi1(InitialState.BACKUP, 99, List.of(), GarpConfig.DEFAULTS)));
        agent.start();
        Advert other = new Advert(2, 67, 100, 100, List.of(ip("192.168.16.131")), 0, new byte[0]);
        transport.deliver(PEER, other);
        agent.runOnce();
        assertEquals(1L, agent.dropCounts().get(DropReason.VRID));
    }

    @Test
    void advertFromANonPeerIsDroppedInUnicastMode() throws Exception {
        Agent agent = agent(TestConfigs.agent(TestConfigs.vi1(InitialState.BACKUP, 99, List.of(PEER), GarpConfig.DEFAULTS)));
        agent.start();
        transport.deliver(ip("192.168.16.140"), advert(100));
        agent.runOnce();
        assertEquals(1L, agent.dropCounts().get(DropReason.NOT_A_PEER));
        transport.deliver(PEER, advert(100));
        agent.runOnce();
        assertEquals(1L, agent.dropCounts().get(DropReason.NOT_A_PEER));
    }

    @Test
    void unicastAdvertsGoToEachPeer() throws Exception {
        InetAddress peer2 = ip("192.168.16.140");
        Agent agent = agent(TestConfigs.agent(TestConfigs.vi1(InitialState.MASTER, 100, List.of(PEER, peer2), GarpConfig.DEFAULTS)));
        agent.start();
        now += 4 * SECOND;
        agent.runOnce();
        assertEquals(VrrpState.MASTER, agent.states().get("VI_1"));
        assertEquals(List.of(PEER, peer2), transport.sent.subList(0, 2).stream().map(Sent::destination).toList());
    }

    @Test
    void shutdownResignsRemovesVipsAndStops() throws Exception {
        Agent agent = agent(TestConfigs.agent(TestConfigs.vi1(InitialState.BACKUP, 100, List.of(), GarpConfig.DEFAULTS)));
        agent.start();
        now += 4 * SECOND;
        agent.runOnce();
        assertEquals(VrrpState.MASTER, agent.states().get("VI_1"));
        log.clear();

        agent.requestShutdown();
        agent.runOnce();
        assertTrue(log.contains("advert 0"), log.toString());
        assertTrue(log.contains("remove 192.168.16.130"), log.toString());
        assertTrue(vips.present.isEmpty());
        assertTrue(transport.closed);
        assertTrue(agent.awaitStopped(0, TimeUnit.SECONDS));
    }

    @Test
    void aFailingActionDoesNotStopTheOthers() throws Exception {
        vips.failAdds = true;
        Agent agent = agent(TestConfigs.agent(TestConfigs.vi1(InitialState.BACKUP, 100, List.of(), GarpConfig.DEFAULTS)));
        agent.start();
        now += 4 * SECOND;
        agent.runOnce();
        assertEquals(VrrpState.MASTER, agent.states().get("VI_1"));
        assertFalse(transport.sent.isEmpty());
        assertTrue(transport.garps >= 1);
    }

    @Test
    void garpBurstIsSpreadOverTheLoopInsteadOfBlockingIt() throws Exception {
        GarpConfig garp = new GarpConfig(0, 3, 0, 1, 200, 0, 0);
        Agent agent = agent(TestConfigs.agent(TestConfigs.vi1(InitialState.BACKUP, 100, List.of(), garp)));
        agent.start();
        now += 4 * SECOND;
        agent.runOnce();
        assertEquals(1, transport.garps);
        now += 200_000_000L;
        agent.runOnce();
        assertEquals(2, transport.garps);
        now += 200_000_000L;
        agent.runOnce();
        assertEquals(3, transport.garps);
    }

    @Test
    void injectedEventForAnUnknownInstanceIsIgnored() throws Exception {
        Agent agent = agent(TestConfigs.agent(TestConfigs.vi1(InitialState.BACKUP, 99, List.of(), GarpConfig.DEFAULTS)));
        agent.start();
        agent.inject("VI_9", new io.nginxha.agent.vrrp.Event.PriorityChanged(50, "test"));
        agent.runOnce();
        assertEquals(VrrpState.BACKUP, agent.states().get("VI_1"));
    }

    @Test
    void theWatchdogIsFedOnlyWhileEveryWatchedThreadLives() throws Exception {
        io.nginxha.agent.os.Liveness liveness = new io.nginxha.agent.os.Liveness(() -> now);
        Agent agent = new Agent(TestConfigs.agent(TestConfigs.vi1(InitialState.BACKUP, 99, List.of(),
                GarpConfig.DEFAULTS)), (iface, family, src, peers) -> new FakeTransport(), vips,
                io.nginxha.agent.net.VmacManager.NONE, () -> now, liveness);
        io.nginxha.agent.os.Liveness.Heartbeat capture = liveness.register("capture on eth0", 6000);
        capture.beat();
        agent.start();
        assertEquals(null, agent.checkWatchdog());
        now += 7 * SECOND;
        agent.runOnce();
        assertEquals("capture on eth0: no sign of life for 7000 ms (limit 6000 ms)", agent.checkWatchdog());
        capture.beat();
        assertEquals(null, agent.checkWatchdog(), "fed again once it beats");
    }
}
