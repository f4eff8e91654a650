package io.nginxha.agent.status;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The human-readable table of {@code vrrp-agent status}, rendered by the agent so the command needs no parsing. */
public final class StatusTable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private StatusTable() { }

    public static String render(AgentStatus s) {
        StringBuilder b = new StringBuilder();
        String row = "%-12s %-6s %-4s %4s  %-6s %-9s %-16s %-5s %s%n";
        b.append(String.format(row, "INSTANCE", "IFACE", "FAM", "VRID", "STATE", "PRIO", "MASTER", "VIPS",
                "LAST TRANSITION"));
        for (InstanceStatus i : s.instances()) {
            String prio = i.effectivePriority() == i.basePriority() ? String.valueOf(i.basePriority())
                    : i.effectivePriority() + "/" + i.basePriority();
            String last = i.lastTransitionFrom() == null ? "-" : TIME.format(Instant.ofEpochMilli(i.lastTransitionEpochMs()))
                    + " " + i.lastTransitionFrom() + "->" + i.state() + ": " + i.lastTransitionReason();
            b.append(String.format(row, i.name(), i.iface(), i.family(), i.vrid(), i.state(), prio,
                    i.masterAddress() == null ? "-" : i.masterAddress(), i.vipsHeld() ? "held" : "-", last));
            for (String check : i.trackedScripts()) {
                CheckReporter.CheckResult r = s.checks().get(check);
                b.append("    check ").append(check).append(": ").append(r == null ? "unknown"
                        : (r.up() ? "up" : "down") + " (exit " + r.lastExitCode() + ", "
                        + Math.round(r.lastDurationSec() * 1000) + " ms)").append('\n');
            }
        }
        if (!s.announce().isEmpty()) {
            String arow = "%-12s %-6s %-10s %-32s %s%n";
            b.append(String.format(arow, "ANNOUNCE", "IFACE", "STATE", "VIPS", "SINCE"));
            for (AnnounceStatus a : s.announce()) {
                b.append(String.format(arow, a.name(), a.iface(), a.state(), String.join(",", a.vips()),
                        (a.sinceEpochMs() == 0 ? "-" : TIME.format(Instant.ofEpochMilli(a.sinceEpochMs())))
                                + ": " + a.reason()));
            }
        }
        return b.toString();
    }
}
