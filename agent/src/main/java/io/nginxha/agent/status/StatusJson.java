package io.nginxha.agent.status;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code /status} as JSON, written by hand: the shape is small and fixed, and no JSON library is on the path. */
public final class StatusJson {
    private StatusJson() { }

    public static String render(AgentStatus s) {
        StringBuilder b = new StringBuilder(512);
        b.append("{\"router_id\":").append(str(s.routerId()))
                .append(",\"started\":").append(str(time(s.startedEpochMs())))
                .append(",\"instances\":[");
        for (int n = 0; n < s.instances().size(); n++) {
            InstanceStatus i = s.instances().get(n);
            b.append(n == 0 ? "" : ",").append("{\"name\":").append(str(i.name()))
                    .append(",\"interface\":").append(str(i.iface()))
                    .append(",\"vrid\":").append(i.vrid())
                    .append(",\"state\":").append(str(i.state().name()))
                    .append(",\"base_priority\":").append(i.basePriority())
                    .append(",\"effective_priority\":").append(i.effectivePriority())
                    .append(",\"master_address\":").append(str(i.masterAddress()))
                    .append(",\"vips\":").append(strings(i.vips()))
                    .append(",\"vips_held\":").append(i.vipsHeld())
                    .append(",\"last_transition\":");
            if (i.lastTransitionFrom() == null) {
                b.append("null");
            } else {
                b.append("{\"time\":").append(str(time(i.lastTransitionEpochMs())))
                        .append(",\"from\":").append(str(i.lastTransitionFrom().name()))
                        .append(",\"to\":").append(str(i.state().name()))
                        .append(",\"reason\":").append(str(i.lastTransitionReason())).append('}');
            }
            b.append(",\"checks\":[");
            for (int c = 0; c < i.trackedScripts().size(); c++) {
                String name = i.trackedScripts().get(c);
                CheckReporter.CheckResult r = s.checks().get(name);
                b.append(c == 0 ? "" : ",").append("{\"name\":").append(str(name)).append(",\"result\":");
                if (r == null) {
                    b.append("\"unknown\"}");
                } else {
                    b.append(str(r.up() ? "up" : "down")).append(",\"exit_code\":").append(r.lastExitCode())
                            .append(",\"duration_seconds\":").append(r.lastDurationSec())
                            .append(",\"time\":").append(str(time(r.lastRunEpochMs()))).append('}');
                }
            }
            InstanceCounters.Counts k = i.counts();
            b.append("],\"adverts_sent\":").append(k.advertsSent())
                    .append(",\"adverts_received\":").append(k.advertsReceived())
                    .append(",\"transitions\":").append(k.transitions())
                    .append(",\"adverts_dropped\":").append(drops(k.drops())).append('}');
        }
        b.append("],\"unattributed_drops\":").append(drops(s.unattributedDrops())).append("}\n");
        return b.toString();
    }

    private static String drops(Map<?, Long> drops) {
        StringBuilder b = new StringBuilder("{");
        drops.entrySet().stream().sorted(Map.Entry.comparingByKey((x, y) -> x.toString().compareTo(y.toString())))
                .forEach(e -> b.append(b.length() == 1 ? "" : ",").append(str(e.getKey().toString().toLowerCase()))
                        .append(':').append(e.getValue()));
        return b.append('}').toString();
    }

    private static String strings(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        values.forEach(v -> b.append(b.length() == 1 ? "" : ",").append(str(v)));
        return b.append(']').toString();
    }

    private static String time(long epochMs) {
        return epochMs == 0 ? null : Instant.ofEpochMilli(epochMs).toString();
    }

    static String str(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
