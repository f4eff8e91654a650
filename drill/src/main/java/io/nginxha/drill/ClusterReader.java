package io.nginxha.drill;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The VIPs of an inventory and the order in which its hosts should hold each, worked out as the vrrp_agent role
 * does (ansible/roles/vrrp_agent/filter_plugins/vrrp_agent_cluster.py, whose rules this mirrors; the role's checks
 * refuse what this would have to guess about, such as two hosts with one priority):
 * <ul>
 *   <li>active-active ({@code nginx_ha_active_active}): the n-th VIP of {@code vrrp_agent_virtual_ipaddresses} is
 *       mastered by the n-th host, then the following hosts in order, wrapping round;</li>
 *   <li>a list ({@code vrrp_agent_instances}): each instance's first VIP, its hosts by priority
 *       ({@code priorities}, else each host's {@code vrrp_agent_priority});</li>
 *   <li>one instance: the first VIP, the hosts by {@code vrrp_agent_priority}, a MASTER state first among equals.</li>
 * </ul>
 */
public final class ClusterReader {
    static final int DEFAULT_PRIORITY = 100;

    private ClusterReader() { }

    /** The cluster; {@code mainUrl} (the command line's --url) replaces the first VIP's URL when not null. */
    public static Cluster read(Inventory inv, URI mainUrl) throws DrillException {
        List<String> hosts = inv.hosts().stream().map(Inventory.Host::name).toList();
        Inventory.Var aa = first(inv, "vrrp_agent_active_active", "nginx_ha_active_active");
        Inventory.Var listed = inv.groupVars().get("vrrp_agent_instances");
        List<Cluster.Vip> vips = new ArrayList<>();
        if (aa != null && truthy(aa.value())) {
            List<String> addresses = vipLines(inv, mainUrl == null);
            if (addresses.size() != hosts.size()) {
                throw new DrillException(aa.source() + ": active-active needs one VIP per host; "
                        + "vrrp_agent_virtual_ipaddresses has " + addresses.size() + " for " + hosts.size() + " hosts");
            }
            for (int j = 0; j < addresses.size(); j++) {
                List<String> order = new ArrayList<>();
                for (int k = 0; k < hosts.size(); k++) {
                    order.add(hosts.get((j + k) % hosts.size()));
                }
                vips.add(new Cluster.Vip("VI_" + (j + 1), url(addresses.get(j), aa.source()), order));
            }
        } else if (listed != null && listed.value() instanceof List<?> list && !list.isEmpty()) {
            for (int k = 0; k < list.size(); k++) {
                vips.add(listedVip(inv, hosts, list.get(k), listed.source() + ": vrrp_agent_instances[" + k + "]"));
            }
        } else {
            List<String> addresses = vipLines(inv, mainUrl == null);
            Map<String, Integer> priorities = new LinkedHashMap<>();
            for (Inventory.Host h : inv.hosts()) {
                priorities.put(h.name(), priority(h.var("vrrp_agent_priority", inv.groupVars()), h.name()));
            }
            List<String> order = new ArrayList<>(hosts);
            order.sort(Comparator.comparing((String h) -> -priorities.get(h))
                    .thenComparing(h -> isMaster(inv, h) ? 0 : 1));
            String name = textOr(inv.groupVars().get("vrrp_agent_instance_name"), "VI_1");
            vips.add(new Cluster.Vip(name, addresses.isEmpty() ? mainUrl : url(addresses.get(0),
                    inv.groupVars().get("vrrp_agent_virtual_ipaddresses").source()), order));
        }
        if (mainUrl != null) {
            Cluster.Vip main = vips.get(0);
            vips.set(0, new Cluster.Vip(main.instance(), mainUrl, main.order()));
        }
        return new Cluster(hosts, vips);
    }

    private static Cluster.Vip listedVip(Inventory inv, List<String> hosts, Object spec, String where)
            throws DrillException {
        if (!(spec instanceof Map<?, ?> m) || !(m.get("virtual_ipaddresses") instanceof List<?> lines)
                || lines.isEmpty()) {
            throw new DrillException(where + ": expected a mapping with name and virtual_ipaddresses (a list)");
        }
        List<String> members = new ArrayList<>();
        if (m.get("hosts") instanceof List<?> named) {
            named.forEach(h -> members.add(String.valueOf(h)));
        } else {
            members.addAll(hosts);
        }
        Map<?, ?> given = m.get("priorities") instanceof Map<?, ?> p ? p : Map.of();
        Map<String, Integer> priorities = new LinkedHashMap<>();
        for (String h : members) {
            Inventory.Host host = inv.hosts().stream().filter(x -> x.name().equals(h)).findFirst()
                    .orElseThrow(() -> new DrillException(where + ": host " + h + " is not in the inventory"));
            Object value = given.containsKey(h) ? given.get(h) : plain(host.var("vrrp_agent_priority",
                    inv.groupVars()));
            priorities.put(h, priority(value == null ? null : new Inventory.Var(value, where), h));
        }
        members.sort(Comparator.comparing(h -> -priorities.get(h)));
        return new Cluster.Vip(String.valueOf(m.get("name")), url(String.valueOf(lines.get(0)), where), members);
    }

    private static List<String> vipLines(Inventory inv, boolean required) throws DrillException {
        Inventory.Var v = inv.groupVars().get("vrrp_agent_virtual_ipaddresses");
        if (v == null || !(v.value() instanceof List<?> list) || list.isEmpty() || list.get(0) == null) {
            if (!required) {
                return List.of();
            }
            throw new DrillException(inv.dir() + ": group " + Inventory.GROUP
                    + " has no vrrp_agent_virtual_ipaddresses list (expected the VIP first, or give --url)");
        }
        return list.stream().map(String::valueOf).toList();
    }

    /** A keepalived address line ("10.0.0.10/24 dev eth1 label eth1:1") as the URL of its page. */
    static URI url(String line, String source) throws DrillException {
        if (line.contains("{{")) {
            throw new DrillException(source + ": '" + line + "' is a Jinja expression, which the drill does not "
                    + "evaluate (expected a plain address, or give --url)");
        }
        String address = line.strip().split("\\s+")[0].replaceFirst("/\\d+$", "");
        String host = address.contains(":") ? "[" + address + "]" : address;
        try {
            URI u = URI.create("http://" + host + "/");
            if (u.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new DrillException(source + ": VIP '" + line + "' is not an address (expected e.g. 10.0.0.10/24)");
        }
    }

    private static int priority(Inventory.Var v, String host) throws DrillException {
        Object value = plain(v);
        if (value == null) {
            return DEFAULT_PRIORITY;
        }
        String text = String.valueOf(value).strip();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new DrillException(v.source() + ": host " + host + ": priority '" + text + "' is not a number"
                    + (text.contains("{{") ? " (a Jinja expression, which the drill does not evaluate)" : ""));
        }
    }

    private static boolean isMaster(Inventory inv, String host) {
        Inventory.Host h = inv.hosts().stream().filter(x -> x.name().equals(host)).findFirst().orElseThrow();
        return "MASTER".equalsIgnoreCase(String.valueOf(plain(h.var("vrrp_agent_state", inv.groupVars()))));
    }

    private static Inventory.Var first(Inventory inv, String... keys) {
        for (String k : keys) {
            if (inv.groupVars().containsKey(k)) {
                return inv.groupVars().get(k);
            }
        }
        return null;
    }

    private static boolean truthy(Object value) {
        return value != null && List.of("true", "yes", "1", "on").contains(String.valueOf(value).strip()
                .toLowerCase(Locale.ROOT));
    }

    private static String textOr(Inventory.Var v, String fallback) {
        Object value = plain(v);
        return value == null || String.valueOf(value).contains("{{") ? fallback : String.valueOf(value);
    }

    private static Object plain(Inventory.Var v) {
        return v == null ? null : v.value();
    }
}
