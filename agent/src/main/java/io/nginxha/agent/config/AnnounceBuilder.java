package io.nginxha.agent.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@code vip_announce} blocks. The checks decide health as they do for an instance, but without
 * weights: an announce group has no priority to lower, so any tracked check that is down withdraws it (a weight
 * written is refused rather than silently ignored).
 */
final class AnnounceBuilder {
    private static final long MS = 1000L;

    private final Values values;
    private final Problems problems;

    AnnounceBuilder(Values values) {
        this.values = values;
        this.problems = values.problems();
    }

    /** The groups of {@code entries} in order; names already used by a vrrp_instance or another group are errors. */
    static List<AnnounceConfig> build(List<Entry> entries, Values values, Map<String, Source> instanceNames) {
        Map<String, AnnounceConfig> out = new LinkedHashMap<>();
        AnnounceBuilder b = new AnnounceBuilder(values);
        for (Entry e : entries) {
            if (e.args().size() != 1) {
                values.problems().error(e.source(), "vip_announce needs exactly one name, got '"
                        + String.join(" ", e.args()) + "'");
                continue;
            }
            List<Entry> block = values.block(new Entry(e.key(), List.of(), List.of(), e.block(), e.source()));
            if (block == null) {
                continue;
            }
            String name = e.arg();
            Source other = out.containsKey(name) ? out.get(name).source() : instanceNames.get(name);
            if (other != null) {
                values.problems().error(e.source(), "vip_announce " + name + ": the name is already used at " + other
                        + " (vip_announce groups and vrrp_instances share one namespace)");
                continue;
            }
            AnnounceConfig g = b.group(name, block, e.source());
            if (g != null) {
                out.put(name, g);
            }
        }
        return List.copyOf(out.values());
    }

    private AnnounceConfig group(String name, List<Entry> entries, Source at) {
        String where = "vip_announce " + name;
        String iface = AnnounceConfig.DEFAULT_IFACE;
        List<VirtualAddress> vips = new ArrayList<>();
        List<InstanceConfig.Tracked> scripts = new ArrayList<>();
        List<InstanceConfig.Tracked> interfaces = new ArrayList<>();
        long holdDown = AnnounceConfig.DEFAULT_HOLD_DOWN_MS;
        long drain = AnnounceConfig.DEFAULT_DRAIN_MS;
        int errors = problems.errorCount();
        for (Entry e : entries) {
            switch (e.key()) {
                case "interface" -> iface = GlobalBuilder.orElse(values.single(e), iface);
                case "virtual_ipaddress" -> vips.addAll(new AddressParser(values).vips(e, "virtual_ipaddress"));
                case "track_script" -> scripts.addAll(unweighted(values.tracked(e, 253), where));
                case "track_interface" -> interfaces.addAll(unweighted(values.tracked(e, 254), where));
                case "hold_down" -> holdDown = GlobalBuilder.orElse(millis(e, 0, 3_600_000), holdDown);
                case "drain_time" -> drain = GlobalBuilder.orElse(millis(e, 0, 600_000), drain);
                default -> Keywords.report(Keywords.Section.ANNOUNCE, e, where, problems);
            }
        }
        if (vips.isEmpty()) {
            problems.error(at, where + " has no virtual_ipaddress: nothing to announce");
        }
        for (VirtualAddress v : vips) {
            int host = v.address() instanceof java.net.Inet6Address ? 128 : 32;
            if (v.prefix() != host) {
                problems.error(v.source(), where + ": " + v.address().getHostAddress() + "/" + v.prefix()
                        + " must be a host address (/" + host + "): the routers learn each VIP as its own prefix");
            } else if (v.dev() != null && !v.dev().equals(iface)) {
                problems.error(v.source(), where + ": 'dev " + v.dev() + "' differs from the group's interface "
                        + iface + "; an announce group holds all its VIPs on one interface");
            } else if (v.label() != null || v.hasOptions()) {
                problems.error(v.source(), where + ": " + v.address().getHostAddress()
                        + ": label, brd, scope and preferred_lft are not taken in an announce group");
            }
        }
        if (problems.errorCount() > errors) {
            return null;
        }
        String dev = iface;
        List<VirtualAddress> placed = vips.stream()
                .map(v -> new VirtualAddress(v.address(), v.prefix(), dev, null, v.source())).toList();
        return new AnnounceConfig(name, iface, placed, scripts, interfaces, holdDown, drain, at);
    }

    private List<InstanceConfig.Tracked> unweighted(List<InstanceConfig.Tracked> tracked, String where) {
        List<InstanceConfig.Tracked> out = new ArrayList<>();
        for (InstanceConfig.Tracked t : tracked) {
            if (t.weight() != null && t.weight() != 0 || t.reverse()) {
                problems.error(t.source(), where + ": '" + t.name() + "' has a weight; an announce group has no "
                        + "priority, so any tracked check that is down withdraws it (remove the weight)");
            } else {
                out.add(new InstanceConfig.Tracked(t.name(), 0, false, t.source()));
            }
        }
        return out;
    }

    private Long millis(Entry e, long minMs, long maxMs) {
        Long us = values.seconds(e, minMs * MS, maxMs * MS);
        return us == null ? null : us / MS;
    }
}
