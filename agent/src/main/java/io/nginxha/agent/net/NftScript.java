package io.nginxha.agent.net;

import io.nginxha.agent.config.FirewallConfig;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The nft script that makes keepalived 2.2.7's accept-mode tables hold exactly a set of blocked addresses
 * (vrrp_nftables.c: the same table, chain and set names, hooks and rules). Pure: {@link NftFirewall} runs it.
 *
 * <p>Each family's table is replaced whole in one transaction ({@code table; delete table; table {...}}), so a
 * failed script leaves the previous rules in force, and a table the agent no longer needs is deleted: a family
 * without blocked addresses has no table. IPv4: {@code in} drops packets to the VIPs, {@code out} packets from
 * them. IPv6 the same, but neighbour solicitations and advertisements pass (the VIPs must still be resolvable), and
 * link-local VIPs are matched with their interface.
 */
public final class NftScript {
    private NftScript() { }

    /**
     * The script for {@code blocked}, given which families' tables may exist now ({@code ipv4Present},
     * {@code ipv6Present}: deleted when no longer needed). Empty when there is nothing to do.
     */
    public static String render(FirewallConfig c, Set<Firewall.Blocked> blocked, boolean ipv4Present,
                                boolean ipv6Present) {
        StringBuilder out = new StringBuilder();
        List<Firewall.Blocked> v4 = select(blocked, b -> b.address() instanceof Inet4Address);
        List<Firewall.Blocked> v6 = select(blocked, b -> b.address() instanceof Inet6Address);
        if (!v4.isEmpty() || ipv4Present) {
            drop(out, "ip", c.table());
        }
        if (!v4.isEmpty()) {
            ipv4(out, c, v4);
        }
        if (!v6.isEmpty() || ipv6Present) {
            drop(out, "ip6", c.table());
        }
        if (!v6.isEmpty()) {
            ipv6(out, c, v6);
        }
        return out.toString();
    }

    /** Deletes the table if it exists (declaring it first makes the delete succeed either way). */
    private static void drop(StringBuilder out, String family, String table) {
        out.append("table ").append(family).append(' ').append(table).append('\n');
        out.append("delete table ").append(family).append(' ').append(table).append('\n');
    }

    private static void ipv4(StringBuilder out, FirewallConfig c, List<Firewall.Blocked> v4) {
        String drop = verdict(c);
        out.append("table ip ").append(c.table()).append(" {\n");
        out.append("  set vips {\n    type ipv4_addr\n    elements = { ").append(addresses(v4)).append(" }\n  }\n");
        out.append("  chain in {\n    type filter hook input priority ").append(c.priority()).append("; policy accept;\n");
        out.append("    ip daddr @vips ").append(drop).append("\n  }\n");
        out.append("  chain out {\n    type filter hook output priority ").append(c.priority()).append("; policy accept;\n");
        out.append("    ip saddr @vips ").append(drop).append("\n  }\n}\n");
    }

    private static void ipv6(StringBuilder out, FirewallConfig c, List<Firewall.Blocked> v6) {
        String drop = verdict(c);
        List<Firewall.Blocked> global = select(v6, b -> !b.address().isLinkLocalAddress());
        List<Firewall.Blocked> byIndex = select(v6, b -> b.address().isLinkLocalAddress() && !byName(c, b));
        List<Firewall.Blocked> byName = select(v6, b -> b.address().isLinkLocalAddress() && byName(c, b));
        out.append("table ip6 ").append(c.table()).append(" {\n");
        out.append("  set vips {\n    type ipv6_addr\n");
        if (!global.isEmpty()) {
            out.append("    elements = { ").append(addresses(global)).append(" }\n");
        }
        out.append("  }\n");
        out.append("  set neighbor-discovery {\n    type icmpv6_type\n    flags constant\n"
                + "    elements = { nd-neighbor-solicit, nd-neighbor-advert }\n  }\n");
        linkLocalSet(out, "vips_link_local", "iface_index", byIndex);
        linkLocalSet(out, "vips_link_local_name", "ifname", byName);
        out.append("  chain in {\n    type filter hook input priority ").append(c.priority()).append("; policy accept;\n");
        out.append("    icmpv6 type @neighbor-discovery accept\n");
        out.append("    ip6 daddr fe80::/10 goto in_link_local\n");
        out.append("    ip6 daddr @vips ").append(drop).append("\n  }\n");
        out.append("  chain out {\n    type filter hook output priority ").append(c.priority()).append("; policy accept;\n");
        out.append("    icmpv6 type @neighbor-discovery accept\n");
        out.append("    ip6 saddr fe80::/10 goto out_link_local\n");
        out.append("    ip6 saddr @vips ").append(drop).append("\n  }\n");
        out.append("  chain in_link_local {\n");
        linkLocalRule(out, "daddr", "iif", "vips_link_local", byIndex, drop);
        linkLocalRule(out, "daddr", "iifname", "vips_link_local_name", byName, drop);
        out.append("  }\n  chain out_link_local {\n");
        linkLocalRule(out, "saddr", "oif", "vips_link_local", byIndex, drop);
        linkLocalRule(out, "saddr", "oifname", "vips_link_local_name", byName, drop);
        out.append("  }\n}\n");
    }

    /** keepalived matches a link-local VIP by interface name only with dont_track_primary, unless nftables_ifindex. */
    private static boolean byName(FirewallConfig c, Firewall.Blocked b) {
        return b.byName() && !c.ifindex();
    }

    private static void linkLocalSet(StringBuilder out, String name, String ifType, List<Firewall.Blocked> entries) {
        if (entries.isEmpty()) {
            return;
        }
        out.append("  set ").append(name).append(" {\n    type ipv6_addr . ").append(ifType).append("\n    elements = { ");
        out.append(String.join(", ", entries.stream().map(b -> b.address().getHostAddress().replaceAll("%.*", "")
                + " . \"" + b.iface() + "\"").sorted().toList()));
        out.append(" }\n  }\n");
    }

    private static void linkLocalRule(StringBuilder out, String addr, String meta, String set,
                                      List<Firewall.Blocked> entries, String drop) {
        if (!entries.isEmpty()) {
            out.append("    ip6 ").append(addr).append(" . ").append(meta).append(" @").append(set).append(' ')
                    .append(drop).append('\n');
        }
    }

    /** {@code counter drop} with nftables_counters, as keepalived adds a counter to each rule then. */
    private static String verdict(FirewallConfig c) {
        return c.counters() ? "counter drop" : "drop";
    }

    private static List<Firewall.Blocked> select(Iterable<Firewall.Blocked> all, Predicate<Firewall.Blocked> which) {
        List<Firewall.Blocked> out = new java.util.ArrayList<>();
        all.forEach(b -> {
            if (which.test(b)) {
                out.add(b);
            }
        });
        return out;
    }

    private static String addresses(List<Firewall.Blocked> list) {
        Set<String> sorted = new TreeSet<>();
        list.forEach(b -> sorted.add(b.address().getHostAddress().replaceAll("%.*", "")));
        return String.join(", ", sorted);
    }
}
