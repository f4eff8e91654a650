package io.nginxha.agent.config;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Writes an {@link AgentConfig} as the agent's YAML ({@code vrrp-agent convert}). Every value is written out,
 * defaults included, so the YAML loads back to an equal config whatever defaults a later version picks.
 * Commands are written as lists of words, which the reader takes literally: no re-quoting can go wrong.
 */
public final class YamlWriter {
    private YamlWriter() { }

    /** Declaration order by line, as the file was written (blocks from included files by file, then line). */
    private static <T> Comparator<T> bySource(Function<T, Source> source) {
        return Comparator.comparing(source, Comparator.nullsFirst(
                Comparator.comparing(Source::file).thenComparingInt(Source::line)));
    }

    /** Lines (addresses, routes, rules) as keepalived writes them, under {@code key}, when there are any. */
    private static void putLines(Map<String, Object> m, String key, List<?> lines) {
        if (!lines.isEmpty()) {
            m.put(key, lines.stream().map(Object::toString).toList());
        }
    }

    public static String write(AgentConfig config) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("global", global(config.global()));
        if (!config.scripts().isEmpty()) {
            Map<String, Object> scripts = new LinkedHashMap<>();
            config.scripts().values().stream()
                    .sorted(bySource(ScriptConfig::source))
                    .forEach(s -> scripts.put(s.name(), script(s)));
            root.put("scripts", scripts);
        }
        if (!config.nginxChecks().isEmpty()) {
            Map<String, Object> checks = new LinkedHashMap<>();
            config.nginxChecks().values().stream().sorted(bySource(NginxCheckConfig::source))
                    .forEach(n -> checks.put(n.name(), nginx(n)));
            root.put("nginx_checks", checks);
        }
        if (!config.trackFiles().isEmpty()) {
            Map<String, Object> files = new LinkedHashMap<>();
            config.trackFiles().values().stream().sorted(bySource(TrackFileConfig::source))
                    .forEach(f -> files.put(f.name(), trackFile(f)));
            root.put("track_files", files);
        }
        if (!config.trackProcesses().isEmpty()) {
            Map<String, Object> processes = new LinkedHashMap<>();
            config.trackProcesses().values().stream().sorted(bySource(TrackProcessConfig::source))
                    .forEach(p -> processes.put(p.name(), trackProcess(p)));
            root.put("track_processes", processes);
        }
        StaticNetwork statics = config.statics();
        putLines(root, "static_ipaddress", statics.addresses());
        putLines(root, "static_routes", statics.routes());
        putLines(root, "static_rules", statics.rules());
        Map<String, Object> instances = new LinkedHashMap<>();
        config.instances().forEach(i -> instances.put(i.name(), instance(i)));
        root.put("instances", instances);
        if (!config.syncGroups().isEmpty()) {
            Map<String, Object> groups = new LinkedHashMap<>();
            config.syncGroups().forEach(g -> groups.put(g.name(), syncGroup(g)));
            root.put("sync_groups", groups);
        }
        if (!config.announce().isEmpty()) {
            Map<String, Object> groups = new LinkedHashMap<>();
            config.announce().forEach(g -> groups.put(g.name(), announce(g)));
            root.put("announce", groups);
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(120);
        return "# Written by vrrp-agent convert; every setting is explicit, defaults included.\n"
                + new Yaml(options).dump(root);
    }

    private static Map<String, Object> announce(AnnounceConfig g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("interface", g.iface());
        m.put("virtual_ipaddress", g.vips().stream().map(v -> v.address().getHostAddress() + "/" + v.prefix()).toList());
        if (!g.trackScripts().isEmpty()) {
            m.put("track_script", g.trackScripts().stream().map(InstanceConfig.Tracked::name).toList());
        }
        if (!g.trackInterfaces().isEmpty()) {
            m.put("track_interface", g.trackInterfaces().stream().map(InstanceConfig.Tracked::name).toList());
        }
        m.put("hold_down", g.holdDownMs() + "ms");
        m.put("drain_time", g.drainMs() + "ms");
        return m;
    }

