package io.nginxha.agent.runtime;

import static io.nginxha.agent.runtime.TestConfigs.SRC;
import static io.nginxha.agent.runtime.TestConfigs.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.InstanceConfig.InitialState;
import io.nginxha.agent.config.VirtualAddress;
import io.nginxha.agent.config.WireId.Family;
import io.nginxha.agent.net.PacketTransport;
import io.nginxha.agent.net.VipManager;
import io.nginxha.agent.vrrp.Advert;
import io.nginxha.agent.vrrp.AdvertCodec;
import io.nginxha.agent.vrrp.VrrpState;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * IPv4 and IPv6 VRRP on one interface with the same VRID are two virtual routers (RFC 5798): each family gets a
 * transport of its own, and an advert reaches only the instance of its family.
 */
class FamilyRoutingTest {
    private static final long SECOND = 1_000_000_000L;
    private static final InetAddress SELF4 = ip("192.168.16.128");
    private static final InetAddress PEER4 = ip("192.168.16.129");
    private static final InetAddress SELF6 = ip("fe80::128");
    private static final InetAddress PEER6 = ip("fe80::129");
    private static final InetAddress GROUP4 = ip("224.0.0.18");
    private static final InetAddress GROUP6 = ip("ff02::12");

    private long now = 1_000 * SECOND;
    private final Map<Family, Fake> transports = new EnumMap<>(Family.class);
    private final List<String> added = new ArrayList<>();

    private record Sent(Advert advert, InetAddress destination) { }

    private static final class Fake implements PacketTransport {
        final InetAddress self;
        final List<Sent> sent = new ArrayList<>();
        final List<InetAddress> garps = new ArrayList<>();
        final List<InetAddress> neighborAdverts = new ArrayList<>();
        Listener listener;

        Fake(InetAddress self) {
            this.self = self;
        }

        @Override public String interfaceName() { return "eth0"; }
        @Override public InetAddress sourceAddress() { return self; }
        @Override public void send(Advert advert, InetAddress destination) { sent.add(new Sent(advert, destination)); }
        @Override public void sendGarp(List<Inet4Address> addresses) { garps.addAll(addresses); }
        @Override public void sendNeighborAdverts(List<Inet6Address> addresses) { neighborAdverts.addAll(addresses); }
        @Override public void start(Listener l) { listener = l; }
        @Override public void close() { }

        void deliver(InetAddress from, InetAddress group, Advert advert) {
            listener.received(new ReceivedPacket("eth0", from, group, 255, AdvertCodec.encode(advert, from, group)));
        }
    }

    private final VipManager vips = new VipManager() {
        @Override public boolean add(String dev, InetAddress a, int prefix, String label) {
            added.add(a.getHostAddress());
            return true;
        }
        @Override public boolean remove(String dev, InetAddress a, int prefix) { return true; }
        @Override public List<Assigned> list(String dev) { return List.of(); }
    };

    private static VirtualAddress vip(String text) {
        InetAddress a = ip(text);
        return new VirtualAddress(a, a instanceof Inet6Address ? 64 : 24, null, null, SRC);
    }

    private static InstanceConfig instance(String name, List<VirtualAddress> vips, List<VirtualAddress> excluded) {
        return InstanceConfig.builder(name).initialState(InitialState.BACKUP).iface("eth0").vrid(66).priority(100)
                .version(3).intervalCs(100).vips(vips).excludedVips(excluded)
                .garp(new GarpConfig(0, 2, 0, 1, 0, 0, 0)).source(SRC).build();
    }

    private static final InstanceConfig V4 = instance("V4", List.of(vip("192.168.16.130")), List.of());
    private static final InstanceConfig V6 = instance("V6", List.of(vip("fe80::66"), vip("fd00:16::130")), List.of());

    private Agent agent(InstanceConfig... instances) throws Exception {
        Agent agent = new Agent(TestConfigs.agent(instances), (iface, family, src, peers) -> {
            Fake fake = new Fake(family == Family.IPV6 ? SELF6 : SELF4);
            assertTrue(transports.put(family, fake) == null, "one transport per family");
            return fake;
        }, vips, () -> now);
        agent.start();
        return agent;
    }

    private static Advert master(InstanceConfig c) {
        return new Advert(3, 66, 200, 100, c.vips().stream().map(VirtualAddress::address).toList(), 0, null);
    }

    /** Five seconds of a priority-200 master heard on {@code family}'s transport only. */
    private void masterHeardOn(Agent agent, Family family) {
        for (int i = 0; i < 10; i++) {
            if (family == Family.IPV6) {
                transports.get(family).deliver(PEER6, GROUP6, master(V6));
            } else {
                transports.get(family).deliver(PEER4, GROUP4, master(V4));
            }
            now += SECOND / 2;
            agent.runOnce();
        }
    }

