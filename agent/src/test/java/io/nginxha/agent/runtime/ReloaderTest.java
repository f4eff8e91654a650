package io.nginxha.agent.runtime;

import static io.nginxha.agent.runtime.TestConfigs.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.ConfigException;
import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.GlobalConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.InstanceConfig.InitialState;
import io.nginxha.agent.config.NotifyConfig;
import io.nginxha.agent.config.Source;
import io.nginxha.agent.config.VirtualAddress;
import io.nginxha.agent.net.PacketTransport;
import io.nginxha.agent.net.VipManager;
import io.nginxha.agent.vrrp.Advert;
import io.nginxha.agent.vrrp.VrrpState;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Reload with a fake transport and VIP manager: what stays untouched, what continues as master, what goes. */
class ReloaderTest {
    private static final InetAddress SELF = ip("192.168.16.128");
    private static final long SECOND = 1_000_000_000L;

    private long now = 1_000 * SECOND;
    /** Every VIP change and every advert, in order. */
    private final List<String> log = new ArrayList<>();
    private int transportsOpened;

    private final VipManager vips = new VipManager() {
        @Override public boolean add(String dev, InetAddress a, int prefix, String label) {
            log.add("add " + a.getHostAddress());
            return true;
        }
        @Override public boolean remove(String dev, InetAddress a, int prefix) {
            log.add("remove " + a.getHostAddress());
            return true;
        }
        @Override public List<Assigned> list(String dev) { return List.of(); }
    };

    private PacketTransport transport() {
        transportsOpened++;
        return new PacketTransport() {
            @Override public String interfaceName() { return "eth0"; }
            @Override public InetAddress sourceAddress() { return SELF; }
            @Override public void send(Advert advert, InetAddress destination) {
                log.add("advert vrid " + advert.vrid() + " priority " + advert.priority());
            }
            @Override public void sendGarp(List<Inet4Address> addresses) { }
            @Override public void sendNeighborAdverts(List<java.net.Inet6Address> addresses) { }
            @Override public void start(Listener l) { }
            @Override public void close() { }
        };
    }

    private static InstanceConfig instance(String name, int vrid, int priority, int line, String... vipAddresses) {
        Source src = new Source(Path.of("k.conf"), line);
        List<VirtualAddress> list = new ArrayList<>();
        for (String a : vipAddresses) {
            list.add(new VirtualAddress(ip(a), 32, null, null, src));
        }
        return InstanceConfig.builder(name).iface("eth0").vrid(vrid).priority(priority).authPass("s3cr3t").vips(list)
                .source(src).build();
    }

    private static AgentConfig config(InstanceConfig... instances) {
        return new AgentConfig(new GlobalConfig("test", 2, null, false, List.of(), null, null, 30, GarpConfig.DEFAULTS),
                Map.of(), List.of(instances));
    }

    /** Started, silent peer: every instance is master after its down timer. */
    private Agent mastersOf(AgentConfig config) throws Exception {
        Agent agent = new Agent(config, (iface, family, src, peers) -> transport(), vips, () -> now);
        agent.start();
        now += 4 * SECOND;
        agent.runOnce();
        for (String name : agent.states().keySet()) {
            assertEquals(VrrpState.MASTER, agent.states().get(name), name);
        }
        log.clear();
        return agent;
    }

    private void reload(Agent agent, AgentConfig next) {
        agent.reloadFrom(() -> next);
        agent.requestReload();
        agent.runOnce();
    }

    private List<String> vipChanges() {
        return log.stream().filter(l -> !l.startsWith("advert")).toList();
    }

    @Test
    void unchangedInstancesAreNotTouchedEvenWhenTheirLinesMoved() throws Exception {
        Agent agent = mastersOf(config(instance("A", 51, 100, 1, "10.0.0.1"), instance("B", 52, 100, 9, "10.0.0.2")));
        Map<String, Object> before = new LinkedHashMap<>(agent.routersByName());
        reload(agent, config(instance("A", 51, 100, 3, "10.0.0.1"), instance("B", 52, 100, 12, "10.0.0.2")));
        assertSame(before.get("A"), agent.routersByName().get("A"));
        assertSame(before.get("B"), agent.routersByName().get("B"));
        assertEquals(List.of(), log); // no advert out of turn, no VIP touched
        assertEquals(1, transportsOpened);
    }

