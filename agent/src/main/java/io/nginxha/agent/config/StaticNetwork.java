package io.nginxha.agent.config;

import java.util.List;

/**
 * keepalived's top-level {@code static_ipaddress}, {@code static_routes} and {@code static_rules}: installed when
 * the agent starts, before the instances, whatever their state, and removed when it stops cleanly.
 * Every static address has its interface ({@code dev}, else global_defs' default_interface).
 */
public record StaticNetwork(List<VirtualAddress> addresses, List<RouteConfig> routes, List<RuleConfig> rules) {
    public static final StaticNetwork NONE = new StaticNetwork(List.of(), List.of(), List.of());

    public StaticNetwork {
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
        rules = List.copyOf(rules);
    }

    public boolean isEmpty() {
        return addresses.isEmpty() && routes.isEmpty() && rules.isEmpty();
    }

    /** Routes, then rules: the order keepalived installs them in (and removes them in reverse). */
    public List<RoutingEntry> routing() {
        List<RoutingEntry> out = new java.util.ArrayList<>(routes);
        out.addAll(rules);
        return List.copyOf(out);
    }

    /** Without the files and lines they were written at, for comparing configs. */
    public StaticNetwork withoutSources() {
        return new StaticNetwork(addresses.stream().map(VirtualAddress::withoutSource).toList(),
                routes.stream().map(RouteConfig::withoutSource).toList(),
                rules.stream().map(RuleConfig::withoutSource).toList());
    }
}
