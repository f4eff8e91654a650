package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** virtual_routes, virtual_rules, static_* and the VIP options, read as keepalived 2.2.7 reads them. */
class RoutesConfigTest {
    @TempDir
    Path dir;

    private Path write(String instanceExtra, String topExtra) throws Exception {
        Path f = dir.resolve("keepalived.conf");
        Files.writeString(f, topExtra + "\nvrrp_instance VI_1 {\n interface eth0\n virtual_router_id 66\n"
                + " priority 100\n virtual_ipaddress {\n  192.168.16.130/24\n }\n" + instanceExtra + "}\n");
        return f;
    }

    private LoadResult load(String instanceExtra, String topExtra) throws Exception {
        return ConfigLoader.loadWithWarnings(write(instanceExtra, topExtra), "lb1");
    }

    private List<RouteConfig> routes(String... lines) throws Exception {
        return load(" virtual_routes {\n" + String.join("\n", lines) + "\n }\n", "").config().instances().get(0)
                .virtualRoutes();
    }

    private List<RuleConfig> rules(String... lines) throws Exception {
        return load(" virtual_rules {\n" + String.join("\n", lines) + "\n }\n", "").config().instances().get(0)
                .virtualRules();
    }

    /** The problems of a config that must not load. */
    private List<String> refused(String instanceExtra, String topExtra) throws Exception {
        return assertThrows(ConfigException.class, () -> load(instanceExtra, topExtra)).problems();
    }

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void aRouteWithEveryImplementedOption() throws Exception {
        RouteConfig r = routes("10.99.0.0/24 via 192.168.16.1 dev eth0 src 192.168.16.130 table 100 metric 5 "
                + "scope link").get(0);
        assertEquals(new RouteConfig(false, ip("10.99.0.0"), 24, ip("192.168.16.1"), "eth0", ip("192.168.16.130"),
                100, 5L, 253, 1, false, false, null), r.withoutSource());
        assertEquals(10, r.source().line(), "where it was written");
    }

    @Test
    void keepalivedsDefaultsAndSynonyms() throws Exception {
        List<RouteConfig> r = routes("to 10.1.0.0/16 gw 192.168.16.1 oif eth1 priority 7 table main",
                "10.2.0.0/16 dev eth0 preference 9 prepend no_track", "default via 192.168.16.1",
                "blackhole 10.3.0.0/24", "unreachable 10.4.0.0/24 table 1000", "inet6 fd00:99::/64 dev eth0",
                "10.5.0.1 dev eth0 scope host");
        assertEquals(new RouteConfig(false, ip("10.1.0.0"), 16, ip("192.168.16.1"), "eth1", null, 254, 7L, 0, 1,
                false, false, null), r.get(0).withoutSource());
        assertTrue(r.get(1).noTrack());
        assertEquals(9L, r.get(1).metric());
        assertNull(r.get(2).dst(), "default: any destination");
        assertEquals(0, r.get(2).dstPrefix());
        assertEquals(6, r.get(3).type());
        assertTrue(r.get(3).typed());
        assertEquals(7, r.get(4).type());
        assertEquals(1000, r.get(4).table());
        assertTrue(r.get(5).ipv6());
        assertEquals(32, r.get(6).dstPrefix(), "no prefix: a host route");
        assertEquals(254, r.get(6).scope());
    }

    @Test
    void gwIsWarnedAsDeprecated() throws Exception {
        LoadResult l = load(" virtual_routes {\n  10.1.0.0/16 gw 192.168.16.1\n }\n", "");
        assertTrue(l.warnings().stream().anyMatch(w -> w.contains(":10:") && w.contains("'gw'")), l.warnings().toString());
    }

    @Test
    void everyRefusedRouteOptionNamesTheLineAndWhy() throws Exception {
        for (String line : List.of("10.1.0.0/16 nexthop via 192.168.16.1 realms 5", "10.1.0.0/16 dev eth0 mtu 1400",
                "10.1.0.0/16 dev eth0 protocol static", "10.1.0.0/16 dev eth0 tos 0x10", "10.1.0.0/16 dev eth0 onlink",
                "10.1.0.0/16 via 192.168.16.1 or 192.168.16.2 dev eth0", "10.1.0.0/16 dev eth0 append",
                "local 10.1.0.1 dev eth0",
                "10.1.0.0/16 dev eth0 vrf red")) {
            List<String> p = refused(" virtual_routes {\n  " + line + "\n }\n", "");
            assertEquals(1, p.size(), line + ": " + p);
            assertTrue(p.get(0).contains("keepalived.conf:10: ") && p.get(0).contains("not supported by vrrp-agent"),
                    p.get(0));
        }
    }

