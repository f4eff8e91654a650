package io.nginxha.agent.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the format-neutral entries of either format into an {@link AgentConfig}: dispatches the top-level
 * sections, applies keepalived's defaults through the section builders, and checks what spans instances
 * (names, VRIDs, tracked scripts). Messages are the same whichever format the entries came from.
 */
final class Validator {
    private Validator() { }

    /** The config, or null when {@code problems} holds errors. */
    static AgentConfig build(List<Entry> root, Problems problems) {
        Values values = new Values(problems);
        List<Entry> globals = new ArrayList<>();
        List<Entry> scriptEntries = new ArrayList<>();
        List<Entry> instanceEntries = new ArrayList<>();
        List<Entry> nginxEntries = new ArrayList<>();
        List<Entry> fileEntries = new ArrayList<>();
        List<Entry> staticEntries = new ArrayList<>();
        List<Entry> syncGroupEntries = new ArrayList<>();
        List<Entry> processEntries = new ArrayList<>();
        List<Entry> announceEntries = new ArrayList<>();
        for (Entry e : root) {
            switch (e.key()) {
                case "global_defs" -> {
                    List<Entry> block = values.block(e);
                    globals.addAll(block == null ? List.of() : block);
                }
                case "vrrp_script" -> scriptEntries.add(e);
                case "vrrp_track_nginx" -> nginxEntries.add(e);
                case "track_file", "vrrp_track_file" -> fileEntries.add(e);
                case "vrrp_instance" -> instanceEntries.add(e);
                case "static_ipaddress", "static_routes", "static_rules" -> staticEntries.add(e);
                case "vrrp_sync_group" -> syncGroupEntries.add(e);
                case "vrrp_track_process" -> processEntries.add(e);
                case "vip_announce" -> announceEntries.add(e);
                default -> Keywords.report(Keywords.Section.ROOT, e, "", problems);
            }
        }
        GlobalBuilder globalBuilder = new GlobalBuilder(values);
        GlobalConfig global = globalBuilder.build(globals);
        Map<String, ScriptConfig> scripts = new LinkedHashMap<>();
        for (Entry e : scriptEntries) {
            String name = blockName(e, values);
            List<Entry> block = values.block(withoutName(e));
            if (name == null || block == null) {
                continue;
            }
            ScriptConfig script = new ScriptBuilder(values).build(name, block, e.source());
            ScriptConfig earlier = scripts.putIfAbsent(name, script);
            if (earlier != null) {
                problems.error(e.source(), "vrrp_script " + name + " is already defined at " + earlier.source());
            }
        }
        Map<String, NginxCheckConfig> nginx = new LinkedHashMap<>();
        for (Entry e : nginxEntries) {
            String name = blockName(e, values);
            List<Entry> block = values.block(withoutName(e));
            if (name == null || block == null) {
                continue;
            }
            NginxCheckConfig check = new NginxCheckBuilder(values).build(name, block, e.source());
            Source earlier = scripts.containsKey(name) ? scripts.get(name).source()
                    : nginx.containsKey(name) ? nginx.get(name).source() : null;
            if (earlier != null) {
                problems.error(e.source(), "vrrp_track_nginx " + name + ": the name is already used at " + earlier);
            } else {
                nginx.put(name, check);
            }
        }
        Map<String, TrackFileConfig> files = new LinkedHashMap<>();
        for (Entry e : fileEntries) {
            String name = blockName(e, values);
            List<Entry> block = values.block(withoutName(e));
            if (name == null || block == null) {
                continue;
            }
            TrackFileConfig file = new TrackFileBuilder(values).build(e.key(), name, block, e.source());
            TrackFileConfig earlier = files.putIfAbsent(name, file);
            if (earlier != null) {
                problems.error(e.source(), e.key() + " " + name + " is already defined at " + earlier.source());
            }
        }
        Map<String, TrackProcessConfig> processes = new LinkedHashMap<>();
        for (Entry e : processEntries) {
            String name = blockName(e, values);
            List<Entry> block = values.block(withoutName(e));
            TrackProcessConfig p = name == null || block == null ? null
                    : new TrackProcessBuilder(values).build(name, block, e.source());
            TrackProcessConfig earlier = p == null ? null : processes.putIfAbsent(name, p);
            if (earlier != null) {
                problems.error(e.source(), "vrrp_track_process " + name + " is already defined at " + earlier.source());
            }
        }
        // one rule numbering for the whole file, in its order, as keepalived's
        RuleParser rules = new RuleParser(values);
        StaticNetwork statics = StaticBuilder.build(staticEntries, values, rules,
                globalBuilder.defaultInterface());
        List<InstanceConfig> instances = new ArrayList<>();
        Map<String, Source> instanceNames = new HashMap<>();
        for (Entry e : instanceEntries) {
            String name = blockName(e, values);
            List<Entry> block = values.block(withoutName(e));
            if (name == null || block == null) {
                continue;
            }
            Source earlier = instanceNames.putIfAbsent(name, e.source());
            if (earlier != null) {
                problems.error(e.source(), "vrrp_instance " + name + " is already defined at " + earlier);
                continue;
            }
            instances.add(new InstanceBuilder(values, global, globalBuilder.defaultInterface(), rules)
                    .build(name, block, e.source()));
        }
        List<AnnounceConfig> announce = AnnounceBuilder.build(announceEntries, values, instanceNames);
        if (instances.isEmpty() && announce.isEmpty() && !problems.hasErrors()) {
            problems.error("no vrrp_instance is configured (nor a vip_announce): nothing to do");
        }
        List<SyncGroupConfig> syncGroups = new ArrayList<>();
        instances = SyncGroupBuilder.apply(syncGroupEntries, instances, scripts, nginx, files, processes, values,
                syncGroups);
        List<String> trackable = new ArrayList<>(scripts.keySet());
        trackable.addAll(nginx.keySet());
        crossCheck(instances, trackable, problems);
        announceTracksExist(announce, trackable, problems);
        trackedExist(instances, "track_file", "track_file block", InstanceConfig::trackFiles, files.keySet(), problems);
        trackedExist(instances, "track_process", "vrrp_track_process", InstanceConfig::trackProcesses,
                processes.keySet(), problems);
        instances = instances.stream().map(i -> ownerTrackFiles(i, files, problems)).toList();
        return problems.hasErrors() ? null
                : new AgentConfig(global, scripts, instances, nginx, files, syncGroups, statics, announce, processes);
    }

