package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IPv6 settings as keepalived 2.2.7 reads them (vrrp_parser.c, vrrp_data.c, vrrp.c). */
class Ipv6ConfigTest {
    private static final String V6 = "vrrp_instance V6 {\n interface eth0\n virtual_router_id 66\n"
            + " virtual_ipaddress {\n  fe80::66/64\n  fd00:16::130/64\n }\n";

    private static InstanceConfig only(String text) throws ConfigException {
        return Configs.load(text).config().instances().get(0);
    }

    @Test
    void ipv6VipsMakeAVersion3Ipv6Instance() throws Exception {
        InstanceConfig i = only(V6 + "}\n");
        assertEquals(WireId.Family.IPV6, i.wireId().family());
        assertEquals(3, i.version());
    }

    @Test
    void nativeIpv6IsAcceptedWithIpv6AddressesAndMakesVersion3() throws Exception {
        String global = "global_defs {\n vrrp_version 2\n}\n";
        InstanceConfig i = only(global + V6.replace(" interface eth0\n", " interface eth0\n native_ipv6\n") + "}\n");
        assertEquals(3, i.version());
        assertEquals(WireId.Family.IPV6, i.wireId().family());
    }

    @Test
    void nativeIpv6WithIpv4AddressesIsRefusedWithItsLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Configs.load(Configs.instance(" native_ipv6\n")));
        assertEquals(List.of(Configs.file() + ":5: vrrp_instance VI_1: native_ipv6 cannot be used with IPv4 "
                + "addresses (10.1.1.1), as in keepalived"), e.problems());
    }

    @Test
    void excludedAddressesMayBeOfTheOtherFamily() throws Exception {
        InstanceConfig i = only(Configs.instance(" virtual_ipaddress_excluded {\n  fd00:16::130/64\n }\n"));
        assertEquals(WireId.Family.IPV4, i.wireId().family());
        assertEquals(InetAddress.getByName("fd00:16::130"), i.excludedVips().get(0).address());
        assertEquals(2, i.managedVips().size(), "held and announced with the VIPs");
    }

    @Test
    void gnaIntervalIsReadLikeTheGarpInterval() throws Exception {
        InstanceConfig i = only("global_defs {\n vrrp_gna_interval 0.05\n vrrp_garp_interval 0.002\n}\n" + V6 + "}\n");
        assertEquals(50, i.garp().gnaIntervalMs());
        assertEquals(2, i.garp().intervalMs());
        assertEquals(0, only(V6 + "}\n").garp().gnaIntervalMs(), "keepalived's default: no gap");
    }

    @Test
    void ipv6UnicastPeersAreAccepted() throws Exception {
        InstanceConfig i = only(V6 + " unicast_src_ip fd00:16::128\n unicast_peer {\n  fd00:16::129\n }\n}\n");
        assertEquals(List.of(InetAddress.getByName("fd00:16::129")), i.unicastPeers());
    }

    @Test
    void checkConfigWarnsWhenTheFirstIpv6VipIsNotLinkLocal() throws Exception {
        AgentConfig c = Configs.load(V6.replace("  fe80::66/64\n", "").replace("interface eth0", "interface nosuch9")
                + "}\n").config();
        List<String> warnings = RiskChecks.of(c);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith(Configs.file() + ":5: the first IPv6 VIP of vrrp_instance V6 "
                + "(fd00:16:0:0:0:0:0:130) is not link-local"), warnings.get(0));
        AgentConfig linkLocalFirst = Configs.load(V6.replace("interface eth0", "interface nosuch9") + "}\n").config();
        assertEquals(List.of(), RiskChecks.of(linkLocalFirst));
    }

    @Test
    void checkConfigWarnsWhenTheInterfaceHasNoLinkLocalAddress() throws Exception {
        // lo never has an fe80:: address (only ::1), so an IPv6 multicast instance on it cannot get a source
        AgentConfig c = Configs.load(V6.replace("interface eth0", "interface lo") + "}\n").config();
        List<String> warnings = RiskChecks.of(c);
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith(Configs.file() + ":1: vrrp_instance V6 is IPv6, but lo "
                + "has no IPv6 link-local address")), warnings.toString());
        AgentConfig withSource = Configs.load(V6.replace("interface eth0", "interface lo")
                + " unicast_src_ip ::1\n unicast_peer {\n  fd00:16::129\n }\n}\n").config();
        assertTrue(RiskChecks.of(withSource).stream().noneMatch(w -> w.contains("link-local address, the source")));
    }
}
