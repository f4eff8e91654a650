package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** vrrp_strict / strict_mode, accept / no_accept and the nftables keywords, as keepalived 2.2.7 resolves them. */
class StrictModeConfigTest {

    private static InstanceConfig only(LoadResult r) {
        return r.config().instances().get(0);
    }

    private static boolean warned(LoadResult r, String text) {
        return r.warnings().stream().anyMatch(w -> w.contains(text));
    }

    @Test
    void withoutStrictModeAcceptIsOnAndNoAcceptTurnsItOff() throws Exception {
        InstanceConfig plain = only(Configs.load(Configs.instance("")));
        assertTrue(plain.options().accept());
        assertFalse(plain.dropsTrafficToVips());
        assertTrue(plain.options().higherPrioSendAdvert(), "the agent's step-down adverts outside strict mode");
        InstanceConfig off = only(Configs.load(Configs.instance(" no_accept\n")));
        assertFalse(off.options().accept());
        assertTrue(off.dropsTrafficToVips());
        assertFalse(off.options().strict());
        // the last of accept / no_accept counts, as in keepalived's parser
        assertTrue(only(Configs.load(Configs.instance(" no_accept\n accept\n"))).options().accept());
    }

    @Test
    void theAddressOwnerAlwaysAccepts() throws Exception {
        InstanceConfig owner = only(Configs.load(Configs.instance(" priority 255\n no_accept\n")));
        assertFalse(owner.options().accept());
        assertFalse(owner.dropsTrafficToVips(), "keepalived never blocks the owner's own addresses");
    }

    @Test
    void strictModeTurnsAcceptOffAndForcesTheRfcBehaviour() throws Exception {
        LoadResult r = Configs.load("global_defs {\n vrrp_strict\n}\n" + Configs.instance(
                " priority 100\n preempt_delay 5\n garp_lower_prio_repeat 3\n lower_prio_no_advert false\n"
                        + " higher_prio_send_advert\n"));
        InstanceConfig ic = only(r);
        assertTrue(ic.options().strict());
        assertFalse(ic.options().accept());
        assertTrue(ic.dropsTrafficToVips());
        assertEquals(0, ic.preemptDelaySec());
        assertEquals(0, ic.garp().lowerPrioRepeat());
        assertEquals(0, ic.garp().lowerPrioDelaySec());
        assertTrue(ic.options().lowerPrioNoAdvert());
        assertFalse(ic.options().higherPrioSendAdvert());
        assertTrue(warned(r, "keepalived.conf:9: vrrp_instance VI_1: preempt_delay is incompatible with strict"), r.warnings().toString());
        assertTrue(warned(r, "keepalived.conf:10: vrrp_instance VI_1: strict mode sends no gratuitous ARPs"));
        assertTrue(warned(r, "keepalived.conf:11: vrrp_instance VI_1: strict mode requires lower_prio_no_advert"));
        assertTrue(warned(r, "keepalived.conf:12: vrrp_instance VI_1: strict mode requires higher_prio_send_advert"));
    }

    @Test
    void strictModeIgnoresAuthenticationAndVersion2AcceptMode() throws Exception {
        LoadResult r = Configs.load(Configs.instance(" strict_mode\n accept\n authentication {\n auth_type PASS\n"
                + " auth_pass secret\n }\n"));
        InstanceConfig ic = only(r);
        assertNull(ic.authPass());
        assertFalse(ic.options().accept(), "keepalived resets accept for v2 in strict mode");
        assertTrue(warned(r, "strict mode does not support authentication"));
        assertTrue(warned(r, "keepalived.conf:6: vrrp_instance VI_1: accept mode with VRRP version 2"));
        InstanceConfig v3 = only(Configs.load(Configs.instance(" strict_mode\n version 3\n accept\n")));
        assertTrue(v3.options().accept(), "accept is allowed with VRRP version 3");
    }