    @Test
    void nexthopClausesWithTheirOptions() throws Exception {
        List<RouteConfig> r = routes("10.96.0.0/24 table 100 nexthop via 192.168.16.1 dev eth0 weight 2 "
                + "nexthop via inet 192.168.16.2 dev eth1 onlink nexthop dev eth2 weight 256",
                "fd00:96::/64 nexthop via fd00:16::1 nexthop via fd00:16::2 dev eth0 weight 3");
        assertEquals(new RouteConfig(false, ip("10.96.0.0"), 24, null, null, null, 100, null, 0, 1, false, false,
                null, List.of(new RouteNexthop(ip("192.168.16.1"), "eth0", 2, false),
                        new RouteNexthop(ip("192.168.16.2"), "eth1", null, true),
                        new RouteNexthop(null, "eth2", 256, false))), r.get(0).withoutSource());
        assertEquals("10.96.0.0/24 table 100 nexthop via 192.168.16.1 dev eth0 weight 2 nexthop via 192.168.16.2 "
                + "dev eth1 onlink nexthop dev eth2 weight 256", r.get(0).toString(), "read back as keepalived");
        assertTrue(r.get(1).ipv6(), "the family comes from the next hops' gateways too");
        assertEquals(List.of(new RouteNexthop(ip("fd00:16::1"), null, null, false),
                new RouteNexthop(ip("fd00:16::2"), "eth0", 3, false)), r.get(1).nexthops());
    }

    @Test
    void orBecomesTwoNexthopsWithADeprecationWarning() throws Exception {
        // keepalived.conf.vrrp.routes line 30, as keepalived 2.2.7 reads it: via moves into the first next hop
        LoadResult l = load(" virtual_routes {\n  192.168.113.0/24 via 192.168.100.252 or 192.168.100.253 metric 5\n"
                + " }\n", "");
        RouteConfig r = l.config().instances().get(0).virtualRoutes().get(0);
        assertEquals(new RouteConfig(false, ip("192.168.113.0"), 24, null, null, null, 254, 5L, 0, 1, false, false,
                null, List.of(new RouteNexthop(ip("192.168.100.252"), null, null, false),
                        new RouteNexthop(ip("192.168.100.253"), null, null, false))), r.withoutSource());
        assertTrue(l.warnings().stream().anyMatch(w -> w.contains(":10:") && w.contains("'or'")
                && w.contains("nexthop via 192.168.100.252 nexthop via 192.168.100.253")), l.warnings().toString());
    }

    @Test
    void badMultipathRoutesAreErrorsWithTheirLineAndReason() throws Exception {
        for (List<String> c : List.of(
                List.of("10.1.0.0/16 or 192.168.16.2", "needs 'via ADDR' before it"),
                List.of("10.1.0.0/16 via 192.168.16.1 or 192.168.16.2 or 192.168.16.3", "a second 'or'"),
                List.of("10.1.0.0/16 via 192.168.16.1 or 192.168.16.2 via 192.168.16.3", "'via' after 'or'"),
                List.of("10.1.0.0/16 via 192.168.16.1 or 192.168.16.2 nexthop via 192.168.16.3",
                        "cannot follow 'or'"),
                List.of("10.1.0.0/16 via 192.168.16.1 or fd00::2", "mixes IPv4 and IPv6"),
                List.of("10.1.0.0/16 via 192.168.16.1 or", "'or' in virtual_routes needs a value"),
                List.of("10.1.0.0/16 nexthop via 192.168.16.1 metric 5", "unexpected 'metric' after the nexthop"),
                List.of("10.1.0.0/16 nexthop weight 2", "a nexthop in virtual_routes needs 'via ADDR' or 'dev IF'"),
                List.of("10.1.0.0/16 nexthop", "needs 'via ADDR' or 'dev IF'"),
                List.of("10.1.0.0/16 nexthop via 192.168.16.1 weight 0", "weight must be 1..256, got '0'"),
                List.of("10.1.0.0/16 nexthop via 192.168.16.1 weight 257", "must be a number 0..256, got '257'"),
                List.of("10.1.0.0/16 nexthop via 192.168.16.1 dev", "'dev' of a nexthop in virtual_routes needs"),
                List.of("10.1.0.0/16 nexthop via 192.168.16.1 nexthop via fd00::1", "mixes IPv4 and IPv6"),
                List.of("10.1.0.0/16 nexthop via 192.168.16.x", "192.168.16.x"),
                List.of("10.1.0.0/16 via 192.168.16.9 nexthop via 192.168.16.1", "takes its gateways from its next"),
                List.of("10.1.0.0/16 nexthop via 192.168.16.1 encap mpls 200", "'encap' of a nexthop"))) {
            List<String> p = refused(" virtual_routes {\n  " + c.get(0) + "\n }\n", "");
            assertEquals(1, p.size(), c + ": " + p);
            assertTrue(p.get(0).contains("keepalived.conf:10: ") && p.get(0).contains(c.get(1)), c + ": " + p);
        }
    }

