package io.nginxha.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one table of what vrrp-agent does with each keyword of keepalived 2.2.7's VRRP configuration (taken from
 * its parsers, not from its manual alone): implemented with keepalived's meaning, accepted with a warning that
 * says why it cannot change anything here, or refused with the reason. The builders handle the implemented ones
 * and hand every other keyword to {@link #report}; docs/configuration.md's keyword table is checked against
 * {@link #markdownTable} by a unit test, so the documentation cannot drift from the code.
 */
final class Keywords {
    private Keywords() { }

    enum Section {
        ROOT("top level"), GLOBAL("global_defs"), SCRIPT("vrrp_script"), TRACK_FILE("track_file"),
        TRACK_PROCESS("vrrp_track_process"), SYNC_GROUP("vrrp_sync_group"), INSTANCE("vrrp_instance"),
        AUTHENTICATION("authentication"), NGINX("vrrp_track_nginx"),
        ANNOUNCE("vip_announce");

        final String title;

        Section(String title) {
            this.title = title;
        }
    }

    enum Status {
        IMPLEMENTED("implemented"), WARNED("accepted with warning"), REFUSED("refused");

        final String title;

        Status(String title) {
            this.title = title;
        }
    }

    /**
     * One keyword. {@code onlyValue}, when set, is keepalived's default for a WARNED keyword: that value is
     * accepted with the warning (it is what the agent does anyway) and any other value is refused.
     */
    record Keyword(String name, Section section, Status status, String reason, String onlyValue) { }

    private static final String PROCESS = "only tunes keepalived's own processes (names, scheduling, memory, "
            + "CPUs); the agent is one JVM process run by systemd";
    private static final String BUFFERS = "only sizes keepalived's own netlink or packet socket buffers";
    private static final String MONITORING = "the agent has no SNMP or D-Bus interface; its status and /metrics "
            + "endpoint (status_port) reports state instead";
    private static final String FILES = "only concerns keepalived's own pid, data or config-copy files";
    private static final String LVS = "LVS/IPVS is out of scope; keep keepalived for LVS beside the agent "
            + "(docs/migrating.md)";
    private static final String VMAC_GARP = "the periodic extra gratuitous ARPs on VMAC interfaces are not "
            + "implemented; garp_master_refresh repeats them from the VMAC";

    private static final Map<String, Keyword> TABLE = new LinkedHashMap<>();

    static {
        Section s = Section.ROOT;
        implemented(s, "global_defs vrrp_script vrrp_instance track_file vrrp_track_file include vrrp_track_nginx "
                + "vrrp_sync_group");
        implemented(s, "static_ipaddress static_routes static_rules");
        implemented(s, "vip_announce");
        implemented(s, "vrrp_track_process");
        refused(s, "static track groups are not implemented yet", "track_group");
        refused(s, "GARP groups (gratuitous ARP pacing per interface) are not implemented yet", "garp_group");
        refused(s, "interface up/down delays are not implemented yet", "interface_up_down_delays");
        refused(s, "per-interface link polling is not implemented; the agent follows netlink link events",
                "linkbeat_interfaces");
        warned(s, "chooses how keepalived detects link changes; the agent always uses netlink events, which see "
                + "the same link state", "linkbeat_use_polling");
        refused(s, "network namespaces are not implemented; run the agent inside the namespace "
                + "(ip netns exec, or NetworkNamespacePath= in its unit)", "net_namespace net_namespace_ipvs "
                + "namespace_with_ipsets");
        warned(s, FILES, "use_pid_dir instance");
        warned(s, "only how long keepalived's parent waits for its children at shutdown", "child_wait_time");
        refused(s, LVS, "virtual_server virtual_server_group real_server SSL");
        refused(s, "BFD is not implemented", "bfd_instance");

        s = Section.GLOBAL;
        implemented(s, "router_id notification_email notification_email_from smtp_server smtp_connect_timeout "
                + "script_user enable_script_security vrrp_version vrrp_garp_master_delay vrrp_garp_master_repeat "
                + "vrrp_garp_master_refresh vrrp_garp_master_refresh_repeat vrrp_garp_interval "
                + "vrrp_garp_lower_prio_delay vrrp_garp_lower_prio_repeat vrrp_gna_interval "
                + "vrrp_higher_prio_send_advert "
                + "vrrp_check_unicast_src default_interface status_port");
        implemented(s, "vrrp_strict vrrp_skip_check_adv_addr vrrp_lower_prio_no_advert nftables nftables_priority "
                + "nftables_counters nftables_ifindex vrrp_iptables vrrp_mcast_group4 vrrp_mcast_group6");
        implemented(s, "vrrp_rt_priority vrrp_cpu_affinity vrrp_rlimit_rttime vrrp_rlimit_rtime");
        warned(s, PROCESS, "process_names process_name vrrp_process_name checker_process_name lvs_process_name "
                + "bfd_process_name max_auto_priority min_auto_priority_delay vrrp_priority vrrp_no_swap "
                + "checker_priority "
                + "checker_no_swap checker_rt_priority checker_cpu_affinity checker_rlimit_rttime "
                + "checker_rlimit_rtime bfd_priority bfd_no_swap bfd_rt_priority bfd_cpu_affinity "
                + "bfd_rlimit_rttime bfd_rlimit_rtime");
        warned(s, BUFFERS, "vrrp_netlink_cmd_rcv_bufs vrrp_netlink_cmd_rcv_bufs_force vrrp_netlink_monitor_rcv_bufs "
                + "vrrp_netlink_monitor_rcv_bufs_force process_monitor_rcv_bufs process_monitor_rcv_bufs_force "
                + "vrrp_rx_bufs_policy vrrp_rx_bufs_multiplier");
        warned(s, MONITORING, "snmp_socket enable_traps enable_snmp_vrrp enable_snmp_keepalived enable_snmp_rfc "
                + "enable_snmp_rfcv2 enable_snmp_rfcv3 enable_snmp_checker enable_dbus dbus_service_name");
        warned(s, FILES, "include_check config_save_dir tmp_config_directory data_use_instance");
        warned(s, "the agent always checks a new configuration before it reloads and keeps the old one when the new "
                + "one is bad", "reload_check_config");
        warned(s, "only seeds keepalived's random numbers ($_RANDOM, which the agent refuses)", "random_seed");
        warned(s, "only changes what keepalived logs about adverts for unknown VRIDs", "log_unknown_vrids");
        warned(s, "ipsets belong to keepalived's iptables mode; Debian's keepalived 2.2.7 is built without both "
                + "and ignores the line; the agent's drop rules use nftables sets (nftables)", "vrrp_ipsets");
        refused(s, "the agent's mailer always says HELO with the host name", "smtp_helo_name");
        refused(s, "a global switch for state-change mails is not implemented; write smtp_alert in each "
                + "vrrp_instance", "smtp_alert smtp_alert_vrrp");
        refused(s, "suppressing mails for FAULT is not implemented", "no_email_faults");
        refused(s, "startup and shutdown scripts are not implemented; use ExecStartPre=/ExecStopPost= in the "
                + "agent's systemd unit", "startup_script startup_script_timeout shutdown_script "
                + "shutdown_script_timeout");
        refused(s, "keeping instances of missing interfaces until they appear is not implemented", "dynamic_interfaces");
        refused(s, "disabling the kernel's IGMP reports is not implemented", "disable_local_igmp");
        refused(s, "the distinct GARP/NA pacing it sets is not implemented; write vrrp_garp_master_delay 0, "
                + "vrrp_garp_master_repeat 1, vrrp_garp_master_refresh 0 and vrrp_garp_master_refresh_repeat 0",
                "vrrp_min_garp");
        refused(s, "sending fewer adverts while down is not implemented", "vrrp_down_timer_adverts");
        refused(s, VMAC_GARP, "vrrp_garp_extra_if vrrp_vmac_garp_intvl");
        refused(s, "other prefixes for VMAC names are not implemented; name the macvlan with 'use_vmac NAME'",
                "vmac_prefix vmac_addr_prefix");
        implemented(s, "notify_fifo notify_fifo_script vrrp_notify_fifo vrrp_notify_fifo_script "
                + "vrrp_notify_priority_changes fifo_write_vrrp_states_on_reload");
        implemented(s, "vrrp_startup_delay");
        refused(s, "the agent's scripts get the umask systemd gives it; set UMask= in its unit", "umask");
        refused(s, "scheduled reloads are not implemented; reload with systemctl reload", "reload_time_file "
                + "reload_repeat reload_file");
        refused(s, LVS, "lvs_timeouts lvs_flush lvs_flush_on_stop lvs_flush_onstop lvs_sync_daemon "
                + "lvs_notify_fifo lvs_notify_fifo_script smtp_alert_checker checker_log_all_failures "
                + "lvs_netlink_cmd_rcv_bufs lvs_netlink_cmd_rcv_bufs_force lvs_netlink_monitor_rcv_bufs "
                + "lvs_netlink_monitor_rcv_bufs_force rs_init_notifies no_checker_emails nftables_ipvs "
                + "nftables_ipvs_priority nftables_ipvs_start_fwmark");

        implemented(Section.SCRIPT, "script interval timeout weight rise fall user init_fail");
        implemented(Section.TRACK_FILE, "file weight init_file");
        implemented(Section.TRACK_PROCESS, "process param_match weight quorum quorum_max delay terminate_delay "
                + "fork_delay full_command");
        implemented(Section.SYNC_GROUP, "group track_interface track_script track_file notify_backup notify_master "
                + "notify_fault notify_stop notify smtp_alert sync_group_tracking_weight");
        warned(Section.SYNC_GROUP, "deprecated in keepalived, which takes it as sync_group_tracking_weight; so does "
                + "the agent", "global_tracking");
        implemented(Section.SYNC_GROUP, "track_process");
        refused(Section.SYNC_GROUP, "BFD is not implemented", "track_bfd");
        implemented(Section.SYNC_GROUP, "notify_priority_changes");

        s = Section.INSTANCE;
        implemented(s, "state interface virtual_router_id priority advert_int version authentication "
                + "nopreempt preempt preempt_delay unicast_src_ip "
                + "unicast_peer track_script track_interface track_file notify_master notify_backup notify_fault "
                + "notify_stop notify smtp_alert garp_master_delay garp_master_repeat garp_master_refresh "
                + "garp_master_refresh_repeat garp_lower_prio_delay garp_lower_prio_repeat dont_track_primary "
                + "higher_prio_send_advert accept check_unicast_src use_vmac vmac_xmit_base native_ipv6");
        implemented(s, "no_accept strict_mode skip_check_adv_addr lower_prio_no_advert mcast_dst_ip mcast_src_ip "
                + "promote_secondaries");
        implemented(s, "virtual_ipaddress virtual_ipaddress_excluded virtual_routes virtual_rules");
        warned(s, "only changes how much keepalived logs", "debug");
        warned(s, "keepalived (deprecated) starts the IPVS connection sync daemon with it; with no LVS here "
                + "there are no connections to sync", "lvs_sync_daemon_interface");
        warned(s, "chooses how keepalived detects link changes; the agent always uses netlink events, which see "
                + "the same link state", "linkbeat_use_polling");
        warned(s, BUFFERS, "kernel_rx_buf_size");
        onlyDefault(s, "unicast_ttl", "255", "sending unicast adverts with another TTL is not implemented");
        refused(s, "macvlans for VIPs on other interfaces are not implemented; only the instance's interface "
                + "gets one (use_vmac)", "use_vmac_addr");
        refused(s, "ipvlan interfaces are not implemented; use_vmac (macvlan) is", "use_ipvlan");
        refused(s, VMAC_GARP, "garp_extra_if vmac_garp_intvl");
        implemented(s, "track_process");
        refused(s, "BFD is not implemented", "track_bfd");
        refused(s, "VRFs are not implemented", "vrf");
        refused(s, "tracking the source address is not implemented", "track_src_ip");
        refused(s, "going to FAULT without unicast peers is not implemented", "unicast_fault_no_peer");
        refused(s, "the pre-1.2.24 unicast checksum is not implemented", "old_unicast_checksum");
        implemented(s, "notify_deleted notify_master_rx_lower_pri");
        implemented(s, "notify_priority_changes");
        refused(s, "sending fewer adverts while down is not implemented", "down_timer_adverts");

        implemented(Section.AUTHENTICATION, "auth_type auth_pass");
        implemented(Section.NGINX, "pid_file restart_command no_restart probe_url probe_timeout probe_status "
                + "probe_interval interval restart_attempts restart_window start_timeout hold_down weight "
                + "config_test_command no_config_test");
        implemented(Section.ANNOUNCE, "interface virtual_ipaddress track_script track_interface hold_down drain_time");
        refused(Section.ANNOUNCE, "an announce group decides only whether this host offers its VIPs; the routing "
                + "itself (BGP, BFD, routes to the routers) is FRR's, configured in frr.conf (the frr role)",
                "virtual_routes virtual_rules track_bfd");
    }

    private static void implemented(Section section, String names) {
        add(section, Status.IMPLEMENTED, "", null, names);
    }

    private static void warned(Section section, String reason, String names) {
        add(section, Status.WARNED, reason, null, names);
    }

    private static void refused(Section section, String reason, String names) {
        add(section, Status.REFUSED, reason, null, names);
    }

    private static void onlyDefault(Section section, String name, String value, String otherwise) {
        add(section, Status.WARNED, "only " + value + ", keepalived's default and the agent's behaviour; any "
                + "other value is refused: " + otherwise, value, name);
    }

    private static void add(Section section, Status status, String reason, String onlyValue, String names) {
        for (String name : names.split(" ")) {
            Keyword previous = TABLE.put(key(section, name), new Keyword(name, section, status, reason, onlyValue));
            if (previous != null) {
                throw new IllegalStateException("keyword " + name + " listed twice in " + section);
            }
        }
    }

    private static String key(Section section, String name) {
        return section + " " + name;
    }

    static Keyword get(Section section, String name) {
        return TABLE.get(key(section, name));
    }

    static List<Keyword> all() {
        return Collections.unmodifiableList(new ArrayList<>(TABLE.values()));
    }

    /** Every keyword of a section, whatever its status: the candidates for "did you mean". */
    static Set<String> names(Section section) {
        Set<String> out = new LinkedHashSet<>();
        TABLE.values().stream().filter(k -> k.section() == section).forEach(k -> out.add(k.name()));
        return out;
    }

    static boolean isImplemented(Section section, String name) {
        Keyword k = get(section, name);
        return k != null && k.status() == Status.IMPLEMENTED;
    }

    /**
     * Reports a keyword the builder of {@code section} does not handle itself: the warning or the refusal the
     * table gives it, or "unknown keyword" with the closest known one. {@code where} names the block for the
     * message ("vrrp_instance VI_1").
     */
    static void report(Section section, Entry e, String where, Problems problems) {
        Keyword k = get(section, e.key());
        String at = "'" + e.key() + "' " + (section == Section.ROOT ? "at top level" : "in " + where);
        if (k == null) {
            problems.error(e.source(), "unknown keyword " + at + Values.suggestion(e.key(), names(section)));
        } else if (k.status() == Status.REFUSED) {
            problems.error(e.source(), at + " is not supported by vrrp-agent: " + k.reason());
        } else if (k.status() == Status.IMPLEMENTED) {
            problems.error(e.source(), at + ": internal error, the keyword is implemented but was not handled");
        } else if (k.onlyValue() != null && !(e.args().size() == 1 && sameValue(k.onlyValue(), e.arg()))) {
            problems.error(e.source(), at + " is supported only as '" + e.key() + " " + k.onlyValue()
                    + "' (keepalived's default), got '" + String.join(" ", e.args()) + "'");
        } else {
            problems.warn(e.source(), at + " is accepted but has no effect in vrrp-agent: " + k.reason());
        }
    }

    private static boolean sameValue(String expected, String written) {
        java.net.InetAddress a = Values.ipLiteral(expected);
        return a != null ? a.equals(Values.ipLiteral(written)) : expected.equals(written);
    }

    /** The keyword table of docs/configuration.md, one row per keyword, in table order. */
    static String markdownTable() {
        StringBuilder out = new StringBuilder("| keyword | section | status | why |\n| --- | --- | --- | --- |\n");
        for (Keyword k : TABLE.values()) {
            out.append("| `").append(k.name()).append("` | ").append(k.section().title).append(" | ")
                    .append(k.status().title).append(" | ").append(k.reason().replace("|", "\\|")).append(" |\n");
        }
        return out.toString();
    }
}
