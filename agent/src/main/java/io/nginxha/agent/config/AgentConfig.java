package io.nginxha.agent.config;

import java.util.List;
import java.util.Map;

/** The whole validated configuration, from a keepalived.conf or from the agent's YAML. */
public record AgentConfig(GlobalConfig global, Map<String, ScriptConfig> scripts, List<InstanceConfig> instances) {
    public AgentConfig {
        scripts = Map.copyOf(scripts);
        instances = List.copyOf(instances);
    }
}