    @Test
    void changedMasterContinuesAsMasterWithoutDroppingItsVip() throws Exception {
        Agent agent = mastersOf(config(instance("A", 51, 100, 1, "10.0.0.1")));
        Object old = agent.routersByName().get("A");
        reload(agent, config(instance("A", 51, 120, 1, "10.0.0.1", "10.0.0.9")));
        assertNotSame(old, agent.routersByName().get("A"));
        assertEquals(VrrpState.MASTER, agent.states().get("A"));
        assertEquals(List.of("add 10.0.0.1", "add 10.0.0.9", "advert vrid 51 priority 120"), log);
    }

    @Test
    void swappedVridsKeepBothVipsAndBothMasters() throws Exception {
        Agent agent = mastersOf(config(instance("A", 51, 100, 1, "10.0.0.1"), instance("B", 52, 100, 9, "10.0.0.2")));
        reload(agent, config(instance("A", 52, 100, 1, "10.0.0.1"), instance("B", 51, 100, 9, "10.0.0.2")));
        assertEquals(VrrpState.MASTER, agent.states().get("A"));
        assertEquals(VrrpState.MASTER, agent.states().get("B"));
        assertEquals(List.of("add 10.0.0.1", "add 10.0.0.2"), vipChanges());
        assertTrue(log.stream().noneMatch(l -> l.endsWith("priority 0")), log.toString());
    }

    @Test
    void vipMovingToANewInstanceIsNeverRemoved() throws Exception {
        Agent agent = mastersOf(config(instance("A", 51, 100, 1, "10.0.0.1", "10.0.0.2")));
        reload(agent, config(instance("A", 51, 100, 1, "10.0.0.1"), instance("C", 53, 100, 9, "10.0.0.2")));
        assertEquals(VrrpState.MASTER, agent.states().get("A"));
        assertEquals(VrrpState.MASTER, agent.states().get("C"));
        assertTrue(vipChanges().stream().noneMatch(l -> l.startsWith("remove")), log.toString());
    }

    @Test
    void removedMasterResignsAndItsVipGoes() throws Exception {
        Agent agent = mastersOf(config(instance("A", 51, 100, 1, "10.0.0.1"), instance("B", 52, 100, 9, "10.0.0.2")));
        reload(agent, config(instance("A", 51, 100, 1, "10.0.0.1")));
        assertEquals(List.of("advert vrid 52 priority 0", "remove 10.0.0.2"), log);
        assertEquals(Map.of("A", VrrpState.MASTER), agent.states());
    }

    @Test
    void vipDroppedFromAChangedMasterIsRemoved() throws Exception {
        Agent agent = mastersOf(config(instance("A", 51, 100, 1, "10.0.0.1", "10.0.0.2")));
        reload(agent, config(instance("A", 51, 100, 1, "10.0.0.1")));
        assertEquals(List.of("add 10.0.0.1", "remove 10.0.0.2"), vipChanges());
    }

    @Test
    void newInstanceWithNewVipsGoesThroughTheElection() throws Exception {
        Agent agent = mastersOf(config(instance("A", 51, 100, 1, "10.0.0.1")));
        reload(agent, config(instance("A", 51, 100, 1, "10.0.0.1"), instance("D", 54, 100, 5, "10.0.0.4")));
        assertEquals(VrrpState.BACKUP, agent.states().get("D"));
        assertEquals(List.of(), log);
    }

    @Test
    void invalidConfigIsRejectedAndTheOldOneKeepsRunning() throws Exception {
        Agent agent = mastersOf(config(instance("A", 51, 100, 1, "10.0.0.1")));
        Object old = agent.routersByName().get("A");
        agent.reloadFrom(() -> {
            throw new ConfigException(List.of("k.conf:3: priority must be an integer 1..255, got '0'"));
        });
        agent.requestReload();
        agent.runOnce();
        assertSame(old, agent.routersByName().get("A"));
        assertEquals(VrrpState.MASTER, agent.states().get("A"));
        assertEquals(List.of(), vipChanges());
    }

    @Test
    void interfaceThatCannotOpenRejectsTheWholeReload() throws Exception {
        AtomicReference<Boolean> fail = new AtomicReference<>(false);
        Agent agent = new Agent(config(instance("A", 51, 100, 1, "10.0.0.1")), (iface, family, src, peers) -> {
            if (fail.get()) {
                throw new java.io.IOException("no such device " + iface);
            }
            return transport();
        }, vips, () -> now);
        agent.start();
        now += 4 * SECOND;
        agent.runOnce();
        log.clear();
        fail.set(true);
        InstanceConfig onEth1 = InstanceConfig.builder("E").iface("eth1").vrid(60)
                .source(new Source(Path.of("k.conf"), 20)).build();
        reload(agent, config(instance("A", 51, 90, 1, "10.0.0.1"), onEth1));
        assertEquals(List.of("A"), List.copyOf(agent.routersByName().keySet()));
        assertEquals(100, agent.routersByName().get("A").config().priority()); // the old A still runs
        assertEquals(List.of(), log);
    }

