package io.nginxha.agent.config;

import java.nio.file.Path;

/** Reads a keepalived.conf or the agent's YAML, chosen by the file's content. */
public final class ConfigLoader {
    private ConfigLoader() { }

    public static AgentConfig load(Path file) throws ConfigException {
        throw new UnsupportedOperationException("config: being written");
    }
}