    private static Map<String, Object> global(GlobalConfig g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("router_id", g.routerId());
        m.put("vrrp_version", g.vrrpVersion());
        putIfSet(m, "script_user", g.scriptUser() == null ? null : g.scriptUser().replace(':', ' '));
        m.put("enable_script_security", g.enableScriptSecurity());
        if (!g.notificationEmails().isEmpty()) {
            m.put("notification_email", g.notificationEmails());
        }
        putIfSet(m, "notification_email_from", g.notificationEmailFrom());
        putIfSet(m, "smtp_server", g.smtpServer() == null ? null : hostPort(g.smtpServer()));
        m.put("smtp_connect_timeout", g.smtpConnectTimeoutSec() + "s");
        GarpConfig garp = g.garp();
        m.put("vrrp_garp_master_delay", garp.masterDelaySec());
        m.put("vrrp_garp_master_repeat", garp.masterRepeat());
        m.put("vrrp_garp_master_refresh", garp.masterRefreshSec());
        m.put("vrrp_garp_master_refresh_repeat", garp.masterRefreshRepeat());
        m.put("vrrp_garp_interval", garp.intervalMs() + "ms");
        m.put("vrrp_garp_lower_prio_delay", garp.lowerPrioDelaySec());
        m.put("vrrp_garp_lower_prio_repeat", garp.lowerPrioRepeat());
        if (g.statusPort() != GlobalConfig.DEFAULT_STATUS_PORT) {
            m.put("status_port", g.statusPort());
        }
        InstanceDefaults d = g.instanceDefaults();
        if (!d.equals(InstanceDefaults.DEFAULTS)) { // the instances below carry the resolved values anyway
            m.put("vrrp_strict", d.strict());
            m.put("vrrp_skip_check_adv_addr", d.skipCheckAdvAddr());
            m.put("vrrp_lower_prio_no_advert", d.lowerPrioNoAdvert());
            if (d.mcastGroup4() != null) {
                m.put("vrrp_mcast_group4", d.mcastGroup4().getHostAddress());
            }
            if (d.mcastGroup6() != null) {
                m.put("vrrp_mcast_group6", d.mcastGroup6().getHostAddress());
            }
        }
        if (!g.firewall().equals(FirewallConfig.DEFAULTS)) {
            m.put("nftables", g.firewall().table());
            m.put("nftables_priority", g.firewall().priority());
            m.put("nftables_counters", g.firewall().counters());
            m.put("nftables_ifindex", g.firewall().ifindex());
        }
        SchedulingConfig sc = g.scheduling();
        if (sc.rtPriority() > 0) {
            m.put("vrrp_rt_priority", sc.rtPriority());
        }
        if (!sc.cpus().isEmpty()) {
            m.put("vrrp_cpu_affinity", String.join(" ", sc.cpus().stream().map(String::valueOf).toList()));
        }
        if (sc.rlimitRttimeUs() > 0) {
            m.put("vrrp_rlimit_rttime", sc.rlimitRttimeUs());
        }
        putFifos(m, g.fifos());
        if (g.startupDelayMs() > 0) {
            m.put("vrrp_startup_delay", g.startupDelayMs() + "ms");
        }
        return m;
    }

    /** GlobalBuilder stores "host port" as host:port; an IPv6 host without a port has several colons and stays. */
    private static String hostPort(String stored) {
        int colon = stored.lastIndexOf(':');
        return colon > 0 && stored.indexOf(':') == colon
                ? stored.substring(0, colon) + " " + stored.substring(colon + 1) : stored;
    }

    private static Map<String, Object> script(ScriptConfig s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("script", s.command());
        m.put("interval", s.intervalMs() / 1000 + "s");
        m.put("timeout", s.timeoutMs() / 1000 + "s");
        m.put("weight", s.weightReverse() ? s.weight() + " reverse" : s.weight());
        m.put("rise", s.rise());
        m.put("fall", s.fall());
        putIfSet(m, "user", s.user() == null ? null : s.user().replace(':', ' '));
        m.put("init_fail", s.initFail());
        return m;
    }

