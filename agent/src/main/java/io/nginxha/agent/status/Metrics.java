package io.nginxha.agent.status;

import io.nginxha.agent.vrrp.DropReason;
import io.nginxha.agent.vrrp.VrrpState;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * {@code /metrics} in the Prometheus text format. The {@code keepalived_*} families carry the names and labels
 * (iname, intf, vrid, ip_address) of gen2brain/keepalived_exporter, so dashboards and alerts written for
 * keepalived keep working; {@code vrrp_agent_*} are ours, and carry a {@code family} label (IPv4, IPv6) beside
 * them: an IPv4 and an IPv6 instance may share interface and VRID (the keepalived families tell them apart by iname
 * only, as keepalived_exporter does).
 */
public final class Metrics {
    /** Our drop reasons as keepalived counts them; reasons keepalived has no counter for appear only in ours. */
    static final Map<String, Set<DropReason>> KEEPALIVED_DROPS = Map.of(
            "keepalived_packet_length_errors_total", EnumSet.of(DropReason.TRUNCATED),
            "keepalived_ip_ttl_errors_total", EnumSet.of(DropReason.TTL),
            "keepalived_invalid_type_received_total", EnumSet.of(DropReason.VERSION),
            "keepalived_authtype_mismatch_total", EnumSet.of(DropReason.AUTH_TYPE),
            "keepalived_authentication_failure_total", EnumSet.of(DropReason.AUTH_PASSWORD),
            "keepalived_address_list_errors_total", EnumSet.of(DropReason.ADDRESS_COUNT, DropReason.ADDRESS_LIST),
            "keepalived_advertisements_interval_errors_total", EnumSet.of(DropReason.INTERVAL));

    private Metrics() { }

    public static String render(AgentStatus s) {
        StringBuilder b = new StringBuilder(4096);
        family(b, "keepalived_up", "gauge", "Whether the VRRP agent is running.");
        b.append("keepalived_up 1\n");
        family(b, "keepalived_vrrp_state", "gauge", "State of the VRRP instance: INIT=0 BACKUP=1 MASTER=2 FAULT=3.");
        for (InstanceStatus i : s.instances()) {
            for (String vip : i.vips().isEmpty() ? List.of("") : i.vips()) {
                b.append("keepalived_vrrp_state{").append(labels(i)).append(",ip_address=\"").append(vip)
                        .append("\"} ").append(i.state().metricValue()).append('\n');
            }
        }
        counter(b, s, "keepalived_advertisements_received_total", "Adverts that reached the instance (those it then refused included, as keepalived counts).",
                InstanceCounters.Counts::advertsReceived);
        counter(b, s, "keepalived_advertisements_sent_total", "Adverts sent.", InstanceCounters.Counts::advertsSent);
        counter(b, s, "keepalived_become_master_total", "Times the instance became master.",
                InstanceCounters.Counts::becameMaster);
        counter(b, s, "keepalived_release_master_total", "Times the instance left master.",
                InstanceCounters.Counts::releasedMaster);
        counter(b, s, "keepalived_priority_zero_sent_total", "Adverts with priority 0 (resignation) sent.",
                InstanceCounters.Counts::priorityZeroSent);
        KEEPALIVED_DROPS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> counter(b, s,
                e.getKey(), "Adverts dropped: " + e.getValue() + ".",
                k -> e.getValue().stream().mapToLong(k::drops).sum()));

