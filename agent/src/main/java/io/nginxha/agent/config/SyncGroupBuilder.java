package io.nginxha.agent.config;

import io.nginxha.agent.config.InstanceConfig.Tracked;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Builds the {@code vrrp_sync_group}s and applies them to their members, as keepalived 2.2.7 does (vrrp_parser.c,
 * vrrp_sync.c vrrp_sync_set_group, vrrp.c sync_group_tracking_init): the group's track_* are added to every
 * member; a member's own weighted trackers are neutralised unless sync_group_tracking_weight (or the deprecated
 * global_tracking) is set, since members with moving priorities would re-elect forever. Where keepalived logs an
 * error and ignores a line, vrrp-agent refuses the config, so what runs is what was written. One exception, as
 * keepalived's own sample keepalived.conf.vrrp.lvs_syncd writes it: instance names written bare in the group
 * instead of inside {@code group { }} are warned and ignored, and a group left without members is removed.
 */
final class SyncGroupBuilder {
    /** The keywords of a vrrp_sync_group block (keepalived 2.2.7 vrrp_parser.c). */
    static final Set<String> KEYWORDS = Set.of("group", "track_interface", "track_script", "track_file",
            "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify", "smtp_alert",
            "global_tracking", "sync_group_tracking_weight", "notify_priority_changes", "track_process");
    static final Set<String> UNSUPPORTED = Set.of("track_bfd");
    private static final List<String> NOTIFY = List.of("notify_master", "notify_backup", "notify_fault",
            "notify_stop", "notify");

    private final Values values;
    private final Problems problems;
    /** The per-script users of the group being read. */
    private final Map<String, String> users = new HashMap<>();
    /** The vrrp_instance names of the config: a bare one in a group block is keepalived's lenient case. */
    private final Set<String> instanceNames;

    private static Set<String> allKeywords() {
        Set<String> all = new java.util.TreeSet<>(KEYWORDS);
        all.addAll(UNSUPPORTED);
        return all;
    }

    /** One group as written, before it is applied to its members. */
    private record Parsed(SyncGroupConfig config, Map<String, Source> memberLines, List<Tracked> scripts,
                          List<Tracked> interfaces, List<Tracked> files, boolean trackingWeight,
                          List<Tracked> processes) { }

    private SyncGroupBuilder(Values values, Set<String> instanceNames) {
        this.values = values;
        this.problems = values.problems();
        this.instanceNames = instanceNames;
    }