    private static Map<String, Object> nginx(NginxCheckConfig n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid_file", n.pidFile());
        if (n.restartCommand().isEmpty()) {
            m.put("no_restart", true);
        } else {
            m.put("restart_command", n.restartCommand());
        }
        if (n.configTestCommand().isEmpty()) {
            m.put("no_config_test", true);
        } else {
            m.put("config_test_command", n.configTestCommand());
        }
        putIfSet(m, "probe_url", n.probeUrl());
        m.put("probe_timeout", n.probeTimeoutMs() + "ms");
        m.put("probe_status", n.probeStatus());
        m.put("probe_interval", n.probeIntervalMs() + "ms");
        m.put("interval", n.pollIntervalMs() + "ms");
        m.put("restart_attempts", n.restartAttempts());
        m.put("restart_window", n.restartWindowMs() + "ms");
        m.put("start_timeout", n.startTimeoutMs() + "ms");
        m.put("hold_down", n.holdDownMs() + "ms");
        m.put("weight", n.weight());
        return m;
    }

    private static Map<String, Object> trackFile(TrackFileConfig f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", f.path());
        m.put("weight", f.weightReverse() ? f.weight() + " reverse" : f.weight());
        if (f.initValue() != null) {
            m.put("init_file", f.initValue() + (f.initOverwrite() ? " overwrite" : ""));
        }
        return m;
    }