    @Test
    void strictModeRefusesUnicastPeers() {
        ConfigException e = assertThrows(ConfigException.class, () -> Configs.load(Configs.instance(
                " strict_mode true\n unicast_peer {\n 10.1.1.2\n }\n")));
        assertTrue(e.problems().stream().anyMatch(p -> p.contains("keepalived.conf:6")
                && p.contains("unicast peers are not supported in strict mode")), e.problems().toString());
    }

    @Test
    void strictModeOfTheInstanceOverridesTheGlobalOne() throws Exception {
        InstanceConfig ic = only(Configs.load("global_defs {\n vrrp_strict\n}\n"
                + Configs.instance(" strict_mode off\n unicast_peer {\n 10.1.1.2\n }\n")));
        assertFalse(ic.options().strict());
        assertTrue(ic.options().accept());
    }

    @Test
    void strictModeMatchesTheStateToTheOwnerAndMakesIpv6Version3() throws Exception {
        LoadResult r = Configs.load("vrrp_instance V6 {\n interface eth0\n virtual_router_id 7\n strict_mode\n"
                + " state MASTER\n priority 200\n version 2\n virtual_ipaddress {\n fe80::7\n fd00::7\n }\n}\n");
        InstanceConfig ic = only(r);
        assertEquals(InstanceConfig.InitialState.BACKUP, ic.initialState());
        assertEquals(3, ic.version());
        assertTrue(warned(r, "state MASTER must match being the address owner"));
        ConfigException e = assertThrows(ConfigException.class, () -> Configs.load(
                "vrrp_instance V6 {\n interface eth0\n virtual_router_id 7\n version 2\n"
                        + " virtual_ipaddress {\n fd00::7\n }\n}\n"));
        assertTrue(e.problems().get(0).contains("need VRRP version 3"), "outside strict mode it stays an error");
        assertThrows(ConfigException.class, () -> Configs.load(
                "vrrp_instance V {\n interface eth0\n virtual_router_id 7\n strict_mode\n}\n"),
                "strict mode needs a VIP");
    }

    @Test
    void moreVipsThanAnAdvertHoldsAreManagedButNotAdvertised() throws Exception {
        StringBuilder v6 = new StringBuilder("vrrp_instance V6 {\n interface eth0\n virtual_router_id 7\n"
                + " virtual_ipaddress {\n");
        for (int i = 1; i <= 90; i++) {
            v6.append(" fd00::").append(Integer.toHexString(i)).append('\n');
        }
        LoadResult r = Configs.load(v6.append(" }\n}\n").toString());
        InstanceConfig ic = only(r);
        assertEquals(89, ic.vips().size());
        assertEquals(List.of("fd00:0:0:0:0:0:0:5a"), ic.excludedVips().stream()
                .map(v -> v.address().getHostAddress()).toList());
        assertTrue(warned(r, "keepalived.conf:94: vrrp_instance V6 has 90 VIPs; an advert holds at most 89"));
    }

    @Test
    void nftablesKeywordsSetTheFirewall() throws Exception {
        FirewallConfig dflt = Configs.load(Configs.instance("")).config().global().firewall();
        assertEquals(FirewallConfig.DEFAULTS, dflt);
        LoadResult r = Configs.load("global_defs {\n nftables_priority 7\n nftables ka_test\n nftables_priority 3\n"
                + " nftables_counters\n nftables_ifindex\n nftables other\n}\n" + Configs.instance(""));
        assertEquals(new FirewallConfig("ka_test", 3, true, true), r.config().global().firewall());
        assertTrue(warned(r, "keepalived.conf:7: nftables already specified"));
        LoadResult ipt = Configs.load("global_defs {\n nftables mine\n vrrp_iptables\n vrrp_ipsets\n}\n"
                + Configs.instance(""));
        assertEquals("keepalived", ipt.config().global().firewall().table(), "Debian's keepalived: vrrp_iptables "
                + "is the nftables table keepalived");
        assertTrue(warned(ipt, "keepalived.conf:3: iptables is not supported"));
        assertTrue(warned(ipt, "keepalived.conf:4: 'vrrp_ipsets' in global_defs is accepted but has no effect"));
        assertThrows(ConfigException.class, () -> Configs.load("global_defs {\n nftables 'bad name'\n}\n"
                + Configs.instance("")));
    }

