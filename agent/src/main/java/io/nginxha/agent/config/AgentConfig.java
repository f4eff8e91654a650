package io.nginxha.agent.config;

import java.util.List;
import java.util.Map;

/**
 * The whole validated configuration, from a keepalived.conf or from the agent's YAML. {@code nginxChecks} are the
 * built-in nginx trackers; their names share the vrrp_script namespace (both are tracked with track_script).
 * {@code trackFiles} are keepalived's track_file blocks, tracked with track_file. {@code syncGroups} are the
 * vrrp_sync_groups (an instance is in at most one). {@code statics} are the static_ipaddress, static_routes and
 * static_rules blocks. {@code announce} are the vip_announce groups (anycast: VIPs held while healthy, announced
 * by FRR). {@code trackProcesses} are the vrrp_track_process blocks, tracked with track_process.
 */
public record AgentConfig(GlobalConfig global, Map<String, ScriptConfig> scripts, List<InstanceConfig> instances,
                          Map<String, NginxCheckConfig> nginxChecks, Map<String, TrackFileConfig> trackFiles,
                          List<SyncGroupConfig> syncGroups, StaticNetwork statics, List<AnnounceConfig> announce,
                          Map<String, TrackProcessConfig> trackProcesses) {
    public AgentConfig {
        trackProcesses = trackProcesses == null ? Map.of() : Map.copyOf(trackProcesses);
        statics = statics == null ? StaticNetwork.NONE : statics;
        announce = announce == null ? List.of() : List.copyOf(announce);
        scripts = Map.copyOf(scripts);
        instances = List.copyOf(instances);
        nginxChecks = Map.copyOf(nginxChecks);
        trackFiles = Map.copyOf(trackFiles);
        syncGroups = List.copyOf(syncGroups);
    }

    /** Without process tracking, the shape callers had before it was added. */
    public AgentConfig(GlobalConfig global, Map<String, ScriptConfig> scripts, List<InstanceConfig> instances,
                       Map<String, NginxCheckConfig> nginxChecks, Map<String, TrackFileConfig> trackFiles,
                       List<SyncGroupConfig> syncGroups, StaticNetwork statics, List<AnnounceConfig> announce) {
        this(global, scripts, instances, nginxChecks, trackFiles, syncGroups, statics, announce, Map.of());
    }

    /** Without announce groups, the shape callers had before they were added. */
    public AgentConfig(GlobalConfig global, Map<String, ScriptConfig> scripts, List<InstanceConfig> instances,
                       Map<String, NginxCheckConfig> nginxChecks, Map<String, TrackFileConfig> trackFiles,
                       List<SyncGroupConfig> syncGroups, StaticNetwork statics) {
        this(global, scripts, instances, nginxChecks, trackFiles, syncGroups, statics, List.of());
    }

    /** Without static addresses, routes and rules, the shape callers had before they were added. */
    public AgentConfig(GlobalConfig global, Map<String, ScriptConfig> scripts, List<InstanceConfig> instances,
                       Map<String, NginxCheckConfig> nginxChecks, Map<String, TrackFileConfig> trackFiles,
                       List<SyncGroupConfig> syncGroups) {
        this(global, scripts, instances, nginxChecks, trackFiles, syncGroups, StaticNetwork.NONE);
    }

    /** Without sync groups, the shape callers had before they were added. */
    public AgentConfig(GlobalConfig global, Map<String, ScriptConfig> scripts, List<InstanceConfig> instances,
                       Map<String, NginxCheckConfig> nginxChecks, Map<String, TrackFileConfig> trackFiles) {
        this(global, scripts, instances, nginxChecks, trackFiles, List.of());
    }

    /** The sync group {@code instance} is a member of, or null. */
    public SyncGroupConfig syncGroupOf(String instance) {
        return syncGroups.stream().filter(g -> g.members().contains(instance)).findFirst().orElse(null);
    }

    /** Without track files, the shape callers had before they were added. */
    public AgentConfig(GlobalConfig global, Map<String, ScriptConfig> scripts, List<InstanceConfig> instances,
                       Map<String, NginxCheckConfig> nginxChecks) {
        this(global, scripts, instances, nginxChecks, Map.of());
    }

    /** Without nginx trackers, the shape callers had before they were added. */
    public AgentConfig(GlobalConfig global, Map<String, ScriptConfig> scripts, List<InstanceConfig> instances) {
        this(global, scripts, instances, Map.of());
    }
}
