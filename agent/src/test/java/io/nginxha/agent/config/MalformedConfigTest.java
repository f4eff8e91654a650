package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each bad input must give one message naming its file, line and the setting, and never a stack trace. */
class MalformedConfigTest {
    private static final String YAML_BASE = "instances:\n  VI_1:\n    interface: eth0\n    virtual_router_id: 66\n"
            + "    virtual_ipaddress: [10.1.1.1]\n";

    private static Arguments conf(String text, String lineAndMessage) {
        return Arguments.of("keepalived.conf", text, lineAndMessage);
    }

    private static Arguments inInstance(String extra, String lineAndMessage) {
        return conf(Configs.instance(extra), lineAndMessage);
    }

    private static Arguments yaml(String extra, String lineAndMessage) {
        return Arguments.of("agent.yaml", YAML_BASE + extra, lineAndMessage);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                inInstance(" prority 100\n", "5: unknown keyword 'prority' in vrrp_instance VI_1 (did you mean 'priority'?)"),
                inInstance(" virtual_router_id 300\n", "5: virtual_router_id must be an integer 1..255, got '300'"),
                inInstance(" priority 0\n", "5: priority must be an integer 1..255, got '0'"),
                inInstance(" priority high\n", "5: priority must be an integer 1..255, got 'high'"),
                inInstance(" priority\n", "5: 'priority' needs a value"),
                inInstance(" priority 100 101\n", "5: 'priority' takes one value, got 2: 100 101"),
                inInstance(" state PRIMARY\n", "5: state must be MASTER or BACKUP, got 'PRIMARY'"),
                inInstance(" advert_int 0.5\n", "5: advert_int must be whole seconds 1..255 with VRRP version 2, got '0.5'"),
                inInstance(" version 3\n advert_int 0.015\n",
                        "6: advert_int must be 0.01..40.95 seconds in steps of 0.01 with VRRP version 3, got '0.015'"),
                inInstance(" version 3\n advert_int 41\n",
                        "6: advert_int must be 0.01..40.95 seconds in steps of 0.01 with VRRP version 3, got '41'"),
                inInstance(" advert_int fast\n", "5: advert_int must be a number of seconds 0.01..255, got 'fast'"),
                inInstance(" version 4\n", "5: version must be an integer 2..3, got '4'"),
                inInstance(" authentication {\n  auth_type AH\n  auth_pass x\n }\n",
                        "6: auth_type AH is not supported by vrrp-agent (use PASS or none)"),
                inInstance(" authentication {\n  auth_typ PASS\n }\n",
                        "6: unknown keyword 'auth_typ' in authentication of vrrp_instance VI_1 (did you mean 'auth_type'?)"),
                inInstance(" use_ipvlan\n", "5: 'use_ipvlan' in vrrp_instance VI_1 is not supported by vrrp-agent: " + Keywords.get(Keywords.Section.INSTANCE, "use_ipvlan").reason()),
                inInstance(" virtual_ipaddress {\n  10.1.1.300\n }\n",
                        "6: virtual_ipaddress must be an IPv4 or IPv6 address, got '10.1.1.300'"),
                inInstance(" virtual_ipaddress {\n  10.1.1.2/33\n }\n",
                        "6: virtual_ipaddress prefix length must be an integer 0..32, got '33'"),
                inInstance(" virtual_ipaddress {\n  10.1.1.2/24 peer 10.1.1.1\n }\n",
                        "6: 'peer' in virtual_ipaddress is not supported by vrrp-agent: point-to-point peer addresses "
                        + "are not implemented"),
                inInstance(" virtual_ipaddress {\n  10.1.1.2 dve eth0\n }\n",
                        "6: unknown option 'dve' in virtual_ipaddress (did you mean 'dev'?)"),
                inInstance(" virtual_ipaddress {\n  10.1.1.2 label\n }\n", "6: 'label' in virtual_ipaddress needs a value"),
                inInstance(" virtual_ipaddress {\n  2001:db8::1\n }\n", "6: virtual address 2001:db8:0:0:0:0:0:1 is not "
                        + "IPv4 like the first address of vrrp_instance VI_1 (keepalived ignores it); an address of "
                        + "the other family can go in virtual_ipaddress_excluded"),
                conf("vrrp_instance V6 {\n interface eth0\n virtual_router_id 1\n version 2\n virtual_ipaddress {\n"
                        + "  2001:db8::1\n }\n}\n",
                        "1: vrrp_instance V6 has IPv6 addresses, which need VRRP version 3 (version 2 here)"),
                inInstance(" unicast_src_ip 2001:db8::1\n", "5: unicast_src_ip 2001:db8:0:0:0:0:0:1 is not IPv4 like "
                        + "the virtual addresses of vrrp_instance VI_1"),
                inInstance(" unicast_peer {\n  10.1.1.9 min_ttl 2\n }\n", "6: unicast_peer options such as 'min_ttl 2' "
                        + "are not supported by vrrp-agent; write one address per line"),
                inInstance(" track_script {\n  chk_missing\n }\n",
                        "6: track_script 'chk_missing' in vrrp_instance VI_1 is not defined by any vrrp_script"),
                inInstance(" track_script {\n  chk weight 300\n }\n",
                        "6: track_script weight must be an integer -253..253, got '300'"),
                inInstance(" track_interface {\n  eth1 wieght 3\n }\n",
                        "6: track_interface lines are 'NAME [weight N [reverse]]', got 'eth1 wieght 3'"),
                inInstance(" preempt_delay 1.5\n", "5: preempt_delay must be whole seconds 0..1000 in vrrp-agent, got '1.5'"),
                inInstance(" preempt_delay 2000\n", "5: preempt_delay must be a number of seconds 0..1000, got '2000'"),
                inInstance(" notify_master /bin/notify root root -v\n", "5: 'notify_master' takes a command and an "
                        + "optional user and group, got '/bin/notify root root -v'; quote the whole command line if "
                        + "those are its arguments"),
                inInstance(" higher_prio_send_advert off\n", "5: 'higher_prio_send_advert off' is not supported by "
                        + "vrrp-agent: it always sends adverts when it steps down for a higher priority; remove the line"),
                conf("global_defs {\n vrrp_higher_prio_send_advert false\n}\n" + Configs.instance(""),
                        "2: 'vrrp_higher_prio_send_advert false' is not supported by vrrp-agent: it always sends "
                        + "adverts when it steps down for a higher priority; remove the line"),
                inInstance(" smtp_alert maybe\n", "5: smtp_alert must be true or false, got 'maybe'"),
                inInstance(" garp_master_delay -1\n", "5: garp_master_delay must be an integer 0..2147483, got '-1'"),
                conf(Configs.instance("") + Configs.instance("").replace("VI_1", "VI_2"), "6: virtual_router_id 66 of "
                        + "vrrp_instance VI_2 is already used on eth0 (IPv4) by vrrp_instance VI_1 at FILE:1"),
                conf(Configs.instance("") + Configs.instance(""), "6: vrrp_instance VI_1 is already defined at FILE:1"),
                conf("vrrp_instance X {\n virtual_router_id 1\n virtual_ipaddress { 10.1.1.1 }\n}\n",
                        "1: vrrp_instance X has no 'interface'"),
                conf("vrrp_instance X {\n interface eth0\n virtual_ipaddress { 10.1.1.1 }\n}\n",
                        "1: vrrp_instance X has no 'virtual_router_id'"),
                conf(Configs.instance("") + "virtual_server 10.0.0.1 80 {\n real_server 10.0.0.2 80 {\n }\n}\n",
                        "6: 'virtual_server' at top level is not supported by vrrp-agent: " + Keywords.get(Keywords.Section.ROOT, "virtual_server").reason()),
                conf("bfd_instance b1 {\n}\n" + Configs.instance(""), "1: 'bfd_instance' at top level is not supported by vrrp-agent: " + Keywords.get(Keywords.Section.ROOT, "bfd_instance").reason()),
                conf("static_routes {\n 10.1.0.0/16 nexthop via 10.0.0.1 dev eth0 metric 5\n}\n"
                        + Configs.instance(""), "2: unexpected 'metric' after the nexthop clauses in static_routes "
                        + "(every word after the first 'nexthop' belongs to a next hop: via, dev, weight, onlink; "
                        + "write the route's own options before it)"),
                conf("vrrp_sync_group G {\n group {\n VI_9\n }\n}\n" + Configs.instance(""),
                        "3: vrrp_sync_group G: vrrp_instance VI_9 does not exist"),
                conf("vrrp_instanse VI_1 {\n}\n",
                        "1: unknown keyword 'vrrp_instanse' at top level (did you mean 'vrrp_instance'?)"),
                conf("global_defs {\n routr_id x\n}\n" + Configs.instance(""),
                        "2: unknown keyword 'routr_id' in global_defs (did you mean 'router_id'?)"),
                conf("global_defs {\n dynamic_interfaces\n}\n" + Configs.instance(""),
                        "2: 'dynamic_interfaces' in global_defs is not supported by vrrp-agent: " + Keywords.get(Keywords.Section.GLOBAL, "dynamic_interfaces").reason()),
                conf("global_defs {\n smtp_server 10.0.0.1 99999\n}\n" + Configs.instance(""),
                        "2: smtp_server port must be an integer 1..65535, got '99999'"),
                conf("global_defs {\n vrrp_version 4\n}\n" + Configs.instance(""),
                        "2: vrrp_version must be an integer 2..3, got '4'"),
                // (a block with no 'script' line at all is removed with a warning, as keepalived does: corpus 60-*)
                conf("vrrp_script chk {\n script\n interval 2\n}\n" + Configs.instance(""),
                        "1: vrrp_script chk has no 'script' to run"),
                conf("vrrp_script chk {\n script /bin/true\n weight 300\n}\n" + Configs.instance(""),
                        "3: weight must be an integer -253..253, got '300'"),
                conf("vrrp_script chk {\n script /bin/true\n intervall 2\n}\n" + Configs.instance(""),
                        "3: unknown keyword 'intervall' in vrrp_script chk (did you mean 'interval'?)"),
                conf("vrrp_script chk {\n script \"/bin/true\n}\n" + Configs.instance(""),
                        "2: unterminated quote in: script \"/bin/true"),
                conf("vrrp_instance VI_1 {\n interface eth0\n", "1: '{' of 'vrrp_instance' is never closed with '}'"),
                conf(Configs.instance("") + "}\n", "6: '}' without a matching '{'"),
                yaml("    prority: 100\n", "6: unknown keyword 'prority' in vrrp_instance VI_1 (did you mean 'priority'?)"),
                yaml("    priority: [1, 2]\n", "6: priority must be a single value, got a list"),
                yaml("    priority: 256\n", "6: priority must be an integer 1..255, got '256'"),
                yaml("    virtual_router_id: 7\n", "6: 'virtual_router_id' is given twice (first at line 4)"),
                yaml("    nopreempt: maybe\n", "6: nopreempt must be true or false, got 'maybe'"),
                yaml("    advert_int: 100ms\n", "6: advert_int must be whole seconds 1..255 with VRRP version 2, got '0.1'"),
                yaml("    track_script: [nope]\n",
                        "6: track_script 'nope' in vrrp_instance VI_1 is not defined by any vrrp_script"),
                yaml("    virtual_ipaddress_excluded: [{a: 1}]\n",
                        "6: virtual_ipaddress_excluded items must be strings, got a mapping"),
                yaml("    authentication: {auth_type: AH, auth_pass: x}\n",
                        "6: auth_type AH is not supported by vrrp-agent (use PASS or none)"),
                yaml("    use_ipvlan: true\n", "6: 'use_ipvlan' in vrrp_instance VI_1 is not supported by vrrp-agent: " + Keywords.get(Keywords.Section.INSTANCE, "use_ipvlan").reason()),
                yaml("    track_script: [{nam: chk}]\n",
                        "6: unknown key 'nam' in a track_script item (did you mean 'name'?)"),
                yaml("scripts: [chk]\n", "6: scripts must be a mapping of keys, got a list"),
                yaml("instance:\n  X: {}\n", "6: unknown key 'instance' at top level (expected global, scripts, "
                        + "nginx_checks, track_files, track_processes, instances, sync_groups, static_ipaddress, "
                        + "static_routes, static_rules, announce) (did you mean 'instances'?)"),
                yaml("global: {vrrp_garp_interval: 1us}\n",
                        "6: vrrp_garp_interval must be a number of seconds 0..1, got '1us'"),
                yaml("    unicast_peer: [10.0.0.300]\n", "6: unicast_peer must be an IPv4 or IPv6 address, got '10.0.0.300'"));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("cases")
    void reportsFileLineAndSetting(String fileName, String text, String lineAndMessage) {
        Path file = Configs.write(fileName, text);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        String expected = file + ":" + lineAndMessage.replace("FILE", file.toString());
        assertTrue(e.problems().contains(expected), () -> "expected " + expected + "\nbut got " + e.problems());
        assertFalse(e.getMessage().contains("Exception") || e.getMessage().contains("\tat "), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void yamlSyntaxErrorNamesLine() {
        Path file = Configs.write("agent.yaml", "instances:\n  VI_1: {interface: eth0\n  VI_2: x\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertTrue(e.problems().size() == 1 && e.problems().get(0).startsWith(file + ":3: YAML syntax: "),
                e.problems().toString());
    }

    @org.junit.jupiter.api.Test
    void allErrorsAreCollectedNotJustTheFirst() {
        Path file = Configs.write("keepalived.conf", Configs.instance(" priority 0\n state X\n prority 1\n"));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertTrue(e.problems().size() == 3, e.problems().toString());
    }
}