    @Test
    void skipCheckAdvAddrAndLowerPrioNoAdvertComeFromGlobalDefs() throws Exception {
        InstanceConfig ic = only(Configs.load("global_defs {\n vrrp_skip_check_adv_addr\n"
                + " vrrp_lower_prio_no_advert\n}\n" + Configs.instance("")));
        assertTrue(ic.options().skipCheckAdvAddr());
        assertTrue(ic.options().lowerPrioNoAdvert());
        LoadResult r = Configs.load(Configs.instance(" skip_check_adv_addr false\n"));
        assertTrue(only(r).options().skipCheckAdvAddr(), "keepalived 2.2.7 sets it whatever the value");
        assertTrue(warned(r, "turns skip_check_adv_addr on whatever its value"));
        assertFalse(only(Configs.load(Configs.instance(""))).options().skipCheckAdvAddr());
    }

    @Test
    void multicastGroupsComeFromTheInstanceElseGlobalDefs() throws Exception {
        LoadResult r = Configs.load("global_defs {\n vrrp_mcast_group4 224.0.0.19\n vrrp_mcast_group6 ff02::19\n}\n"
                + "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress { 10.0.0.1 }\n}\n"
                + "vrrp_instance B {\n interface eth0\n virtual_router_id 2\n mcast_dst_ip 224.0.0.20\n"
                + " mcast_src_ip 10.0.0.9\n virtual_ipaddress { 10.0.0.2 }\n}\n"
                + "vrrp_instance C {\n interface eth0\n virtual_router_id 3\n virtual_ipaddress { fe80::3 }\n}\n"
                + "vrrp_instance D {\n interface eth0\n virtual_router_id 4\n mcast_dst_ip 224.0.0.21\n"
                + " unicast_peer { 10.0.0.8 }\n virtual_ipaddress { 10.0.0.4 }\n}\n");
        List<InstanceConfig> all = r.config().instances();
        assertEquals("224.0.0.19", all.get(0).options().mcastGroup().getHostAddress());
        assertEquals("224.0.0.20", all.get(1).options().mcastGroup().getHostAddress());
        assertEquals("10.0.0.9", all.get(1).unicastSrc().getHostAddress(), "mcast_src_ip is keepalived's saddr");
        assertEquals(java.net.InetAddress.getByName("ff02::19"), all.get(2).options().mcastGroup());
        assertNull(all.get(3).options().mcastGroup(), "ignored with unicast peers");
        assertTrue(warned(r, "mcast_dst_ip is ignored with unicast peers"));
        assertNull(only(Configs.load("global_defs {\n vrrp_mcast_group4 224.0.0.18\n}\n" + Configs.instance("")))
                .options().mcastGroup(), "the default group is the default");
        assertThrows(ConfigException.class, () -> Configs.load("global_defs {\n vrrp_mcast_group4 10.0.0.1\n}\n"
                + Configs.instance("")));
        assertThrows(ConfigException.class, () -> Configs.load(Configs.instance(" mcast_dst_ip ff02::12\n")),
                "an IPv6 group for an IPv4 instance");
    }

    @Test
    void promoteSecondariesIsIgnoredWithUseVmacAsKeepalivedDoes() throws Exception {
        assertTrue(only(Configs.load(Configs.instance(" promote_secondaries\n"))).options().promoteSecondaries());
        LoadResult r = Configs.load(Configs.instance(" use_vmac\n promote_secondaries\n"));
        assertFalse(only(r).options().promoteSecondaries());
        assertTrue(warned(r, "keepalived.conf:6: vrrp_instance VI_1: promote_secondaries is automatically set for "
                + "vmacs"), r.warnings().toString());
    }
}