        family(b, "vrrp_agent_adverts_dropped_total", "counter", "Adverts dropped, by instance and reason "
                + "(instance \"\" when none matched).");
        for (InstanceStatus i : s.instances()) {
            for (DropReason r : DropReason.values()) {
                b.append("vrrp_agent_adverts_dropped_total{iname=\"").append(esc(i.name())).append("\",reason=\"")
                        .append(r.name().toLowerCase()).append("\"} ").append(i.counts().drops(r)).append('\n');
            }
        }
        for (DropReason r : DropReason.values()) {
            b.append("vrrp_agent_adverts_dropped_total{iname=\"\",reason=\"").append(r.name().toLowerCase())
                    .append("\"} ").append(s.unattributedDrops().getOrDefault(r, 0L)).append('\n');
        }
        counter(b, s, "vrrp_agent_transitions_total", "State changes of the instance.",
                InstanceCounters.Counts::transitions);
        counter(b, s, "vrrp_agent_vip_add_failures_total", "Attempts to add the instance's addresses as master that "
                + "left one of them off the interface (retried, then FAULT).", InstanceCounters.Counts::vipAddFailures);
        counter(b, s, "vrrp_agent_firewall_failures_total", "nft calls for the drop rules of the instance's VIPs "
                + "(accept mode off) that failed: adding them (a failed VIP add too), or removing them (retried with "
                + "the next change).", InstanceCounters.Counts::firewallFailures);
        family(b, "vrrp_agent_state", "gauge", "1 for the state the instance is in, 0 for the others.");
        for (InstanceStatus i : s.instances()) {
            for (VrrpState st : VrrpState.values()) {
                b.append("vrrp_agent_state{").append(ourLabels(i)).append(",state=\"").append(st.name())
                        .append("\"} ").append(i.state() == st ? 1 : 0).append('\n');
            }
        }
        gauge(b, s, "vrrp_agent_effective_priority", "Priority after tracking.", InstanceStatus::effectivePriority);
        gauge(b, s, "vrrp_agent_base_priority", "Configured priority.", InstanceStatus::basePriority);
        gauge(b, s, "vrrp_agent_vip_held", "1 while this host holds the instance's VIPs.", i -> i.vipsHeld() ? 1 : 0);
        gauge(b, s, "vrrp_agent_last_transition_timestamp_seconds", "When the instance last changed state.",
                i -> i.lastTransitionEpochMs() / 1000);
        family(b, "vrrp_agent_sync_group_member", "gauge", "1 for the vrrp_sync_group the instance is a member of.");
        for (InstanceStatus i : s.instances()) {
            if (i.syncGroup() != null) {
                b.append("vrrp_agent_sync_group_member{").append(labels(i)).append(",group=\"").append(esc(i.syncGroup()))
                        .append("\"} 1\n");
            }
        }
        family(b, "vrrp_agent_check_up", "gauge", "1 while the vrrp_script counts as up.");
        s.checks().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> b
                .append("vrrp_agent_check_up{name=\"").append(esc(e.getKey())).append("\"} ")
                .append(e.getValue().up() ? 1 : 0).append('\n'));
        family(b, "vrrp_agent_check_duration_seconds", "gauge", "How long the last run of the vrrp_script took.");
        s.checks().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> b
                .append("vrrp_agent_check_duration_seconds{name=\"").append(esc(e.getKey())).append("\"} ")
                .append(e.getValue().lastDurationSec()).append('\n'));
        announce(b, s);
        family(b, "vrrp_agent_start_time_seconds", "gauge", "When the agent started.");
        b.append("vrrp_agent_start_time_seconds ").append(s.startedEpochMs() / 1000).append('\n');
        loopLag(b, s.loopLag());
        return b.toString();
    }

    /** The loop's lateness as a Prometheus histogram (seconds), and its maximum since start beside it. */
    private static void loopLag(StringBuilder b, LoopLagStatus lag) {
        String name = "vrrp_agent_loop_lag_seconds";
        family(b, name, "histogram", "How late the agent's loop fired a timer (past its deadline) or took an input "
                + "(after it was queued): the pauses the VRRP timers suffer.");
        for (int i = 0; i < lag.boundsNanos().length; i++) {
            b.append(name).append("_bucket{le=\"").append(seconds(lag.boundsNanos()[i])).append("\"} ")
                    .append(lag.cumulativeCounts()[i]).append('\n');
        }
        b.append(name).append("_bucket{le=\"+Inf\"} ").append(lag.count()).append('\n');
        b.append(name).append("_sum ").append(seconds(lag.sumNanos())).append('\n');
        b.append(name).append("_count ").append(lag.count()).append('\n');
        family(b, "vrrp_agent_loop_lag_max_seconds", "gauge", "The longest lag of the loop since start.");
        b.append("vrrp_agent_loop_lag_max_seconds ").append(seconds(lag.maxNanos())).append('\n');
    }

    private static String seconds(long nanos) {
        return java.math.BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
    }

    /** The vip_announce groups: whether each VIP is offered to the routers, the state with its reason, counts. */
    private static void announce(StringBuilder b, AgentStatus s) {
        if (s.announce().isEmpty()) {
            return;
        }
        family(b, "vrrp_agent_announce_announced", "gauge", "1 while this host offers the group's VIP to the routers.");
        for (AnnounceStatus a : s.announce()) {
            for (String vip : a.vips()) {
                b.append("vrrp_agent_announce_announced{group=\"").append(esc(a.name())).append("\",ip_address=\"")
                        .append(vip).append("\"} ").append(a.announced() ? 1 : 0).append('\n');
            }
        }
        family(b, "vrrp_agent_announce_state", "gauge", "1 for the state the group is in, with the cause of "
                + "entering it (waiting, healthy, unhealthy, hold_down, hold_failed, retried, stopping, stopped), 0 for "
                + "the others.");
        for (AnnounceStatus a : s.announce()) {
            for (String st : AnnounceStatus.STATES) {
                boolean in = st.equals(a.state());
                b.append("vrrp_agent_announce_state{group=\"").append(esc(a.name())).append("\",state=\"").append(st)
                        .append("\",reason=\"").append(in ? esc(a.cause()) : "").append("\"} ").append(in ? 1 : 0)
                        .append('\n');
            }
        }
        family(b, "vrrp_agent_announce_withdrawals_total", "counter", "Times the group's VIPs were withdrawn.");
        for (AnnounceStatus a : s.announce()) {
            b.append("vrrp_agent_announce_withdrawals_total{group=\"").append(esc(a.name())).append("\"} ")
                    .append(a.withdrawals()).append('\n');
        }
        family(b, "vrrp_agent_announce_hold_failures_total", "counter", "Times the group's VIPs could not be added.");
        for (AnnounceStatus a : s.announce()) {
            b.append("vrrp_agent_announce_hold_failures_total{group=\"").append(esc(a.name())).append("\"} ")
                    .append(a.holdFailures()).append('\n');
        }
        family(b, "vrrp_agent_announce_state_since_seconds", "gauge", "When the group entered its state.");
        for (AnnounceStatus a : s.announce()) {
            b.append("vrrp_agent_announce_state_since_seconds{group=\"").append(esc(a.name())).append("\"} ")
                    .append(a.sinceEpochMs() / 1000).append('\n');
        }
    }

    private static void counter(StringBuilder b, AgentStatus s, String name, String help,
                                ToLongFunction<InstanceCounters.Counts> value) {
        family(b, name, "counter", help);
        for (InstanceStatus i : s.instances()) {
            b.append(name).append('{').append(labelsFor(name, i)).append("} ").append(value.applyAsLong(i.counts())).append('\n');
        }
    }

    private static void gauge(StringBuilder b, AgentStatus s, String name, String help,
                              ToLongFunction<InstanceStatus> value) {
        family(b, name, "gauge", help);
        for (InstanceStatus i : s.instances()) {
            b.append(name).append('{').append(labelsFor(name, i)).append("} ").append(value.applyAsLong(i)).append('\n');
        }
    }

    private static void family(StringBuilder b, String name, String type, String help) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** keepalived_* keep keepalived_exporter's label set exactly; ours add the family. */
    private static String labelsFor(String metric, InstanceStatus i) {
        return metric.startsWith("keepalived_") ? labels(i) : ourLabels(i);
    }

    private static String ourLabels(InstanceStatus i) {
        return labels(i) + ",family=\"" + esc(i.family()) + "\"";
    }

    private static String labels(InstanceStatus i) {
        return "iname=\"" + esc(i.name()) + "\",intf=\"" + esc(i.iface()) + "\",vrid=\"" + i.vrid() + "\"";
    }

    private static String esc(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