    @Test
    void anIpv6AdvertReachesOnlyTheIpv6InstanceOfTheSameVrid() throws Exception {
        Agent agent = agent(V4, V6);
        assertEquals(2, transports.size());
        masterHeardOn(agent, Family.IPV6);
        assertEquals(VrrpState.BACKUP, agent.states().get("V6"), "V6 hears its master");
        assertEquals(VrrpState.MASTER, agent.states().get("V4"), "V4 heard nobody: the IPv6 adverts are not its own");
    }

    @Test
    void anIpv4AdvertReachesOnlyTheIpv4InstanceOfTheSameVrid() throws Exception {
        Agent agent = agent(V4, V6);
        masterHeardOn(agent, Family.IPV4);
        assertEquals(VrrpState.BACKUP, agent.states().get("V4"));
        assertEquals(VrrpState.MASTER, agent.states().get("V6"));
    }

    @Test
    void anIpv6MasterAdvertisesToFf02Colon12AndSendsNeighborAdvertsNotGarps() throws Exception {
        Agent agent = agent(V4, V6);
        now += 4 * SECOND;
        agent.runOnce();
        Fake six = transports.get(Family.IPV6);
        Fake four = transports.get(Family.IPV4);
        assertEquals(VrrpState.MASTER, agent.states().get("V6"));
        Sent first = six.sent.get(0);
        assertEquals(GROUP6, first.destination());
        assertEquals(List.of(ip("fe80::66"), ip("fd00:16::130")), first.advert().addresses());
        assertEquals(List.of(ip("fe80::66"), ip("fd00:16::130"), ip("fe80::66"), ip("fd00:16::130")),
                six.neighborAdverts, "garp_master_repeat 2 governs NAs too");
        assertTrue(six.garps.isEmpty());
        assertEquals(GROUP4, four.sent.get(0).destination());
        assertEquals(List.of(ip("192.168.16.130"), ip("192.168.16.130")), four.garps);
        assertTrue(four.neighborAdverts.isEmpty());
    }

    @Test
    void excludedAddressesOfTheOtherFamilyAreHeldAndAnnouncedButNotAdvertised() throws Exception {
        InstanceConfig dual = instance("DUAL", List.of(vip("192.168.16.130")), List.of(vip("fd00:16::130")));
        Agent agent = agent(dual);
        assertEquals(List.of(Family.IPV4), List.copyOf(transports.keySet()), "the family is the VIPs'");
        now += 4 * SECOND;
        agent.runOnce();
        Fake four = transports.get(Family.IPV4);
        assertEquals(VrrpState.MASTER, agent.states().get("DUAL"));
        assertEquals(List.of("192.168.16.130", "fd00:16:0:0:0:0:0:130"), added);
        assertEquals(List.of(ip("192.168.16.130")), four.sent.get(0).advert().addresses());
        assertEquals(List.of(ip("fd00:16::130"), ip("fd00:16::130")), four.neighborAdverts);
    }

    @Test
    void aMulticastInstanceDropsAnAdvertSentToItsUnicastAddressAsKeepalivedDoes() throws Exception {
        Agent agent = agent(V6);
        for (int i = 0; i < 10; i++) {
            transports.get(Family.IPV6).deliver(PEER6, SELF6, master(V6));
            now += SECOND / 2;
            agent.runOnce();
        }
        assertEquals(VrrpState.MASTER, agent.states().get("V6"), "adverts to fe80::128, not ff02::12, are not heard");
        assertEquals(10L, agent.dropCounts().get(io.nginxha.agent.vrrp.DropReason.ADDRESS_LIST));
    }

    @Test
    void anInstanceOnAnotherGroupAdvertisesThereAndHearsOnlyThatGroup() throws Exception {
        InetAddress other = ip("224.0.0.19");
        InstanceConfig onOther = V4.toBuilder().options(io.nginxha.agent.config.VrrpOptions.DEFAULTS
                .withMcastGroup(other)).build();
        Agent agent = agent(onOther);
        for (int i = 0; i < 10; i++) { // a master of the default group: another VRRP domain
            transports.get(Family.IPV4).deliver(PEER4, GROUP4, master(V4));
            now += SECOND / 2;
            agent.runOnce();
        }
        assertEquals(VrrpState.MASTER, agent.states().get("V4"), "adverts to 224.0.0.18 are not its own");
        assertEquals(10L, agent.dropCounts().get(io.nginxha.agent.vrrp.DropReason.ADDRESS_LIST));
        Fake four = transports.get(Family.IPV4);
        assertEquals(other, four.sent.get(four.sent.size() - 1).destination());
        for (int i = 0; i < 10; i++) { // a master of its own group: it steps down
            four.deliver(PEER4, other, master(V4));
            now += SECOND / 2;
            agent.runOnce();
        }
        assertEquals(VrrpState.BACKUP, agent.states().get("V4"));
    }
}
