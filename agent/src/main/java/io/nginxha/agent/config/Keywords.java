package io.nginxha.agent.config;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which keepalived keywords vrrp-agent knows, per section: those it implements, those it rejects as belonging to
 * a feature it does not have, and the few global ones it accepts and ignores with a warning because they only
 * tune keepalived's own process (never a catch-all: anything else is an unknown keyword).
 */
final class Keywords {
    private Keywords() { }

    static final Set<String> ROOT = Set.of("global_defs", "vrrp_script", "vrrp_instance", "include",
            "vrrp_track_nginx", "track_file", "vrrp_track_file");

    /** Top-level keywords of keepalived's other subsystems, with the feature named in the error. */
    static final Map<String, String> ROOT_UNSUPPORTED = Map.ofEntries(
            Map.entry("virtual_server", "LVS"), Map.entry("virtual_server_group", "LVS"),
            Map.entry("real_server", "LVS"), Map.entry("SSL", "LVS health checks"),
            Map.entry("static_ipaddress", "static addresses"), Map.entry("static_routes", "static routes"),
            Map.entry("static_rules", "static rules"), Map.entry("bfd_instance", "BFD"),
            Map.entry("vrrp_track_process", "process tracking"),
            Map.entry("garp_group", "GARP groups"), Map.entry("linkbeat_interfaces", "linkbeat"),
            Map.entry("track_group", "track groups"), Map.entry("interface_up_down_delays", "interface delays"),
            Map.entry("net_namespace", "network namespaces"), Map.entry("vrrp_sync_group", "sync groups, not yet"));

    static final Set<String> GLOBAL = Set.of("router_id", "vrrp_version", "script_user", "enable_script_security",
            "notification_email", "notification_email_from", "smtp_server", "smtp_connect_timeout",
            "vrrp_garp_master_delay", "vrrp_garp_master_repeat", "vrrp_garp_master_refresh",
            "vrrp_garp_master_refresh_repeat", "vrrp_garp_interval", "vrrp_garp_lower_prio_delay",
            "vrrp_garp_lower_prio_repeat", "vrrp_gna_interval", "status_port", "vrrp_higher_prio_send_advert");

    /** Global keywords that only tune keepalived's processes, SNMP or D-Bus: accepted with a warning. */
    static final Set<String> GLOBAL_IGNORED = Set.of("smtp_helo_name", "process_names", "vrrp_no_swap",
            "checker_no_swap", "bfd_no_swap", "vrrp_rt_priority", "checker_rt_priority", "bfd_rt_priority",
            "vrrp_priority", "checker_priority", "bfd_priority", "vrrp_cpu_affinity", "checker_cpu_affinity",
            "bfd_cpu_affinity", "max_auto_priority", "min_auto_priority_delay", "enable_traps",
            "enable_snmp_vrrp", "enable_snmp_keepalived", "enable_snmp_rfc", "enable_snmp_rfcv2",
            "enable_snmp_rfcv3", "enable_snmp_checker", "enable_dbus", "dynamic_interfaces");

    /** Global keywords that change VRRP behaviour in ways vrrp-agent does not implement. */
    static final Set<String> GLOBAL_UNSUPPORTED = Set.of("vrrp_strict", "vrrp_skip_check_adv_addr",
            "vrrp_check_unicast_src", "vrrp_mcast_group4", "vrrp_mcast_group6", "vrrp_iptables", "vrrp_ipsets",
            "nftables", "vrrp_notify_fifo", "notify_fifo", "vrrp_lower_prio_no_advert",
            "vrrp_garp_extra_if", "vrrp_min_garp",
            "vrrp_down_timer_adverts", "default_interface", "lvs_id", "lvs_sync_daemon", "lvs_flush",
            "lvs_timeouts", "vrrp_startup_delay", "vrrp_netlink_cmd_rcv_bufs", "vrrp_netlink_monitor_rcv_bufs",
            "smtp_alert", "smtp_alert_vrrp", "smtp_alert_checker", "script_security");

    static final Set<String> SCRIPT = Set.of("script", "interval", "timeout", "weight", "rise", "fall", "user",
            "init_fail");

    /** vrrp_track_nginx: the built-in nginx tracker, a vrrp-agent extension. */
    static final Set<String> NGINX = Set.of("pid_file", "restart_command", "no_restart", "probe_url",
            "probe_timeout", "probe_status", "probe_interval", "interval", "restart_attempts", "restart_window",
            "start_timeout", "hold_down", "weight");

    /** track_file (and its older synonym vrrp_track_file). */
    static final Set<String> TRACK_FILE = Set.of("file", "weight", "init_file");

    static final Set<String> INSTANCE = Set.of("state", "interface", "virtual_router_id", "priority", "advert_int",
            "version", "authentication", "virtual_ipaddress", "virtual_ipaddress_excluded", "nopreempt", "preempt",
            "preempt_delay", "unicast_src_ip", "unicast_peer", "track_script", "track_interface", "track_file",
            "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify", "smtp_alert",
            "garp_master_delay", "garp_master_repeat", "garp_master_refresh", "garp_master_refresh_repeat",
            "garp_lower_prio_delay", "garp_lower_prio_repeat", "dont_track_primary", "higher_prio_send_advert",
            "native_ipv6");

    static final Set<String> INSTANCE_UNSUPPORTED = Set.of("use_vmac", "use_vmac_addr", "vmac_xmit_base",
            "use_ipvlan", "unicast_fault_no_peer", "check_unicast_src", "old_unicast_checksum",
            "vrf", "track_process", "track_bfd", "mcast_src_ip", "mcast_dst_ip", "track_src_ip", "unicast_ttl",
            "promote_secondaries", "linkbeat_use_polling", "virtual_routes", "virtual_rules", "accept",
            "no_accept", "skip_check_adv_addr", "strict_mode", "debug", "notify_deleted",
            "notify_master_rx_lower_pri", "notify_priority_changes", "lvs_sync_daemon_interface",
            "down_timer_adverts", "garp_extra_if", "vmac_garp_intvl", "lower_prio_no_advert",
            "kernel_rx_buf_size");

    static final Set<String> AUTHENTICATION = Set.of("auth_type", "auth_pass");

    static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return all;
    }
}
