package io.nginxha.agent.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nginxha.agent.config.RouteConfig;
import io.nginxha.agent.config.RouteNexthop;
import io.nginxha.agent.config.RuleConfig;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Known answers: each request is what {@code strace -e trace=sendmsg -e write=3 ip ...} showed iproute2 6.1 send
 * inside a throwaway network namespace (d0 had index 3; the sequence number replaced by 7), for the ip command that
 * means what keepalived 2.2.7 sends: {@code ip route prepend ... proto 18 scope global} for a route (keepalived's
 * default flags, protocol and scope), {@code ip rule add ... protocol 18} for a rule.
 */
class RoutingMessagesTest {
    @BeforeEach
    void littleEndian() {
        assumeTrue(NetlinkFixtures.capturedByteOrder(), "fixtures are little-endian");
    }

    /** The capture, with its sequence number (bytes 8..11) set to 7. */
    private static byte[] captured(String hex) {
        byte[] b = NetlinkFixtures.hex(hex);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 7);
        return b;
    }

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private static RouteConfig route(String dst, int prefix, String via, String dev, String src, long table,
                                     Long metric, int scope, int type, boolean typed) throws Exception {
        return new RouteConfig(dst != null && dst.contains(":"), dst == null ? null : ip(dst), prefix,
                via == null ? null : ip(via), dev, src == null ? null : ip(src), table, metric, scope, type, typed,
                false, null);
    }

    @Test
    void routeViaAGatewayOnAnInterface() throws Exception {
        // ip route prepend 10.99.0.0/24 via 192.168.16.1 proto 18 scope global dev d0
        RouteConfig r = route("10.99.0.0", 24, "192.168.16.1", "d0", null, 254, null, 0, 1, false);
        assertArrayEquals(captured("34000000180005048037126b0000000002180000fe12000100000000080001000a630000"
                + "08000500c0a810010800040003000000"), RoutingMessages.route(RoutingMessages.RTM_NEWROUTE, 7, r, 3));
    }

    @Test
    void routeInABigTableWithSourceMetricAndScope() throws Exception {
        // ip route prepend table 1000 10.98.0.0/16 src 192.168.16.5 proto 18 scope link dev d0 metric 7
        RouteConfig r = route("10.98.0.0", 16, null, "d0", "192.168.16.5", 1000, 7L, 253, 1, false);
        assertArrayEquals(captured("44000000180005048037126b00000000021000000012fd010000000008000f00e8030000"
                + "080001000a62000008000700c0a8100508000600070000000800040003000000"),
                RoutingMessages.route(RoutingMessages.RTM_NEWROUTE, 7, r, 3));
    }

    @Test
    void blackholeRouteAndItsDelete() throws Exception {
        // ip route prepend blackhole 10.97.0.0/24 proto 18 scope global; ip route del ... scope nowhere
        RouteConfig r = route("10.97.0.0", 24, null, null, null, 254, null, 0, 6, true);
        assertArrayEquals(captured("24000000180005048037126b0000000002180000fe12000600000000080001000a610000"),
                RoutingMessages.route(RoutingMessages.RTM_NEWROUTE, 7, r, 0));
        assertArrayEquals(captured("24000000190005008037126b0000000002180000fe12ff0600000000080001000a610000"),
                RoutingMessages.route(RoutingMessages.RTM_DELROUTE, 7, r, 0));
    }

    private static RouteConfig multipath(String dst, int prefix, RouteNexthop... nexthops) throws Exception {
        return new RouteConfig(dst.contains(":"), ip(dst), prefix, null, null, null, 254, null, 0, 1, false, false,
                null, List.of(nexthops));
    }

    @Test
    void multipathRouteWithWeightAndOnlinkAndItsDelete() throws Exception {
        // ip route prepend 10.96.0.0/24 proto 18 scope global nexthop via 192.168.16.1 dev d0 weight 2
        //     nexthop via 192.168.16.2 dev d0 onlink; then ip route del ... scope nowhere (same next hops)
        RouteConfig r = multipath("10.96.0.0", 24, new RouteNexthop(ip("192.168.16.1"), "d0", 2, false),
                new RouteNexthop(ip("192.168.16.2"), "d0", null, true));
        assertArrayEquals(captured("48000000180005042b1d136b0000000002180000fe12000100000000080001000a600000"
                + "24000900100000010300000008000500c0a81001100004000300000008000500c0a81002"),
                RoutingMessages.route(RoutingMessages.RTM_NEWROUTE, 7, r, 0, new int[] {3, 3}));
        assertArrayEquals(captured("48000000190005002b1d136b0000000002180000fe12ff0000000000080001000a600000"
                + "24000900100000010300000008000500c0a81001100004000300000008000500c0a81002"),
                RoutingMessages.route(RoutingMessages.RTM_DELROUTE, 7, r, 0, new int[] {3, 3}));
    }

    @Test
    void orRouteIsTwoNexthopsWithOnlyAGateway() throws Exception {
        // keepalived.conf.vrrp.routes: 192.168.113.0/24 via 192.168.100.252 or 192.168.100.253, as keepalived
        // 2.2.7 sends it = ip route prepend 192.168.113.0/24 proto 18 scope global nexthop via A nexthop via B
        // (captured with gateways 192.168.16.252/.253, which the namespace could reach)
        RouteConfig r = multipath("192.168.113.0", 24, new RouteNexthop(ip("192.168.16.252"), null, null, false),
                new RouteNexthop(ip("192.168.16.253"), null, null, false));
        assertArrayEquals(captured("48000000180005042b1d136b0000000002180000fe1200010000000008000100c0a87100"
                + "24000900100000000000000008000500c0a810fc100000000000000008000500c0a810fd"),
                RoutingMessages.route(RoutingMessages.RTM_NEWROUTE, 7, r, 0));
    }

    @Test
    void ipv6MultipathRoute() throws Exception {
        // ip -6 route prepend fd00:96::/64 proto 18 scope global nexthop via fd00:16::1 dev d0
        //     nexthop via fd00:16::2 dev d0 weight 3
        RouteConfig r = multipath("fd00:96::", 64, new RouteNexthop(ip("fd00:16::1"), "d0", null, false),
                new RouteNexthop(ip("fd00:16::2"), "d0", 3, false));
        assertArrayEquals(captured("6c000000180005042b1d136b000000000a400000fe1200010000000014000100fd000096"
                + "0000000000000000000000003c0009001c0000000300000014000500fd000016000000000000000000000001"
                + "1c0000020300000014000500fd000016000000000000000000000002"),
                RoutingMessages.route(RoutingMessages.RTM_NEWROUTE, 7, r, 0, new int[] {3, 3}));
    }

    @Test
    void routeDeleteHasScopeNowhereAndNoType() throws Exception {
        // ip route del 10.99.0.0/24 via 192.168.16.1 proto 18 scope nowhere dev d0
        RouteConfig r = route("10.99.0.0", 24, "192.168.16.1", "d0", null, 254, null, 0, 1, false);
        assertArrayEquals(captured("34000000190005008037126b0000000002180000fe12ff0000000000080001000a630000"
                + "08000500c0a810010800040003000000"), RoutingMessages.route(RoutingMessages.RTM_DELROUTE, 7, r, 3));
    }

    @Test
    void ipv6Route() throws Exception {
        // ip -6 route prepend fd00:99::/64 via fd00::1 proto 18 scope global dev d0
        RouteConfig r = route("fd00:99::", 64, "fd00::1", "d0", null, 254, null, 0, 1, false);
        assertArrayEquals(captured("4c000000180005048037126b000000000a400000fe1200010000000014000100fd000099"
                + "00000000000000000000000014000500fd0000000000000000000000000000010800040003000000"),
                RoutingMessages.route(RoutingMessages.RTM_NEWROUTE, 7, r, 3));
    }

    @Test
    void ruleWithEveryOptionAndItsDelete() throws Exception {
        // ip rule add|del from 10.1.0.0/16 to 10.2.0.0/24 table 100 priority 100 protocol 18 iif d0 oif d1
        //   fwmark 0x10/0xff
        RuleConfig r = new RuleConfig(false, ip("10.1.0.0"), 16, false, ip("10.2.0.0"), 24, false, 100, 1, 100,
                "d0", "d1", 0x10L, 0xffL, false, null);
        String body = "021810006400000100000000080002000a010000080001000a0200000800060064000000050015001200000007000300"
                + "64300000070011006431000008000a001000000008001000ff000000";
        assertArrayEquals(captured("5c000000200005068037126b00000000" + body),
                RoutingMessages.rule(RoutingMessages.RTM_NEWRULE, 7, r));
        assertArrayEquals(captured("5c000000210005008037126b00000000" + body),
                RoutingMessages.rule(RoutingMessages.RTM_DELRULE, 7, r));
    }

    @Test
    void ruleFromAllIntoABigTable() throws Exception {
        // ip rule add from all table 1000 priority 200 protocol 18: "all" is an empty FRA_SRC
        RuleConfig r = new RuleConfig(false, null, 0, true, null, 0, false, 200, 1, 1000, null, null, null, null,
                false, null);
        assertArrayEquals(captured("38000000200005068037126b000000000200000000000001000000000400020008000f00e8030000"
                + "08000600c80000000500150012000000"), RoutingMessages.rule(RoutingMessages.RTM_NEWRULE, 7, r));
    }

    @Test
    void unreachableRuleWithNoTrackHasNoProtocol() throws Exception {
        // ip rule add to 10.5.0.0/16 unreachable priority 300 (keepalived sends no protocol for no_track)
        RuleConfig r = new RuleConfig(false, null, 0, false, ip("10.5.0.0"), 16, false, 300, 7, 0, null, null, null,
                null, true, null);
        assertArrayEquals(captured("2c000000200005068037126b00000000021000000000000700000000080001000a050000"
                + "080006002c010000"), RoutingMessages.rule(RoutingMessages.RTM_NEWRULE, 7, r));
    }

    @Test
    void addressWithBroadcastScopeAndLabel() throws Exception {
        // ip addr add 192.168.16.7/24 brd 192.168.16.255 scope link dev d0 label d0:x
        assertArrayEquals(captured("3c000000140005068037126b00000000021800fd0300000008000200c0a8100708000400"
                + "c0a810ff0900030064303a780000000008000100c0a81007"), NetlinkMessages.address(
                NetlinkMessages.RTM_NEWADDR, 7, 3, ip("192.168.16.7"), 24, "d0:x", ip("192.168.16.255"), 253, null));
    }

    @Test
    void ipv6AddressWithPreferredLifetime() throws Exception {
        // ip -6 addr add fd00::7/64 preferred_lft 0 dev d0 nodad
        assertArrayEquals(captured("54000000140005068037126b000000000a4002000300000014000200fd00000000000000000000"
                + "000000000714000100fd0000000000000000000000000000071400060000000000ffffffff0000000000000000"),
                NetlinkMessages.address(NetlinkMessages.RTM_NEWADDR, 7, 3, ip("fd00::7"), 64, null, null, 0, 0L));
    }
}
