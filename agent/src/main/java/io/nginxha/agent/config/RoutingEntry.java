package io.nginxha.agent.config;

/**
 * A route or a policy rule that the agent installs: a line of {@code virtual_routes}, {@code virtual_rules}
 * (while the instance is master), {@code static_routes} or {@code static_rules} (while the agent runs).
 */
public sealed interface RoutingEntry permits RouteConfig, RuleConfig {
    /** Where the line was written; null in configs compared without their files. */
    Source source();

    /** The same entry without its source, for comparing configs. */
    RoutingEntry withoutSource();
}
