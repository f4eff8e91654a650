package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** vip_announce in keepalived.conf and announce in YAML: one config, clear errors. */
class AnnounceConfigTest {
    private static final String CHECK = "vrrp_track_nginx chk_nginx {\n pid_file /run/nginx.pid\n}\n";

    private static String errors(String conf) {
        ConfigException e = assertThrows(ConfigException.class, () -> Configs.load(conf));
        return String.join("\n", e.problems());
    }

    @Test
    void aKeepalivedBlockAloneIsAWholeConfig() throws Exception {
        AgentConfig c = Configs.load(CHECK + """
                vip_announce WEB {
                    virtual_ipaddress {
                        198.51.100.10/32
                        2001:db8:100::10
                    }
                    track_script { chk_nginx }
                    track_interface { eth0 }
                    hold_down 7
                    drain_time 0.5
                }
                """).config();
        assertEquals(List.of(), c.instances());
        AnnounceConfig g = c.announce().get(0);
        assertEquals("WEB", g.name());
        assertEquals("lo", g.iface());
        assertEquals(List.of(InetAddress.getByName("198.51.100.10"), InetAddress.getByName("2001:db8:100::10")),
                g.vips().stream().map(VirtualAddress::address).toList());
        assertEquals(List.of(32, 128), g.vips().stream().map(VirtualAddress::prefix).toList());
        assertEquals(List.of("lo", "lo"), g.vips().stream().map(VirtualAddress::dev).toList());
        assertEquals(List.of("chk_nginx"), g.trackScripts().stream().map(InstanceConfig.Tracked::name).toList());
        assertEquals(List.of("eth0"), g.trackInterfaces().stream().map(InstanceConfig.Tracked::name).toList());
        assertEquals(7000, g.holdDownMs());
        assertEquals(500, g.drainMs());
        assertEquals(new Source(Configs.file(), 4), g.source());
    }

    @Test
    void yamlGivesTheSameGroupAndConvertWritesItBack() throws Exception {
        AgentConfig conf = Configs.load(CHECK + "vip_announce WEB {\n virtual_ipaddress { 198.51.100.10 }\n"
                + " track_script { chk_nginx }\n hold_down 2\n}\n").config();
        String yaml = YamlWriter.write(conf);
        AgentConfig back = ConfigLoader.load(Configs.write("agent.yaml", yaml));
        assertEquals(conf.announce().get(0).withoutSource(), back.announce().get(0).withoutSource());
        AgentConfig written = ConfigLoader.load(Configs.write("agent.yaml", """
                nginx_checks:
                  chk_nginx: {pid_file: /run/nginx.pid}
                announce:
                  WEB:
                    virtual_ipaddress: [198.51.100.10/32]
                    track_script: [chk_nginx]
                    hold_down: 2000ms
                """));
        assertEquals(conf.announce().get(0).withoutSource(), written.announce().get(0).withoutSource());
        assertEquals(AnnounceConfig.DEFAULT_DRAIN_MS, written.announce().get(0).drainMs());
    }

    @Test
    void aNetworkPrefixIsRefusedWithWhy() {
        String e = errors("vip_announce WEB {\n virtual_ipaddress {\n  198.51.100.0/24\n }\n}\n");
        assertEquals(Configs.file() + ":3: vip_announce WEB: 198.51.100.0/24 must be a host address (/32): the routers "
                        + "learn each VIP as its own prefix", e);
    }

    @Test
    void weightsUnknownChecksAndNameClashesAreErrors() {
        String e = errors(Configs.instance("") + """
                vip_announce VI_1 {
                    virtual_ipaddress { 198.51.100.10 }
                }
                vip_announce WEB {
                    virtual_ipaddress { 198.51.100.11 }
                    track_script { chk_ngnix weight -20 }
                    track_script { chk_nginx }
                    virtual_routes { 10.0.0.0/8 dev lo }
                    hold_down forever
                }
                """ + CHECK);
        String f = Configs.file().toString();
        assertEquals(String.join("\n",
                f + ":6: vip_announce VI_1: the name is already used at " + f + ":1 (vip_announce groups and "
                        + "vrrp_instances share one namespace)",
                f + ":11: vip_announce WEB: 'chk_ngnix' has a weight; an announce group has no priority, so any "
                        + "tracked check that is down withdraws it (remove the weight)",
                f + ":13: 'virtual_routes' in vip_announce WEB is not supported by vrrp-agent: an announce group "
                        + "decides only whether this host offers its VIPs; the routing itself (BGP, BFD, routes to "
                        + "the routers) is FRR's, configured in frr.conf (the frr role)",
                f + ":14: hold_down must be a number of seconds 0..3600, got 'forever'"), e);
    }

    @Test
    void aTrackedScriptMustExist() {
        String e = errors("vip_announce WEB {\n virtual_ipaddress { 198.51.100.10 }\n track_script { chk_ngnix }\n}\n"
                + CHECK);
        assertEquals(Configs.file() + ":3: track_script 'chk_ngnix' in vip_announce WEB is not defined by any "
                + "vrrp_script or vrrp_track_nginx (did you mean 'chk_nginx'?)", e);
    }

    @Test
    void aGroupWithoutVipsIsAnError() {
        String e = errors("vip_announce WEB {\n hold_down 1\n}\n");
        assertEquals(Configs.file() + ":1: vip_announce WEB has no virtual_ipaddress: nothing to announce", e);
    }
}