    @Test
    void planPairsInstancesByWireIdentity() {
        Map<String, Reloader.Known> running = new LinkedHashMap<>();
        running.put("A", new Reloader.Known(instance("A", 51, 100, 1, "10.0.0.1"), VrrpState.MASTER, true));
        running.put("B", new Reloader.Known(instance("B", 52, 100, 5, "10.0.0.2"), VrrpState.BACKUP, false));
        Reloader.Plan plan = Reloader.plan(running, config(instance("X", 51, 100, 1, "10.0.0.1"),
                instance("B", 52, 100, 7, "10.0.0.2")));
        assertEquals(java.util.Set.of("B"), plan.kept());
        assertEquals(List.of("A"), plan.retired());
        assertEquals(java.util.Set.of("X"), plan.resumeAsMaster());
        assertEquals(List.of(), plan.resign()); // X speaks for VRID 51 now
    }

    @Test
    void changedTrackingOrNotifySettingsKeepTheInstanceAndSwapItsConfig() throws Exception {
        InstanceConfig a = instance("A", 51, 100, 1, "10.0.0.1");
        Agent agent = mastersOf(config(a));
        Object slot = agent.routersByName().get("A");
        List<String> told = new ArrayList<>();
        agent.addReloadListener((next, fresh) -> told.add(next.instances().get(0).name() + " fresh " + fresh));
        NotifyConfig mail = new NotifyConfig(List.of("/bin/true"), List.of(), List.of(), List.of(), List.of(), true);
        InstanceConfig retuned = a.toBuilder()
                .trackScripts(List.of(new InstanceConfig.Tracked("chk", -20, false, a.source()))).notifications(mail)
                .build();
        GlobalConfig g = new GlobalConfig("test", 2, null, false, List.of(), null, null, 30, GarpConfig.DEFAULTS);
        reload(agent, new AgentConfig(g, Map.of("chk", script(2000, 3)), List.of(retuned)));
        assertSame(slot, agent.routersByName().get("A"), "the same virtual router keeps running");
        assertSame(retuned, agent.routersByName().get("A").config(), "notify and tracking settings apply from now on");
        assertEquals(VrrpState.MASTER, agent.states().get("A"));
        assertEquals(List.of(), log, "no advert, no VIP change");
        assertEquals(List.of("A fresh []"), told);
        reload(agent, config(instance("A", 51, 90, 1, "10.0.0.1")));
        assertEquals(List.of("A fresh []", "A fresh [A]"), told, "a priority change makes it anew");
    }

    @Test
    void rejectedReloadTellsNoListener() throws Exception {
        Agent agent = mastersOf(config(instance("A", 51, 100, 1, "10.0.0.1")));
        List<String> told = new ArrayList<>();
        agent.addReloadListener((next, fresh) -> told.add("reloaded"));
        agent.reloadFrom(() -> {
            throw new ConfigException(List.of("k.conf:3: priority must be an integer 1..255, got 'x'"));
        });
        agent.requestReload();
        agent.runOnce();
        assertEquals(List.of(), told);
        assertEquals(100, agent.routersByName().get("A").config().priority());
    }

    private static io.nginxha.agent.config.ScriptConfig script(long intervalMs, int line) {
        return new io.nginxha.agent.config.ScriptConfig("chk", List.of("/bin/true"), intervalMs, 1000, 0, false, 1, 1,
                null, new Source(Path.of("k.conf"), line));
    }

    @Test
    void reloadQueuedBehindShutdownIsIgnored() throws Exception {
        Agent agent = mastersOf(config(instance("A", 51, 100, 1, "10.0.0.1")));
        agent.requestShutdown();
        agent.reloadFrom(() -> config(instance("A", 51, 100, 1, "10.0.0.1"), instance("B", 52, 100, 9, "10.0.0.2")));
        agent.requestReload();
        agent.runOnce();
        assertEquals(List.of("A"), List.copyOf(agent.routersByName().keySet()));
        assertEquals(List.of("advert vrid 51 priority 0", "remove 10.0.0.1"), log);
    }
}