    private static String blockName(Entry e, Values values) {
        if (e.args().size() != 1) {
            values.problems().error(e.source(), e.key() + " needs exactly one name, got '" + String.join(" ", e.args()) + "'");
            return null;
        }
        return e.arg();
    }

    private static Entry withoutName(Entry e) {
        return new Entry(e.key(), List.of(), List.of(), e.block(), e.source());
    }

    /**
     * Every {@code kind} line (track_file, track_process) of each instance names a block that exists ({@code what}),
     * and no instance tracks one twice.
     */
    private static void trackedExist(List<InstanceConfig> instances, String kind, String what,
                                     java.util.function.Function<InstanceConfig, List<InstanceConfig.Tracked>> lines,
                                     Set<String> names, Problems problems) {
        for (InstanceConfig i : instances) {
            Set<String> seen = new HashSet<>();
            for (InstanceConfig.Tracked t : lines.apply(i)) {
                if (!names.contains(t.name())) {
                    problems.error(t.source(), kind + " '" + t.name() + "' in vrrp_instance " + i.name()
                            + " is not defined by any " + what + Values.suggestion(t.name(), names));
                } else if (!seen.add(t.name())) {
                    problems.error(t.source(), kind + " '" + t.name() + "' is tracked twice in vrrp_instance "
                            + i.name());
                }
            }
        }
    }

    /**
     * keepalived's rule for an address owner (priority 255), whose priority never moves: a tracked file with the
     * default weight 1 is taken as weight 0 (a non-zero value means FAULT), one with another weight is ignored.
     */
    private static InstanceConfig ownerTrackFiles(InstanceConfig i, Map<String, TrackFileConfig> files,
                                                  Problems problems) {
        if (i.priority() != 255 || i.trackFiles().isEmpty()) {
            return i;
        }
        List<InstanceConfig.Tracked> kept = new ArrayList<>();
        for (InstanceConfig.Tracked t : i.trackFiles()) {
            TrackFileConfig f = files.get(t.name());
            int weight = t.weight() != null ? t.weight() : f == null ? 0 : f.weight();
            if (weight == 1) {
                problems.warn(t.source(), "vrrp_instance " + i.name() + " is the address owner: track_file "
                        + t.name() + " is taken with weight 0 (FAULT while non-zero), as keepalived does");
                kept.add(new InstanceConfig.Tracked(t.name(), 0, t.reverse(), t.source()));
            } else if (weight != 0) {
                problems.warn(t.source(), "vrrp_instance " + i.name() + " is the address owner: track_file "
                        + t.name() + " with weight " + weight + " is ignored, as keepalived does (use weight 0)");
            } else {
                kept.add(t);
            }
        }
        return i.toBuilder().trackFiles(kept).build();
    }

    private static void announceTracksExist(List<AnnounceConfig> groups, List<String> scripts, Problems problems) {
        for (AnnounceConfig g : groups) {
            for (InstanceConfig.Tracked t : g.trackScripts()) {
                if (!scripts.contains(t.name())) {
                    problems.error(t.source(), "track_script '" + t.name() + "' in vip_announce " + g.name()
                            + " is not defined by any vrrp_script or vrrp_track_nginx"
                            + Values.suggestion(t.name(), scripts));
                }
            }
        }
    }

    private static void crossCheck(List<InstanceConfig> instances, List<String> scripts, Problems problems) {
        Map<WireId, InstanceConfig> byRouter = new HashMap<>();
        Map<String, InstanceConfig> byVmac = new HashMap<>();
        for (InstanceConfig i : instances) {
            InstanceConfig sameVmac = i.vmac() == null ? null : byVmac.putIfAbsent(i.vmac().name(), i);
            if (sameVmac != null) {
                problems.error(i.source(), "use_vmac interface " + i.vmac().name() + " of vrrp_instance " + i.name()
                        + " is already that of vrrp_instance " + sameVmac.name() + " at " + sameVmac.source()
                        + "; name one of them (use_vmac NAME)");
            }
            WireId wire = i.wireId();
            InstanceConfig other = byRouter.putIfAbsent(wire, i);
            if (other != null && i.vrid() != 0) {
                problems.error(i.source(), "virtual_router_id " + i.vrid() + " of vrrp_instance " + i.name()
                        + " is already used on " + i.iface() + " (" + wire.family() + ") by vrrp_instance "
                        + other.name() + " at " + other.source());
            }
            for (InstanceConfig.Tracked t : i.trackScripts()) {
                if (!scripts.contains(t.name())) {
                    problems.error(t.source(), "track_script '" + t.name() + "' in vrrp_instance " + i.name()
                            + " is not defined by any vrrp_script" + Values.suggestion(t.name(), scripts));
                }
            }
        }
    }
}
