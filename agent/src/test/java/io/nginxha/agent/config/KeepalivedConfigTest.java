package io.nginxha.agent.config;

import static io.nginxha.agent.config.ConfigFixtures.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.InstanceConfig.InitialState;
import io.nginxha.agent.config.InstanceConfig.Tracked;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeepalivedConfigTest {

    private static AgentConfig expectedSeed(Path file, InitialState state, int priority) throws Exception {
        GlobalConfig global = new GlobalConfig(GlobalBuilder.hostName(), 2, null, false, List.of(), null, null, 30,
                GarpConfig.DEFAULTS);
        ScriptConfig script = new ScriptConfig("chk_http_port", List.of("/usr/local/src/check_nginx_pid.sh"), 2000,
                2000, 2, false, 1, 1, null, new Source(file, 1), false);
        // every setting the seed does not write is spelled out: the loader's defaults are what is checked here
        InstanceConfig vi1 = InstanceConfig.builder("VI_1").initialState(state).iface("eth0").vrid(66)
                .priority(priority).intervalCs(100).version(2).authPass("1111")
                .vips(List.of(new VirtualAddress(InetAddress.getByName("192.168.16.130"), 32, null, null,
                        new Source(file, 21))))
                .preempt(true).preemptDelaySec(0).unicastSrc(null).unicastPeers(List.of())
                .trackScripts(List.of(new Tracked("chk_http_port", null, false, new Source(file, 18))))
                .trackInterfaces(List.of()).trackFiles(List.of()).notifications(NotifyConfig.NONE)
                .garp(GarpConfig.DEFAULTS).source(new Source(file, 6)).excludedVips(List.of())
                .dontTrackPrimary(false).build();
        return new AgentConfig(global, Map.of("chk_http_port", script), List.of(vi1));
    }

    @Test
    void seedMasterLoadsToExactRecords() throws Exception {
        Path file = resource("seed-master.conf");
        LoadResult result = ConfigLoader.loadWithWarnings(file);
        assertEquals(expectedSeed(file, InitialState.MASTER, 100), result.config());
        assertEquals(List.of(), result.warnings());
    }

    @Test
    void seedBackupLoadsToExactRecords() throws Exception {
        Path file = resource("seed-backup.conf");
        assertEquals(expectedSeed(file, InitialState.BACKUP, 99), ConfigLoader.load(file));
    }

    @Test
    void productionConfigWithIncludesCommentsAndUnicast() throws Exception {
        Path file = resource("prod/keepalived.conf");
        LoadResult result = ConfigLoader.loadWithWarnings(file);
        AgentConfig c = result.config();
        assertEquals(List.of(), result.warnings());

        GlobalConfig g = c.global();
        assertEquals("WEB1", g.routerId());
        assertEquals("nginx_check:nogroup", g.scriptUser());
        assertTrue(g.enableScriptSecurity());
        assertEquals(List.of("ops@example.com", "oncall@example.com"), g.notificationEmails());
        assertEquals("keepalived@web1.example.com", g.notificationEmailFrom());
        assertEquals("10.0.0.25:25", g.smtpServer());
        assertEquals(10, g.smtpConnectTimeoutSec());
        // lower-priority burst inherits the master burst's delay and repeat, as in keepalived
        assertEquals(new GarpConfig(2, 3, 60, 1, 2, 2, 3), g.garp());

        ScriptConfig nginx = c.scripts().get("chk_nginx");
        assertEquals(List.of("/usr/bin/curl", "-sf", "http://127.0.0.1/nginx_status"), nginx.command());
        assertEquals(1000, nginx.timeoutMs());
        assertEquals(2, nginx.rise());
        assertEquals(3, nginx.fall());
        assertEquals(resource("prod/scripts/checks.conf").toAbsolutePath(), nginx.source().file());
        assertEquals(2, nginx.source().line());
        ScriptConfig disk = c.scripts().get("chk_disk");
        assertEquals(List.of("/usr/local/bin/check_disk.sh", "--min-free", "10%"), disk.command());
        assertEquals(10_000, disk.timeoutMs()); // no timeout: the interval
        assertTrue(disk.weightReverse());
        assertTrue(disk.initFail());
        assertEquals("root", disk.user());

        InstanceConfig web = c.instances().get(0);
        assertEquals("VI_WEB", web.name());
        assertEquals(200, web.intervalCs());
        assertEquals(false, web.preempt());
        assertEquals("s3cr3t", web.authPass()); // '!pw' is a comment
        assertEquals(InetAddress.getByName("10.0.0.11"), web.unicastSrc());
        assertEquals(List.of(InetAddress.getByName("10.0.0.12")), web.unicastPeers());
        assertEquals(List.of("10.0.0.100/24 dev eth0 label eth0:vip", "10.0.0.101/24 dev eth0", "10.0.1.100/32"),
                web.vips().stream().map(VirtualAddress::toString).toList());
        assertEquals(37, web.vips().get(0).source().line());
        assertEquals(List.of("192.168.50.1/24 dev eth1"), web.excludedVips().stream().map(Object::toString).toList());
        assertEquals(List.of(new Tracked("chk_nginx", null, false, new Source(file, 45)),
                new Tracked("chk_disk", -30, false, new Source(file, 46))), web.trackScripts());
        assertEquals(-20, web.trackInterfaces().get(0).weight());
        NotifyConfig n = web.notifications();
        assertEquals(List.of("/etc/keepalived/notify.sh", "MASTER"), n.master());
        assertEquals(List.of("/etc/keepalived/notify.sh", "FAULT now"), n.fault());
        assertEquals(List.of("/etc/keepalived/notify-any.sh"), n.any());
        assertTrue(n.smtpAlert());
        assertEquals(2, web.garp().masterRefreshRepeat());
        assertEquals(1, c.instances().get(1).garp().masterRefreshRepeat());

        InstanceConfig v6 = c.instances().get(1);
        assertEquals(3, v6.version());
        assertEquals(5, v6.intervalCs());
        assertEquals(30, v6.preemptDelaySec());
        assertEquals(90, v6.priority());
        assertEquals(InitialState.BACKUP, v6.initialState());
        assertEquals(64, v6.vips().get(0).prefix());
        assertEquals(List.of("/etc/keepalived/stop.sh"), v6.notifications().stop());
    }

    @Test
    void defaultsFollowKeepalived() throws Exception {
        AgentConfig c = Configs.load("vrrp_instance V {\n interface eth0\n virtual_router_id 1\n"
                + " virtual_ipaddress {\n 10.1.1.1\n }\n}\n").config();
        InstanceConfig i = c.instances().get(0);
        assertEquals(100, i.priority());
        assertEquals(InitialState.BACKUP, i.initialState());
        assertEquals(100, i.intervalCs());
        assertEquals(2, i.version());
        assertTrue(i.preempt());
        assertEquals(null, i.authPass());
        assertEquals(GarpConfig.DEFAULTS, i.garp());
    }

    @Test
    void masterWithoutPriorityBecomesOwnerWithWarning() throws Exception {
        LoadResult r = Configs.load("vrrp_instance V {\n state MASTER\n interface eth0\n virtual_router_id 1\n"
                + " virtual_ipaddress {\n 10.1.1.1\n }\n}\n");
        assertEquals(255, r.config().instances().get(0).priority());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).equals(Configs.file() + ":1: vrrp_instance V has state MASTER and no priority: "
                + "priority 255 (address owner), as keepalived does; write a priority to avoid this"), r.warnings().get(0));
    }

    @Test
    void longAuthPassIsTruncatedWithWarning() throws Exception {
        LoadResult r = Configs.load(Configs.instance(" authentication {\n  auth_type PASS\n  auth_pass 123456789abc\n }\n"));
        assertEquals("12345678", r.config().instances().get(0).authPass());
        assertEquals(List.of(Configs.file() + ":7: auth_pass is longer than 8 characters; only its first 8 are used,"
                + " as keepalived does"), r.warnings());
    }

    @Test
    void nopreemptWithMasterIsClearedWithWarning() throws Exception {
        LoadResult r = Configs.load(Configs.instance(" state MASTER\n nopreempt\n priority 100\n"));
        assertTrue(r.config().instances().get(0).preempt());
        assertEquals(List.of(Configs.file() + ":6: nopreempt needs state BACKUP; ignored with state MASTER, "
                + "as keepalived does"), r.warnings());
    }

    @Test
    void ignoredGlobalKeywordWarns() throws Exception {
        LoadResult r = Configs.load("global_defs {\n enable_snmp_vrrp\n}\n" + Configs.instance(""));
        assertEquals(List.of(Configs.file() + ":2: 'enable_snmp_vrrp' in global_defs is accepted but has no effect in vrrp-agent: "
                + Keywords.get(Keywords.Section.GLOBAL, "enable_snmp_vrrp").reason()),
                r.warnings());
    }

    @Test
    void higherPrioSendAdvertOnIsWhatTheAgentAlwaysDoes() throws Exception {
        LoadResult r = Configs.load("global_defs {\n vrrp_higher_prio_send_advert true\n}\n"
                + Configs.instance(" higher_prio_send_advert\n"));
        assertEquals(List.of(), r.warnings());
        assertEquals("VI_1", r.config().instances().get(0).name());
    }

    @Test
    void braceOnNextLineAndOneLineBlocks() throws Exception {
        AgentConfig c = Configs.load("vrrp_instance V\n{\n interface eth0\n virtual_router_id 9\n"
                + " virtual_ipaddress { 10.1.1.1/16 }\n}\n").config();
        assertEquals(9, c.instances().get(0).vrid());
        assertEquals(16, c.instances().get(0).vips().get(0).prefix());
    }

    @Test
    void keepalivedLeniencesWarnWithTheirLine() throws Exception {
        LoadResult r = Configs.load(Configs.instance(" nopreempt 1\n unicast_peer {\n  10.0.0.2/24\n }\n"
                + " notify_master /bin/first\n notify_master /bin/second\n"));
        String f = Configs.file().toString();
        assertEquals(List.of(f + ":5: nopreempt takes no value; '1' is ignored, as keepalived does",
                f + ":7: unicast_peer 10.0.0.2/24: the prefix length is ignored, as keepalived does",
                f + ":10: notify_master is already set in vrrp_instance VI_1; this one is ignored, as keepalived does"),
                r.warnings());
        InstanceConfig i = r.config().instances().get(0);
        assertEquals(false, i.preempt());
        assertEquals(List.of(java.net.InetAddress.getByName("10.0.0.2")), i.unicastPeers());
        assertEquals(List.of("/bin/first"), i.notifications().master());
    }
}
