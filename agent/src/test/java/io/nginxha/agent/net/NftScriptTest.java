package io.nginxha.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.FirewallConfig;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The nft scripts of keepalived 2.2.7's accept-mode tables (names, hooks and rules of vrrp_nftables.c). */
class NftScriptTest {
    private static Firewall.Blocked blocked(String address, String iface, boolean byName) throws Exception {
        return new Firewall.Blocked(InetAddress.getByName(address), iface, byName);
    }

    @Test
    void ipv4TableDropsTrafficToAndFromTheVips() throws Exception {
        String script = NftScript.render(FirewallConfig.DEFAULTS, Set.of(blocked("10.0.0.2", "eth0", false),
                blocked("10.0.0.1", "eth0", false)), false, false);
        assertEquals("""
                table ip keepalived
                delete table ip keepalived
                table ip keepalived {
                  set vips {
                    type ipv4_addr
                    elements = { 10.0.0.1, 10.0.0.2 }
                  }
                  chain in {
                    type filter hook input priority -1; policy accept;
                    ip daddr @vips drop
                  }
                  chain out {
                    type filter hook output priority -1; policy accept;
                    ip saddr @vips drop
                  }
                }
                """, script);
    }

    @Test
    void tableNamePriorityAndCountersComeFromTheConfig() throws Exception {
        String script = NftScript.render(new FirewallConfig("lb", 7, true, false),
                Set.of(blocked("10.0.0.1", "eth0", false)), false, false);
        assertTrue(script.contains("table ip lb {"), script);
        assertTrue(script.contains("type filter hook input priority 7; policy accept;"), script);
        assertTrue(script.contains("ip daddr @vips counter drop"), script);
        assertFalse(script.contains("ip6"), "no IPv6 table without IPv6 addresses");
    }

    @Test
    void ipv6LetsNeighbourDiscoveryPassAndMatchesLinkLocalVipsWithTheirInterface() throws Exception {
        Set<Firewall.Blocked> b = new LinkedHashSet<>(List.of(blocked("fd00::82", "eth0", false),
                blocked("fe80::82", "eth0", false), blocked("fe80::83", "eth1", true)));
        String script = NftScript.render(FirewallConfig.DEFAULTS, b, false, false);
        assertTrue(script.startsWith("table ip6 keepalived\ndelete table ip6 keepalived\ntable ip6 keepalived {\n"),
                script);
        assertTrue(script.contains("elements = { fd00:0:0:0:0:0:0:82 }"), script);
        assertTrue(script.contains("elements = { nd-neighbor-solicit, nd-neighbor-advert }"), script);
        assertTrue(script.contains("set vips_link_local {\n    type ipv6_addr . iface_index\n"
                + "    elements = { fe80:0:0:0:0:0:0:82 . \"eth0\" }"), script);
        assertTrue(script.contains("set vips_link_local_name {\n    type ipv6_addr . ifname\n"
                + "    elements = { fe80:0:0:0:0:0:0:83 . \"eth1\" }"), script);
        assertTrue(script.contains("    icmpv6 type @neighbor-discovery accept\n    ip6 daddr fe80::/10 goto "
                + "in_link_local\n    ip6 daddr @vips drop\n"), script);
        assertTrue(script.contains("ip6 daddr . iif @vips_link_local drop"), script);
        assertTrue(script.contains("ip6 saddr . oifname @vips_link_local_name drop"), script);
        // nftables_ifindex: every link-local VIP by index
        String byIndex = NftScript.render(new FirewallConfig("keepalived", -1, false, true), b, false, false);
        assertFalse(byIndex.contains("vips_link_local_name"), byIndex);
        assertTrue(byIndex.contains("fe80:0:0:0:0:0:0:83 . \"eth1\""), byIndex);
    }

    @Test
    void aFamilyNoLongerBlockedHasItsTableDeletedAndNothingMeansNoScript() throws Exception {
        assertEquals("table ip keepalived\ndelete table ip keepalived\n"
                + "table ip6 keepalived\ndelete table ip6 keepalived\n",
                NftScript.render(FirewallConfig.DEFAULTS, Set.of(), true, true));
        String onlyV6 = NftScript.render(FirewallConfig.DEFAULTS, Set.of(blocked("fd00::1", "eth0", false)), true, false);
        assertTrue(onlyV6.startsWith("table ip keepalived\ndelete table ip keepalived\ntable ip6 keepalived\n"), onlyV6);
        assertEquals("", NftScript.render(FirewallConfig.DEFAULTS, Set.of(), false, false));
    }
}
