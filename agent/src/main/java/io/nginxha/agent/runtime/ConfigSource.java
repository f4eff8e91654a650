package io.nginxha.agent.runtime;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.ConfigException;

/** Where SIGHUP reads the config again; the file given on the command line in production. */
@FunctionalInterface
public interface ConfigSource {
    AgentConfig load() throws ConfigException;
}
