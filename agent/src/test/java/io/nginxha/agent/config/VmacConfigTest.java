package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** use_vmac and vmac_xmit_base: keepalived 2.2.7's forms, and the refusals with file and line. */
class VmacConfigTest {

    private static InstanceConfig only(String extra) throws ConfigException {
        return Configs.load(Configs.instance(extra)).config().instances().get(0);
    }

    private static List<String> errors(String text) {
        // the file's directory differs per load: keep its name and what follows
        return assertThrows(ConfigException.class, () -> Configs.load(text)).problems().stream()
                .map(p -> p.substring(p.indexOf("keepalived.conf:"))).toList();
    }

    @Test
    void useVmacAloneNamesTheMacvlanAfterTheVrid() throws Exception {
        InstanceConfig ic = only(" use_vmac\n");
        assertEquals(new InstanceConfig.Vmac("vrrp.66", false), ic.vmac());
        assertEquals("vrrp.66", ic.deviceOf(ic.vips().get(0)), "the VIPs go on the macvlan");
        assertEquals("vrrp.66", ic.advertDevice(), "adverts too");
        assertEquals("eth0", ic.iface(), "the instance stays on its interface (tracking, VRID checks)");
    }

    @Test
    void aNameAndXmitBase() throws Exception {
        InstanceConfig ic = only(" use_vmac vip66\n vmac_xmit_base\n");
        assertEquals(new InstanceConfig.Vmac("vip66", true), ic.vmac());
        assertEquals("vip66", ic.deviceOf(ic.vips().get(0)));
        assertEquals("eth0", ic.advertDevice(), "vmac_xmit_base: adverts on the base interface");
    }

    @Test
    void aVipWithItsOwnDeviceStaysThere() throws Exception {
        InstanceConfig ic = only(" use_vmac\n virtual_ipaddress { 10.1.1.2 dev eth1 }\n");
        assertEquals("eth1", ic.deviceOf(ic.vips().get(1)));
    }

    @Test
    void withoutUseVmacThereIsNone() throws Exception {
        InstanceConfig ic = only("");
        assertNull(ic.vmac());
        assertEquals("eth0", ic.deviceOf(ic.vips().get(0)));
    }

    @Test
    void unicastPeersTurnXmitBaseOnWithAWarningAsKeepalivedDoes() throws Exception {
        LoadResult r = Configs.load(Configs.instance(" use_vmac\n unicast_peer {\n  10.1.1.9\n }\n"));
        assertEquals(new InstanceConfig.Vmac("vrrp.66", true), r.config().instances().get(0).vmac());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains(":5:") && w.contains("vmac_xmit_base")),
                r.warnings().toString());
    }

    @Test
    void xmitBaseWithoutUseVmacIsIgnoredWithAWarning() throws Exception {
        LoadResult r = Configs.load(Configs.instance(" vmac_xmit_base\n"));
        assertNull(r.config().instances().get(0).vmac());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains(":5:") && w.contains("without use_vmac")),
                r.warnings().toString());
    }

    @Test
    void yamlReadsTheSameAndConvertWritesItBack() throws Exception {
        InstanceConfig conf = only(" use_vmac vip66\n vmac_xmit_base\n");
        String yaml = YamlWriter.write(Configs.load(Configs.instance(" use_vmac vip66\n vmac_xmit_base\n")).config());
        assertTrue(yaml.contains("use_vmac: vip66"), yaml);
        InstanceConfig back = ConfigLoader.loadWithWarnings(Configs.write("agent.yaml", yaml)).config()
                .instances().get(0);
        assertEquals(conf.vmac(), back.vmac());
    }

    @Test
    void refusalsNameFileAndLine() {
        assertEquals(List.of("keepalived.conf:5: use_vmac with a MAC address of its own ('00:00:5e:00:02') is not "
                + "implemented; the agent uses the VRRP virtual MAC 00:00:5e:00:01:VRID, or 00:00:5e:00:02:VRID "
                + "for IPv6 (remove the address)"),
                errors(Configs.instance(" use_vmac 00:00:5e:00:02\n")));
        assertEquals(List.of("keepalived.conf:5: use_vmac interface name 'a-very-long-name0' is longer than 15 bytes"),
                errors(Configs.instance(" use_vmac a-very-long-name0\n")));
        assertEquals(List.of("keepalived.conf:5: use_vmac takes at most an interface name in vrrp-agent, got "
                + "'vip66 vip67'"), errors(Configs.instance(" use_vmac vip66 vip67\n")));
        assertEquals(List.of("keepalived.conf:5: use_vmac interface name eth0 is the interface of vrrp_instance "
                + "VI_1 itself; the macvlan needs a name of its own"), errors(Configs.instance(" use_vmac eth0\n")));
        assertEquals(List.of("keepalived.conf:5: 'vmac_xmit_base' takes no value, got 'yes'"),
                errors(Configs.instance(" use_vmac\n vmac_xmit_base yes\n").replace(" use_vmac\n", "")));
    }

    @Test
    void ipv6InstancesGetTheirMacvlanAsKeepalivedDoes() throws Exception {
        String text = "vrrp_instance VI_6 {\n interface eth0\n virtual_router_id 66\n version 3\n"
                + " virtual_ipaddress { fd00::66 }\n use_vmac\n}\n";
        InstanceConfig ic = Configs.load(text).config().instances().get(0);
        assertEquals(new InstanceConfig.Vmac("vrrp.66", false), ic.vmac());
        assertEquals("vrrp.66", ic.deviceOf(ic.vips().get(0)), "the IPv6 VIP goes on the macvlan");
        assertEquals("vrrp.66", ic.advertDevice(), "adverts from the macvlan's link-local address");
    }

    @Test
    void twoInstancesCannotShareAMacvlan() {
        String text = "vrrp_instance A {\n interface eth0\n virtual_router_id 66\n virtual_ipaddress { 10.1.1.1 }\n"
                + " use_vmac vip\n}\nvrrp_instance B {\n interface eth1\n virtual_router_id 66\n"
                + " virtual_ipaddress { 10.1.2.1 }\n use_vmac vip\n}\n";
        List<String> problems = errors(text);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("keepalived.conf:7: use_vmac interface vip of vrrp_instance B is "
                + "already that of vrrp_instance A"), problems.get(0));
    }
}