    @Test
    void staticRoutesTakeNexthopsToo() throws Exception {
        AgentConfig c = load("", "static_routes {\n 10.8.0.0/16 nexthop via 192.168.16.1 dev eth1 nexthop via "
                + "192.168.16.2 dev eth1\n}\n").config();
        assertEquals(2, c.statics().routes().get(0).nexthops().size());
        assertEquals("eth1", c.statics().routes().get(0).nexthops().get(1).dev());
    }

    @Test
    void badRoutesAreErrorsWithTheirLine() throws Exception {
        for (String line : List.of("via 192.168.16.1 dev eth0", "10.1.0.0/33 dev eth0", "10.1.0.0/16 table rt_foo",
                "10.1.0.0/16 via fd00::1", "10.1.0.0/16 metric", "10.1.0.0/16 bogus", "10.1.0.0/16 scope galaxy")) {
            List<String> p = refused(" virtual_routes {\n  " + line + "\n }\n", "");
            assertFalse(p.isEmpty(), line);
            assertTrue(p.get(0).contains("keepalived.conf:10: "), line + ": " + p);
        }
    }

    @Test
    void aRuleWithEveryImplementedOption() throws Exception {
        RuleConfig r = rules("not from 10.1.0.0/16 to 10.2.0.0/24 iif eth0 oif eth1 fwmark 0x10/0xff table 100 "
                + "priority 100").get(0);
        assertEquals(new RuleConfig(false, ip("10.1.0.0"), 16, false, ip("10.2.0.0"), 24, true, 100, 1, 100, "eth0",
                "eth1", 16L, 255L, false, null), r.withoutSource());
    }

    @Test
    void ruleActionsSynonymsAndAutomaticPriorities() throws Exception {
        LoadResult l = load(" virtual_rules {\n  from all lookup 1000 preference 5\n  to 10.5.0.0/16 type unreachable"
                + " order 6\n  dev eth0 prohibit no_track\n  from 10.9.0.0/16 table 7\n }\n", "");
        List<RuleConfig> r = l.config().instances().get(0).virtualRules();
        assertTrue(r.get(0).fromAll());
        assertEquals(1000, r.get(0).table());
        assertEquals(7, r.get(1).action());
        assertEquals("eth0", r.get(2).iif());
        assertTrue(r.get(2).noTrack());
        assertEquals(RuleParser.FIRST_AUTOMATIC_PRIORITY, r.get(2).priority(), "keepalived's first automatic one");
        assertEquals(RuleParser.FIRST_AUTOMATIC_PRIORITY - 1, r.get(3).priority());
        assertEquals(2, l.warnings().stream().filter(w -> w.contains("no priority")).count(), l.warnings().toString());
    }

    @Test
    void refusedAndBadRules() throws Exception {
        for (String line : List.of("from 10.1.0.0/16 goto 200 priority 100", "from 10.1.0.0/16 table 1 sport 80",
                "from 10.1.0.0/16 table 1 tos 0x10", "from 10.1.0.0/16 priority 5", "from 10.1.0.0/16 table 1 "
                + "blackhole priority 5", "from 10.1.0.0/16 to fd00::/64 table 1", "from 10.1.0.0/16 table 0",
                "from 10.1.0.0/16 frobnicate 1 table 1")) {
            List<String> p = refused(" virtual_rules {\n  " + line + "\n }\n", "");
            assertFalse(p.isEmpty(), line);
            assertTrue(p.get(0).contains("keepalived.conf:10: "), line + ": " + p);
        }
    }

