package io.nginxha.agent.config;

import java.util.List;

/**
 * A loaded configuration with the warnings found on the way (each {@code file:line: message}), such as a
 * truncated auth_pass or a keepalived keyword accepted but ignored. Warnings never stop the agent.
 */
public record LoadResult(AgentConfig config, List<String> warnings) {
    public LoadResult {
        warnings = List.copyOf(warnings);
    }
}
