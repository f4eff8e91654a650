package io.nginxha.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.InstanceConfig.InitialState;
import io.nginxha.agent.net.PacketTransport;
import io.nginxha.agent.net.VipManager;
import io.nginxha.agent.net.VmacManager;
import io.nginxha.agent.vrrp.Advert;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** use_vmac in the loop, with fakes: the macvlan before the transport, the VIPs on it, removed at the stop. */
class VmacRuntimeTest {
    private final List<String> log = new ArrayList<>();
    private long now = 1_000_000_000L;
    private String failure;

    private final VmacManager vmacs = new VmacManager() {
        @Override
        public Result create(String name, String base, byte[] mac) {
            log.add("create " + name + " on " + base + " " + java.util.HexFormat.ofDelimiter(":").formatHex(mac));
            return failure == null ? Result.OK : Result.failed(failure);
        }

        @Override
        public Result createIpv6(String name, String base, byte[] mac, java.net.Inet6Address source,
                                 boolean withLinkLocal) {
            log.add("create6 " + name + " on " + base + " " + java.util.HexFormat.ofDelimiter(":").formatHex(mac)
                    + " source " + (source == null ? "-" : source.getHostAddress())
                    + (withLinkLocal ? " with link-local" : " without link-local"));
            return failure == null ? Result.OK : Result.failed(failure);
        }

        @Override
        public Result delete(String name) {
            log.add("delete " + name);
            return Result.OK;
        }
    };

    private final VipManager vips = new VipManager() {
        @Override
        public boolean add(String dev, InetAddress a, int prefix, String label) {
            log.add("add " + a.getHostAddress() + " on " + dev);
            return true;
        }

        @Override
        public boolean remove(String dev, InetAddress a, int prefix) {
            log.add("remove " + a.getHostAddress() + " from " + dev);
            return true;
        }

        @Override
        public List<Assigned> list(String dev) {
            log.add("list " + dev);
            return List.of();
        }
    };

    private PacketTransport transport(String iface) {
        log.add("open " + iface);
        return new PacketTransport() {
            @Override public String interfaceName() { return iface; }
            @Override public InetAddress sourceAddress() { return TestConfigs.ip("192.168.16.128"); }
            @Override public void send(Advert advert, InetAddress destination) { }
            @Override public void sendGarp(List<Inet4Address> addresses) { log.add("garp on " + iface); }
            @Override public void sendNeighborAdverts(List<java.net.Inet6Address> addresses) {
                log.add("na on " + iface);
            }
            @Override public void start(Listener l) { }
            @Override public void close() { log.add("close " + iface); }
        };
    }

    private Agent agent(InstanceConfig ic) {
        return new Agent(TestConfigs.agent(ic), (iface, family, src, peers) -> transport(iface), vips, vmacs, () -> now);
    }

    /** Lets the election run its course on the fake clock: alone on the LAN, the instance becomes master. */
    private void elect(Agent agent) {
        for (int i = 0; i < 10 && log.stream().noneMatch(l -> l.startsWith("add ")); i++) {
            now += 1_000_000_000L;
            agent.runOnce();
        }
    }

    private static InstanceConfig withVmac(boolean xmitBase) {
        return TestConfigs.vi1(InitialState.MASTER, 150, List.of(), GarpConfig.DEFAULTS).toBuilder()
                .vmac(new InstanceConfig.Vmac("vrrp.66", xmitBase)).build();
    }

    @Test
    void theMacvlanIsMadeBeforeItsTransportAndTheVipsGoOnIt() throws Exception {
        Agent agent = agent(withVmac(false));
        agent.start();
        assertEquals(List.of("create vrrp.66 on eth0 00:00:5e:00:01:42", "open vrrp.66"), log.subList(0, 2),
                "no leftover check on a macvlan that is made anew: " + log);
        elect(agent);
        assertTrue(log.contains("add 192.168.16.130 on vrrp.66"), log.toString());
        assertTrue(log.contains("garp on vrrp.66"), log.toString());
        log.clear();
        agent.requestShutdown();
        agent.runOnce();
        assertEquals(List.of("remove 192.168.16.130 from vrrp.66", "close vrrp.66", "delete vrrp.66"),
                log.stream().filter(l -> !l.startsWith("garp")).toList(), "the macvlan goes after its transport");
    }

    @Test
    void xmitBaseOpensTheTransportOnTheBaseButKeepsTheVipsOnTheMacvlan() throws Exception {
        Agent agent = agent(withVmac(true));
        agent.start();
        assertEquals(List.of("create vrrp.66 on eth0 00:00:5e:00:01:42", "open eth0"), log.subList(0, 2));
        elect(agent);
        assertTrue(log.contains("add 192.168.16.130 on vrrp.66"), log.toString());
    }

    @Test
    void aMacvlanThatCannotBeMadeFailsTheStartAndOpensNothing() {
        failure = "interface vrrp.66 exists and is not a macvlan (a device); the agent leaves it alone";
        Agent agent = agent(withVmac(false));
        IOException e = assertThrows(IOException.class, agent::start);
        assertEquals("VI_1: " + failure, e.getMessage());
        assertEquals(List.of("create vrrp.66 on eth0 00:00:5e:00:01:42"), log);
    }

    private static InstanceConfig ipv6WithVmac(boolean xmitBase, InetAddress source) {
        return TestConfigs.vi1(InitialState.MASTER, 150, List.of(), GarpConfig.DEFAULTS).toBuilder().version(3)
                .authPass(null).unicastSrc(source)
                .vips(List.of(new io.nginxha.agent.config.VirtualAddress(TestConfigs.ip("fd00:16::130"), 128, null,
                        null, TestConfigs.SRC)))
                .vmac(new InstanceConfig.Vmac("vrrp.66", xmitBase)).build();
    }

    @Test
    void anIpv6InstanceGetsTheIpv6VirtualMacAndItsNeighborAdvertsGoFromTheMacvlan() throws Exception {
        Agent agent = agent(ipv6WithVmac(false, null));
        agent.start();
        assertEquals(List.of("create6 vrrp.66 on eth0 00:00:5e:00:02:42 source - with link-local", "open vrrp.66"),
                log.subList(0, 2), "keepalived's IPv6 VMAC, with the link-local address adverts come from");
        elect(agent);
        assertTrue(log.contains("add fd00:16:0:0:0:0:0:130 on vrrp.66"), log.toString());
        assertTrue(log.contains("na on vrrp.66"), log.toString());
        assertTrue(log.stream().noneMatch(l -> l.startsWith("create ")), "no IPv4 macvlan: " + log);
    }

    @Test
    void anIpv6UnicastSourceIsTheMacvlansAddressAndXmitBaseLeavesItOut() throws Exception {
        Agent agent = agent(ipv6WithVmac(false, TestConfigs.ip("fe80::1")));
        agent.start();
        assertEquals("create6 vrrp.66 on eth0 00:00:5e:00:02:42 source fe80:0:0:0:0:0:0:1 with link-local",
                log.get(0));
        log.clear();
        agent = agent(ipv6WithVmac(true, null));
        agent.start();
        assertEquals(List.of("create6 vrrp.66 on eth0 00:00:5e:00:02:42 source - without link-local", "open eth0"),
                log.subList(0, 2));
    }

    @Test
    void withoutVmacNothingIsMade() throws Exception {
        Agent agent = agent(TestConfigs.vi1(InitialState.MASTER, 150, List.of(), GarpConfig.DEFAULTS));
        agent.start();
        assertEquals(List.of("list eth0", "open eth0"), log.subList(0, 2));
        assertTrue(log.stream().noneMatch(l -> l.startsWith("create")), log.toString());
    }
}