    @Test
    void vipOptions() throws Exception {
        List<VirtualAddress> v = load(" virtual_ipaddress_excluded {\n  192.168.16.131/24 brd + scope link no_track\n"
                + "  192.168.16.132/24 brd 192.168.16.255 label eth0:x\n  192.168.16.133/24 brd -\n }\n",
                "static_ipaddress {\n fd00::7/64 dev eth0 preferred_lft 0\n fd00::8/64 dev eth0 preferred_lft forever\n}")
                .config().instances().get(0).excludedVips();
        List<VirtualAddress> six = load("", "static_ipaddress {\n fd00::7/64 dev eth0 preferred_lft 0\n"
                + " fd00::8/64 dev eth0 preferred_lft forever\n}").config().statics().addresses();
        assertEquals(ip("192.168.16.255"), v.get(0).broadcast());
        assertEquals(253, v.get(0).scope());
        assertTrue(v.get(0).noTrack());
        assertEquals(ip("192.168.16.255"), v.get(1).broadcast());
        assertEquals(ip("192.168.16.0"), v.get(2).broadcast());
        assertEquals(0L, six.get(0).preferredLft());
        assertNull(six.get(1).preferredLft(), "forever: no IFA_CACHEINFO, the kernel's default");
    }

    @Test
    void vipOptionsRefused() throws Exception {
        for (String line : List.of("192.168.16.131 peer 192.168.16.1", "192.168.16.131 home", "192.168.16.131/32 brd +",
                "fd00::7/64 brd +", "fd00::7/64 scope link", "192.168.16.131 scope galaxy", "192.168.16.131 use_vmac",
                "192.168.16.131 preferred_lft soon")) {
            List<String> p = refused(" virtual_ipaddress_excluded {\n  " + line + "\n }\n", "");
            assertEquals(1, p.size(), line + ": " + p);
            assertTrue(p.get(0).contains("keepalived.conf:10: "), line + ": " + p);
        }
    }

    @Test
    void staticBlocks() throws Exception {
        AgentConfig c = load("", "global_defs {\n default_interface eth9\n}\nstatic_ipaddress {\n 10.7.0.1/24 dev eth1\n"
                + " 10.7.0.2/24\n}\nstatic_routes {\n 10.8.0.0/16 dev eth1\n}\nstatic_rules {\n from 10.8.0.0/16 table 5"
                + " priority 10\n}\n").config();
        assertEquals("eth1", c.statics().addresses().get(0).dev());
        assertEquals("eth9", c.statics().addresses().get(1).dev(), "default_interface, as keepalived");
        assertEquals(1, c.statics().routes().size());
        assertEquals(5, c.statics().rules().get(0).table());
        List<String> p = refused("", "static_ipaddress {\n 10.7.0.2/24\n}\n");
        assertTrue(p.get(0).contains(":2: ") && p.get(0).contains("default_interface"), p.toString());
    }

    @Test
    void convertKeepsRoutesRulesAndStatics() throws Exception {
        AgentConfig c = load(" virtual_routes {\n  10.99.0.0/24 via 192.168.16.1 dev eth0 table 100 metric 5\n"
                + "  blackhole 10.98.0.0/24\n  inet6 default via fd00::1\n  10.97.0.0/24 via 192.168.16.1 or 192.168.16.2\n"
                + "  10.96.0.0/24 nexthop via 192.168.16.1 dev eth0 weight 2 onlink nexthop dev eth1\n }\n virtual_rules {\n  from all table 100 priority 7\n"
                + "  not to 10.5.0.0/16 iif eth0 fwmark 3/7 unreachable priority 8 no_track\n }\n",
                "static_routes {\n 10.8.0.0/16 dev eth1 scope link\n}\nstatic_ipaddress {\n 10.7.0.1/24 dev eth1 brd +\n}\n")
                .config();
        Path yaml = dir.resolve("agent.yaml");
        Files.writeString(yaml, YamlWriter.write(c));
        AgentConfig back = ConfigLoader.loadWithWarnings(yaml, "lb1").config();
        InstanceConfig a = c.instances().get(0);
        InstanceConfig b = back.instances().get(0);
        assertEquals(a.virtualRoutes().stream().map(RouteConfig::withoutSource).toList(),
                b.virtualRoutes().stream().map(RouteConfig::withoutSource).toList());
        assertEquals(a.virtualRules().stream().map(RuleConfig::withoutSource).toList(),
                b.virtualRules().stream().map(RuleConfig::withoutSource).toList());
        assertEquals(c.statics().withoutSources(), back.statics().withoutSources());
    }
}
