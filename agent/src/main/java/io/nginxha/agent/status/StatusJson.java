package io.nginxha.agent.status;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code /status} as JSON, written by hand: the shape is small and fixed, and no JSON library is on the path. */
public final class StatusJson {
    private StatusJson() { }

    public static String render(AgentStatus s) {
        StringBuilder b = new StringBuilder(512);
        b.append("{\"router_id\":").append(Json.quote(s.routerId()))
                .append(",\"started\":").append(Json.quote(time(s.startedEpochMs())))
                .append(",\"instances\":[");
        for (int n = 0; n < s.instances().size(); n++) {
            InstanceStatus i = s.instances().get(n);
            b.append(n == 0 ? "" : ",").append("{\"name\":").append(Json.quote(i.name()))
                    .append(",\"interface\":").append(Json.quote(i.iface()))
                    .append(",\"vrid\":").append(i.vrid())
                    .append(",\"family\":").append(Json.quote(i.family()))
                    .append(",\"state\":").append(Json.quote(i.state().name()))
                    .append(",\"base_priority\":").append(i.basePriority())
                    .append(",\"effective_priority\":").append(i.effectivePriority())
                    .append(",\"master_address\":").append(Json.quote(i.masterAddress()))
                    .append(",\"vips\":").append(strings(i.vips()))
                    .append(",\"vips_held\":").append(i.vipsHeld())
                    .append(",\"last_transition\":");
            if (i.lastTransitionFrom() == null) {
                b.append("null");
            } else {
                b.append("{\"time\":").append(Json.quote(time(i.lastTransitionEpochMs())))
                        .append(",\"from\":").append(Json.quote(i.lastTransitionFrom().name()))
                        .append(",\"to\":").append(Json.quote(i.state().name()))
                        .append(",\"reason\":").append(Json.quote(i.lastTransitionReason())).append('}');
            }
            b.append(",\"checks\":[");
            for (int c = 0; c < i.trackedScripts().size(); c++) {
                String name = i.trackedScripts().get(c);
                CheckReporter.CheckResult r = s.checks().get(name);
                b.append(c == 0 ? "" : ",").append("{\"name\":").append(Json.quote(name)).append(",\"result\":");
                if (r == null) {
                    b.append("\"unknown\"}");
                } else {
                    b.append(Json.quote(r.up() ? "up" : "down")).append(",\"exit_code\":").append(r.lastExitCode())
                            .append(",\"duration_seconds\":").append(r.lastDurationSec())
                            .append(",\"time\":").append(Json.quote(time(r.lastRunEpochMs()))).append('}');
                }
            }
            InstanceCounters.Counts k = i.counts();
            b.append("],\"adverts_sent\":").append(k.advertsSent())
                    .append(",\"adverts_received\":").append(k.advertsReceived())
                    .append(",\"transitions\":").append(k.transitions())
                    .append(",\"vip_add_failures\":").append(k.vipAddFailures())
                    .append(",\"firewall_failures\":").append(k.firewallFailures())
                    .append(",\"adverts_dropped\":").append(drops(k.drops()))
                    .append(",\"sync_group\":").append(Json.quote(i.syncGroup())).append('}');
        }
        b.append("],\"unattributed_drops\":").append(drops(s.unattributedDrops()));
        if (!s.announce().isEmpty()) {
            b.append(",\"announce\":[");
            for (int n = 0; n < s.announce().size(); n++) {
                AnnounceStatus a = s.announce().get(n);
                b.append(n == 0 ? "" : ",").append("{\"name\":").append(Json.quote(a.name()))
                        .append(",\"interface\":").append(Json.quote(a.iface()))
                        .append(",\"vips\":").append(strings(a.vips()))
                        .append(",\"state\":").append(Json.quote(a.state()))
                        .append(",\"announced\":").append(a.announced())
                        .append(",\"cause\":").append(Json.quote(a.cause()))
                        .append(",\"reason\":").append(Json.quote(a.reason()))
                        .append(",\"since\":").append(Json.quote(time(a.sinceEpochMs())))
                        .append(",\"announcements\":").append(a.announcements())
                        .append(",\"withdrawals\":").append(a.withdrawals())
                        .append(",\"hold_failures\":").append(a.holdFailures()).append('}');
            }
            b.append(']');
        }
        b.append("}\n");
        return b.toString();
    }

    private static String drops(Map<?, Long> drops) {
        StringBuilder b = new StringBuilder("{");
        drops.entrySet().stream().sorted(Map.Entry.comparingByKey((x, y) -> x.toString().compareTo(y.toString())))
                .forEach(e -> b.append(b.length() == 1 ? "" : ",").append(Json.quote(e.getKey().toString().toLowerCase()))
                        .append(':').append(e.getValue()));
        return b.append('}').toString();
    }

    private static String strings(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        values.forEach(v -> b.append(b.length() == 1 ? "" : ",").append(Json.quote(v)));
        return b.append(']').toString();
    }

    private static String time(long epochMs) {
        return epochMs == 0 ? null : Instant.ofEpochMilli(epochMs).toString();
    }
}
