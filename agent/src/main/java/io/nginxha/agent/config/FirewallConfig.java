package io.nginxha.agent.config;

/**
 * Where the drop rules of the instances without accept mode go: keepalived 2.2.7's nftables settings of
 * global_defs. keepalived uses them as soon as one instance needs them (no_accept, or vrrp_strict without
 * 'accept'), with these defaults when none is written; so does the agent.
 *
 * @param table    the name of the ip and ip6 tables ({@code nftables NAME}; keepalived's default "keepalived")
 * @param priority the priority of their input and output hooks ({@code nftables_priority}; default -1)
 * @param counters a counter in every drop rule ({@code nftables_counters})
 * @param ifindex  link-local VIPs matched by interface index even where keepalived would match the name
 *                 ({@code nftables_ifindex})
 */
public record FirewallConfig(String table, int priority, boolean counters, boolean ifindex) {
    public static final String DEFAULT_TABLE = "keepalived";
    public static final FirewallConfig DEFAULTS = new FirewallConfig(DEFAULT_TABLE, -1, false, false);
}