    /** Every setting, as keepalived words; the process and its parameters as a list of words taken literally. */
    private static Map<String, Object> trackProcess(TrackProcessConfig p) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> words = new ArrayList<>(List.of(p.process()));
        words.addAll(p.params());
        m.put("process", words);
        switch (p.paramMatch()) {
            case EXACT -> m.put("param_match", "");
            case PARTIAL -> m.put("param_match", "partial");
            case INITIAL -> m.put("param_match", "initial");
            case NONE -> { }
        }
        m.put("full_command", p.fullCommand());
        m.put("weight", p.weightReverse() ? p.weight() + " reverse" : p.weight());
        if (p.quorumMax() == 0 && p.quorum() == 0) {
            m.put("quorum_max", 0);
        } else {
            m.put("quorum", p.quorum());
            if (p.quorumMax() != Integer.MAX_VALUE) {
                m.put("quorum_max", p.quorumMax());
            }
        }
        if (p.forkDelayMs() > 0) {
            m.put("fork_delay", p.forkDelayMs() + "ms");
        }
        if (p.terminateDelayMs() > 0) {
            m.put("terminate_delay", p.terminateDelayMs() + "ms");
        }
        return m;
    }

    /** The resolved switches: strict_mode always (it overrides vrrp_strict), the others where not the default. */
    private static void options(Map<String, Object> m, VrrpOptions o) {
        m.put("strict_mode", o.strict());
        if (!o.accept()) {
            m.put("no_accept", true);
        } else if (o.strict()) {
            m.put("accept", true);
        }
        if (o.lowerPrioNoAdvert() && !o.strict()) {
            m.put("lower_prio_no_advert", true);
        }
        if (o.skipCheckAdvAddr()) {
            m.put("skip_check_adv_addr", true);
        }
        if (o.promoteSecondaries()) {
            m.put("promote_secondaries", true);
        }
        if (o.mcastGroup() != null) {
            m.put("mcast_dst_ip", o.mcastGroup().getHostAddress());
        }
    }

    private static Map<String, Object> instance(InstanceConfig i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", i.initialState().name());
        m.put("interface", i.iface());
        m.put("virtual_router_id", i.vrid());
        m.put("priority", i.priority());
        m.put("advert_int", i.intervalCs() * 10 + "ms");
        m.put("version", i.version());
        putIfSet(m, "auth_pass", i.authPass());
        m.put("virtual_ipaddress", i.vips().stream().map(VirtualAddress::toString).toList());
        if (!i.excludedVips().isEmpty()) {
            m.put("virtual_ipaddress_excluded", i.excludedVips().stream().map(VirtualAddress::toString).toList());
        }
        putLines(m, "virtual_routes", i.virtualRoutes());
        putLines(m, "virtual_rules", i.virtualRules());
        m.put("nopreempt", !i.preempt());
        if (i.preemptDelaySec() > 0) {
            m.put("preempt_delay", i.preemptDelaySec() + "s");
        }
        putIfSet(m, "unicast_src_ip", i.unicastSrc() == null ? null : i.unicastSrc().getHostAddress());
        if (!i.unicastPeers().isEmpty()) {
            m.put("unicast_peer", i.unicastPeers().stream().map(InetAddress::getHostAddress).toList());
        }
        putTracked(m, "track_script", i.trackScripts());
        putTracked(m, "track_interface", i.trackInterfaces());
        putTracked(m, "track_file", i.trackFiles());
        putTracked(m, "track_process", i.trackProcesses());
        m.put("dont_track_primary", i.dontTrackPrimary());
        options(m, i.options());
        if (i.vmac() != null) {
            m.put("use_vmac", i.vmac().name());
            m.put("vmac_xmit_base", i.vmac().xmitBase());
        }
        putNotify(m, i.notifications());
        GarpConfig garp = i.garp();
        m.put("garp_master_delay", garp.masterDelaySec());
        m.put("garp_master_repeat", garp.masterRepeat());
        m.put("garp_master_refresh", garp.masterRefreshSec());
        m.put("garp_master_refresh_repeat", garp.masterRefreshRepeat());
        m.put("garp_lower_prio_delay", garp.lowerPrioDelaySec());
        m.put("garp_lower_prio_repeat", garp.lowerPrioRepeat());
        return m;
    }

    /**
     * A group's tracking is already in its members' track_* above (the loader folds it in, as keepalived does),
     * so the group is written without it and with sync_group_tracking_weight: read back, the members' own
     * weights must then stay as they are instead of being neutralised a second time.
     */
    private static Map<String, Object> syncGroup(SyncGroupConfig g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("group", g.members());
        putNotify(m, g.notifications());
        m.put("sync_group_tracking_weight", true);
        return m;
    }

    /** The notify_* commands and smtp_alert, as an instance and a sync group both have them. */
    private static void putNotify(Map<String, Object> m, NotifyConfig n) {
        putUserCommand(m, "notify_master", n.master(), n.userOf("notify_master"));
        putUserCommand(m, "notify_backup", n.backup(), n.userOf("notify_backup"));
        putUserCommand(m, "notify_fault", n.fault(), n.userOf("notify_fault"));
        putUserCommand(m, "notify_stop", n.stop(), n.userOf("notify_stop"));
        putUserCommand(m, "notify", n.any(), n.userOf("notify"));
        m.put("smtp_alert", n.smtpAlert());
        putIfSet(m, "notify_priority_changes", n.priorityChanges());
        putUserCommand(m, "notify_master_rx_lower_pri", n.masterRxLowerPri(), n.userOf("notify_master_rx_lower_pri"));
        if (n.deleted() != null && n.deleted().isEmpty()) {
            m.put("notify_deleted", true);
        } else if (n.deleted() != null) {
            putUserCommand(m, "notify_deleted", n.deleted(), n.userOf("notify_deleted"));
        }
    }

    /** The notify FIFOs of global_defs; a script with its own user as {command: [...], user: "USER [GROUP]"}. */
    private static void putFifos(Map<String, Object> m, FifoSettings f) {
        for (int i = 0; i < 2; i++) {
            NotifyFifoConfig fifo = i == 0 ? f.global() : f.vrrp();
            String prefix = i == 0 ? "" : "vrrp_";
            if (fifo == null) {
                continue;
            }
            m.put(prefix + "notify_fifo", fifo.path() + (fifo.owner() == null ? "" : " " + fifo.owner().replace(':', ' ')));
            putUserCommand(m, prefix + "notify_fifo_script", fifo.script(), fifo.scriptUser());
        }
        if (f.priorityChanges()) {
            m.put("vrrp_notify_priority_changes", true);
        }
        if (f.statesOnReload()) {
            m.put("fifo_write_vrrp_states_on_reload", true);
        }
    }

    /** A command, as a list of words, or with {@code user} (user[:group]) as {command, user}. */
    static void putUserCommand(Map<String, Object> m, String key, List<String> command, String user) {
        if (command.isEmpty()) {
            return;
        }
        if (user == null) {
            m.put(key, command);
        } else {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("command", command);
            c.put("user", user.replace(':', ' '));
            m.put(key, c);
        }
    }

    private static void putTracked(Map<String, Object> m, String key, List<InstanceConfig.Tracked> tracked) {
        if (tracked.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        for (InstanceConfig.Tracked t : tracked) {
            lines.add(t.name() + (t.weight() == null ? "" : " weight " + t.weight() + (t.reverse() ? " reverse" : "")));
        }
        m.put(key, lines);
    }

    private static void putIfSet(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