    /**
     * Reads {@code entries} (the vrrp_sync_group blocks), checks them against {@code instances}, puts the groups in
     * {@code groupsOut} and returns the instances with the groups' tracking applied.
     */
    static List<InstanceConfig> apply(List<Entry> entries, List<InstanceConfig> instances,
                                      Map<String, ScriptConfig> scripts, Map<String, NginxCheckConfig> nginx,
                                      Map<String, TrackFileConfig> files,
                                      Map<String, TrackProcessConfig> processes, Values values,
                                      List<SyncGroupConfig> groupsOut) {
        Set<String> names = new java.util.HashSet<>();
        instances.forEach(i -> names.add(i.name()));
        SyncGroupBuilder b = new SyncGroupBuilder(values, names);
        Map<String, Parsed> groups = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (e.args().size() != 1) {
                b.problems.error(e.source(), "vrrp_sync_group needs exactly one name, got '"
                        + String.join(" ", e.args()) + "'");
                continue;
            }
            List<Entry> block = values.block(new Entry(e.key(), List.of(), List.of(), e.block(), e.source()));
            if (block == null) {
                continue;
            }
            Parsed earlier = groups.get(e.arg());
            if (earlier != null) {
                b.problems.error(e.source(), "vrrp_sync_group " + e.arg() + " is already defined at "
                        + earlier.config().source());
                continue;
            }
            Parsed p = b.read(e.arg(), block, e.source());
            if (p != null) {
                groups.put(e.arg(), p);
            }
        }
        Map<String, InstanceConfig> byName = new LinkedHashMap<>();
        instances.forEach(i -> byName.put(i.name(), i));
        Map<String, String> groupOf = new HashMap<>();
        ToIntFunction<Tracked> scriptWeight = t -> t.weight() != null ? t.weight()
                : scripts.containsKey(t.name()) ? scripts.get(t.name()).weight()
                : nginx.containsKey(t.name()) ? nginx.get(t.name()).weight() : 0;
        ToIntFunction<Tracked> fileWeight = t -> t.weight() != null ? t.weight()
                : files.containsKey(t.name()) ? files.get(t.name()).weight() : 0;
        ToIntFunction<Tracked> ifaceWeight = t -> t.weight() != null ? t.weight() : 0;
        ToIntFunction<Tracked> processWeight = t -> t.weight() != null ? t.weight()
                : processes.containsKey(t.name()) ? processes.get(t.name()).weight() : 0;
        for (Parsed p : groups.values()) {
            String g = p.config().name();
            List<String> members = b.members(p, byName, groupOf);
            b.defined(p.scripts(), "track_script", g, "vrrp_script", scripts.keySet(), nginx.keySet());
            b.defined(p.files(), "track_file", g, "track_file block", files.keySet(), Set.of());
            b.defined(p.processes(), "track_process", g, "vrrp_track_process", processes.keySet(), Set.of());
            boolean owner = members.stream().anyMatch(n -> byName.get(n).priority() == 255);
            List<Tracked> gScripts = b.ownerWeights(p.scripts(), scriptWeight, owner, "track_script", g);
            List<Tracked> gIfaces = b.ownerWeights(p.interfaces(), ifaceWeight, owner, "track_interface", g);
            List<Tracked> gFiles = b.ownerWeights(p.files(), fileWeight, owner, "track_file", g);
            List<Tracked> gProcesses = b.ownerWeights(p.processes(), processWeight, owner, "track_process", g);
            for (String n : members) {
                InstanceConfig i = byName.get(n);
                List<Tracked> s = i.trackScripts();
                List<Tracked> f = i.trackFiles();
                List<Tracked> t = i.trackInterfaces();
                if (!p.trackingWeight()) {
                    s = b.unweighted(s, scriptWeight, false, "track_script", n);
                    f = b.unweighted(f, fileWeight, true, "track_file", n);
                    t = b.unweighted(t, ifaceWeight, true, "track_interface", n);
                }
                byName.put(n, i.toBuilder().trackScripts(b.merged(s, gScripts, scriptWeight, "track_script", n, g))
                        .trackFiles(b.merged(f, gFiles, fileWeight, "track_file", n, g))
                        // keepalived keeps a member's weighted track_process (vrrp.c strips only the others)
                        .trackProcesses(b.merged(i.trackProcesses(), gProcesses, processWeight, "track_process", n,
                                g))
                        .trackInterfaces(b.merged(t, gIfaces, ifaceWeight, "track_interface", n, g)).build());
            }
            groupsOut.add(new SyncGroupConfig(g, members, p.config().notifications(), p.config().source()));
        }
        return List.copyOf(byName.values());
    }

    private Parsed read(String name, List<Entry> block, Source at) {
        Map<String, Source> members = new LinkedHashMap<>();
        Entry groupLine = null;
        List<Tracked> scripts = new ArrayList<>();
        List<Tracked> interfaces = new ArrayList<>();
        List<Tracked> files = new ArrayList<>();
        List<Tracked> processes = new ArrayList<>();
        List<List<String>> notify = new ArrayList<>(List.of(List.of(), List.of(), List.of(), List.of(), List.of()));
        Map<String, Source> notifyAt = new HashMap<>();
        users.clear();
        boolean smtp = false;
        Boolean priorityChanges = null;
        boolean trackingWeight = false;
        Source bareMember = null;
        for (Entry e : block) {
            switch (e.key()) {
                case "group" -> {
                    if (groupLine != null) {
                        problems.error(e.source(), "'group' is given twice in vrrp_sync_group " + name + " (first at "
                                + groupLine.source() + ")");
                        continue;
                    }
                    groupLine = e;
                    List<Entry> lines = values.block(e);
                    for (Entry line : lines == null ? List.<Entry>of() : lines) {
                        if (!line.args().isEmpty() || line.block() != null) {
                            problems.error(line.source(), "'group' lines are one vrrp_instance name each, got '"
                                    + line.key() + " " + String.join(" ", line.args()) + "'");
                        } else if (members.putIfAbsent(line.key(), line.source()) != null) {
                            problems.error(line.source(), "vrrp_instance " + line.key() + " is listed twice in "
                                    + "vrrp_sync_group " + name);
                        }
                    }
                }
                case "track_script" -> scripts.addAll(values.tracked(e, 253));
                case "track_interface" -> interfaces.addAll(values.tracked(e, 254));
                case "track_file" -> files.addAll(values.tracked(e, 254));
                case "track_process" -> processes.addAll(values.tracked(e, 254));
                case "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify" -> {
                    Source first = notifyAt.putIfAbsent(e.key(), e.source());
                    if (first != null) {
                        problems.error(e.source(), e.key() + " is given twice in vrrp_sync_group " + name
                                + " (first at " + first + ")");
                    } else {
                        List<String> command = notifyCommand(e);
                        if (command != null) {
                            notify.set(NOTIFY.indexOf(e.key()), command);
                        }
                    }
                }
                case "smtp_alert" -> smtp = GlobalBuilder.orElse(values.bool(e), smtp);
                case "notify_priority_changes" -> priorityChanges = GlobalBuilder.orElse(values.bool(e),
                        priorityChanges);
                case "sync_group_tracking_weight" -> trackingWeight |= values.noValue(e);
                case "global_tracking" -> {
                    if (values.noValue(e)) {
                        trackingWeight = true;
                        problems.warn(e.source(), "global_tracking in vrrp_sync_group " + name + " is deprecated: "
                                + "taken as sync_group_tracking_weight, as keepalived does; put track_interface, "
                                + "track_script and track_file on the sync group instead");
                    }
                }
                default -> {
                    if (problems.keepalivedSyntax() && e.args().isEmpty() && e.block() == null
                            && instanceNames.contains(e.key())) {
                        // keepalived 2.2.7: "Unknown keyword 'VI_2'", and the name is not a member
                        problems.warn(e.source(), "'" + e.key() + "' in vrrp_sync_group " + name + " is not a "
                                + "keyword and is ignored, as keepalived ignores it: members are named inside "
                                + "'group { }', so vrrp_instance " + e.key() + " is not a member by this line");
                        bareMember = bareMember == null ? e.source() : bareMember;
                    } else if (UNSUPPORTED.contains(e.key())) {
                        problems.error(e.source(), "'" + e.key() + "' in vrrp_sync_group " + name
                                + " is not supported by vrrp-agent");
                    } else {
                        problems.error(e.source(), "unknown keyword '" + e.key() + "' in vrrp_sync_group " + name
                                + Values.suggestion(e.key(), allKeywords()));
                    }
                }
            }
        }
        if (groupLine == null && bareMember != null) {
            // keepalived (vrrp.c vrrp_complete_init) frees a sync group without members: its instances run alone
            problems.warn(at, "vrrp_sync_group " + name + " has no 'group { }' block, so no members: it is removed "
                    + "and its instances change state on their own, as keepalived does (keepalived: \"Sync group "
                    + name + " has no virtual router(s). removing\"); list them in 'group { }' to sync them");
            return null;
        }
        if (groupLine == null) {
            problems.error(at, "vrrp_sync_group " + name + " has no 'group { }' block naming its vrrp_instances");
            return null;
        }
        if (members.isEmpty()) {
            if (groupLine.block() != null) {
                problems.error(groupLine.source(), "vrrp_sync_group " + name + " has an empty 'group' block");
            }
            return null;
        }
        NotifyConfig n = new NotifyConfig(notify.get(0), notify.get(1), notify.get(2), notify.get(3), notify.get(4),
                smtp, priorityChanges, users);
        return new Parsed(new SyncGroupConfig(name, List.copyOf(members.keySet()), n, at), members, scripts,
                interfaces, files, trackingWeight, processes);
    }

    /** The members that exist and are in no other group; each refusal is reported at the member's line. */
    private List<String> members(Parsed p, Map<String, InstanceConfig> byName, Map<String, String> groupOf) {
        String g = p.config().name();
        List<String> out = new ArrayList<>();
        p.memberLines().forEach((n, at) -> {
            if (!byName.containsKey(n)) {
                problems.error(at, "vrrp_sync_group " + g + ": vrrp_instance " + n + " does not exist"
                        + Values.suggestion(n, byName.keySet()));
            } else if (groupOf.containsKey(n)) {
                problems.error(at, "vrrp_instance " + n + " is already in vrrp_sync_group " + groupOf.get(n)
                        + "; an instance can be in one sync group only (here vrrp_sync_group " + g + ")");
            } else {
                groupOf.put(n, g);
                out.add(n);
            }
        });
        if (p.memberLines().size() == 1) {
            problems.warn(p.config().source(), "vrrp_sync_group " + g + " has only one vrrp_instance; this is "
                    + "probably not what you want");
        }
        long owners = out.stream().filter(n -> byName.get(n).priority() == 255).count();
        if (owners > 0 && owners < out.size()) {
            problems.warn(p.config().source(), "vrrp_sync_group " + g + " has some members as address owner "
                    + "(priority 255) and some not; this won't work (keepalived warns alike)");
        }
        return out;
    }

    private void defined(List<Tracked> tracked, String kind, String g, String what, Set<String> names,
                         Set<String> moreNames) {
        for (Tracked t : tracked) {
            if (!names.contains(t.name()) && !moreNames.contains(t.name())) {
                problems.error(t.source(), kind + " '" + t.name() + "' in vrrp_sync_group " + g
                        + " is not defined by any " + what + Values.suggestion(t.name(), names));
            }
        }
    }

    /** keepalived: a group with an address owner as member cannot move priorities; its weights become 0. */
    private List<Tracked> ownerWeights(List<Tracked> tracked, ToIntFunction<Tracked> weight, boolean owner,
                                       String kind, String g) {
        List<Tracked> out = new ArrayList<>();
        for (Tracked t : tracked) {
            if (owner && weight.applyAsInt(t) != 0) {
                problems.warn(t.source(), "vrrp_sync_group " + g + " has a member with priority 255: " + kind + " "
                        + t.name() + " is taken with weight 0, as keepalived does");
                out.add(new Tracked(t.name(), 0, t.reverse(), t.source()));
            } else {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * A member's own weighted trackers, as keepalived treats them in a sync group without
     * sync_group_tracking_weight: an interface becomes unweighted (FAULT when down), a track_file with weight 1
     * becomes weight 0 (FAULT while non-zero), any other weighted one is dropped.
     */
    private List<Tracked> unweighted(List<Tracked> tracked, ToIntFunction<Tracked> weight, boolean zeroable,
                                     String kind, String member) {
        List<Tracked> out = new ArrayList<>();
        for (Tracked t : tracked) {
            int w = weight.applyAsInt(t);
            boolean zero = zeroable && (kind.equals("track_interface") || w == 1);
            if (w == 0) {
                out.add(t);
            } else if (zero) {
                problems.warn(t.source(), "vrrp_instance " + member + " is in a sync group: " + kind + " " + t.name()
                        + " is taken with weight 0, as keepalived does (sync_group_tracking_weight keeps weights)");
                out.add(new Tracked(t.name(), 0, t.reverse(), t.source()));
            } else {
                problems.warn(t.source(), "vrrp_instance " + member + " is in a sync group: " + kind + " " + t.name()
                        + " with weight " + w + " is ignored, as keepalived does (sync_group_tracking_weight "
                        + "keeps weights)");
            }
        }
        return out;
    }

    /** The member's trackers plus the group's; one tracked both ways takes the group's weight unless unweighted. */
    private List<Tracked> merged(List<Tracked> own, List<Tracked> group, ToIntFunction<Tracked> weight, String kind,
                                 String member, String g) {
        List<Tracked> out = new ArrayList<>(own);
        for (Tracked t : group) {
            int at = -1;
            for (int n = 0; n < out.size(); n++) {
                at = out.get(n).name().equals(t.name()) ? n : at;
            }
            if (at < 0) {
                out.add(t);
                continue;
            }
            problems.warn(t.source(), kind + " " + t.name() + " is configured on vrrp_instance " + member
                    + " and on vrrp_sync_group " + g + "; remove one (the group's weight is used unless the "
                    + "instance's is 0)");
            if (weight.applyAsInt(out.get(at)) != 0) {
                out.set(at, t);
            }
        }
        return out;
    }

    private List<String> notifyCommand(Entry e) {
        List<String> command = ScriptBuilder.command(e, problems);
        String user = command == null ? null : ScriptBuilder.scriptUser(e, problems);
        if ("".equals(user)) {
            return null;
        }
        if (user != null) {
            users.put(e.key(), user);
        }
        return command;
    }
}
