package io.nginxha.agent.runtime;

import io.nginxha.agent.config.AgentConfig;
import java.util.Set;

/**
 * Told on the loop's thread after a reload was applied, with the instances it made anew (the others kept
 * running); the trackers and the notifier apply their part of the new config here.
 */
@FunctionalInterface
public interface ReloadListener {
    void reloaded(AgentConfig next, Set<String> freshInstances);
}
