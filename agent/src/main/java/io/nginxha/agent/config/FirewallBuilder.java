package io.nginxha.agent.config;

/**
 * Reads keepalived 2.2.7's nftables keywords of global_defs into a {@link FirewallConfig}, as Debian's keepalived
 * (built with nftables and without iptables) reads them: {@code vrrp_iptables} means the nftables table
 * "keepalived", with keepalived's own warning.
 */
final class FirewallBuilder {
    /** The kernel's limit on a table name (NFT_NAME_MAXLEN), less the terminating zero. */
    private static final int MAX_TABLE_NAME = 255;

    private final Values values;
    private final Problems problems;
    private String table;
    private int priority = FirewallConfig.DEFAULTS.priority();
    private boolean counters;
    private boolean ifindex;

    FirewallBuilder(Values values) {
        this.values = values;
        this.problems = values.problems();
    }

    /** Reads {@code e} if it is one of its keywords; false otherwise. */
    boolean read(Entry e) {
        switch (e.key()) {
            case "nftables" -> nftables(e);
            case "nftables_priority" -> {
                Integer p = values.integer(e, Integer.MIN_VALUE, Integer.MAX_VALUE);
                priority = p == null ? priority : p;
            }
            case "nftables_counters" -> counters = true;
            case "nftables_ifindex" -> ifindex = true;
            case "vrrp_iptables" -> {
                problems.warn(e.source(), "iptables is not supported (nor by Debian's keepalived 2.2.7): the drop rules "
                        + "go in the nftables table '" + FirewallConfig.DEFAULT_TABLE + "', as keepalived does; "
                        + "replace vrrp_iptables with nftables");
                // keepalived: the default table, and the default priority (an nftables_priority above is lost)
                table = FirewallConfig.DEFAULT_TABLE;
                priority = FirewallConfig.DEFAULTS.priority();
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private void nftables(Entry e) {
        if (table != null) {
            problems.warn(e.source(), "nftables already specified; this one is ignored, as keepalived does");
            return;
        }
        // keepalived: naming the table also sets the default priority (an nftables_priority above is lost)
        priority = FirewallConfig.DEFAULTS.priority();
        if (e.args().isEmpty()) {
            table = FirewallConfig.DEFAULT_TABLE;
            return;
        }
        String name = e.arg();
        if (name.length() > MAX_TABLE_NAME || !name.matches("[A-Za-z_][A-Za-z0-9_./-]*")) {
            problems.error(e.source(), "nftables table name must be at most " + MAX_TABLE_NAME + " letters, digits "
                    + "and _./- starting with a letter or _, got '" + name + "'");
            return;
        }
        table = name;
    }

    FirewallConfig build() {
        return new FirewallConfig(table == null ? FirewallConfig.DEFAULT_TABLE : table, priority, counters, ifindex);
    }
}
