package io.nginxha.agent.config;

import java.util.List;
import java.util.Map;

/**
 * The whole validated configuration, from a keepalived.conf or from the agent's YAML. {@code nginxChecks} are the
 * built-in nginx trackers; their names share the vrrp_script namespace (both are tracked with track_script).
 */
public record AgentConfig(GlobalConfig global, Map<String, ScriptConfig> scripts, List<InstanceConfig> instances,
                          Map<String, NginxCheckConfig> nginxChecks) {
    public AgentConfig {
        scripts = Map.copyOf(scripts);
        instances = List.copyOf(instances);
        nginxChecks = Map.copyOf(nginxChecks);
    }

    /** Without nginx trackers, the shape callers had before they were added. */
    public AgentConfig(GlobalConfig global, Map<String, ScriptConfig> scripts, List<InstanceConfig> instances) {
        this(global, scripts, instances, Map.of());
    }
}
