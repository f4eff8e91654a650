package io.nginxha.agent.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the lines of {@code virtual_routes} and {@code static_routes} with keepalived 2.2.7's syntax
 * (vrrp_iproute.c alloc_route): {@code [TYPE] [to] DST [via|gw ADDR] [dev|oif IF] [src ADDR] [table N]
 * [metric|priority|preference N] [scope S] [inet|inet6] [no_track] [prepend] [via A or B]
 * [nexthop [via ADDR] [dev IF] [weight N] [onlink]]...}. Every other option keepalived knows is refused with the line
 * and the reason, never accepted and ignored. Multipath: {@code via A or B} (deprecated in keepalived, which warns)
 * becomes two next hops carrying only a gateway each, as keepalived's alloc_route builds it; {@code nexthop} ends the
 * route's own options and every word after it belongs to a next hop (parse_nexthops).
 */
final class RouteParser {
    private static final Map<String, Integer> TYPES = Map.of("unicast", 1, "blackhole", 6, "unreachable", 7,
            "prohibit", 8, "throw", 9);
    private static final Set<String> OTHER_TYPES = Set.of("local", "broadcast", "anycast", "multicast", "nat");
    private static final Map<String, Integer> SCOPES = Map.of("global", 0, "universe", 0, "site", 200, "link", 253,
            "host", 254, "nowhere", 255);
    private static final Map<String, Long> TABLES = Map.of("main", 254L, "local", 255L, "default", 253L);
    /** keepalived's route options the agent does not implement, each with why. */
    private static final Map<String, String> REFUSED = refused();

    private final Values values;
    private final Problems problems;

    RouteParser(Values values) {
        this.values = values;
        this.problems = values.problems();
    }

    /** Why keepalived's option {@code word} is refused here, or null when it is not one of those. */
    static String refusal(String word) {
        return REFUSED.get(word);
    }

    private static Map<String, String> refused() {
        Map<String, String> m = new java.util.HashMap<>();
        String metrics = "per-route TCP metrics are not implemented";
        for (String k : List.of("mtu", "hoplimit", "advmss", "rtt", "rttvar", "reordering", "window", "cwnd",
                "ssthresh", "rto_min", "initcwnd", "initrwnd", "features", "quickack", "congctl",
                "fastopen_no_cookie")) {
            m.put(k, metrics);
        }
        m.put("tos", "routes by TOS are not implemented");
        m.put("dsfield", "routes by TOS are not implemented");
        m.put("from", "IPv6 source-specific routes are not implemented");
        m.put("as", "MPLS routes are not implemented");
        m.put("encap", "lightweight tunnel encapsulation is not implemented");
        m.put("onlink", "'onlink' on the whole route is not implemented; write it per next hop "
                + "('nexthop via ADDR dev IF onlink')");
        m.put("expires", "expiring routes are not implemented");
        m.put("realms", "route realms are not implemented");
        m.put("pref", "IPv6 router preference is not implemented");
        m.put("ttl-propagate", "MPLS TTL propagation is not implemented");
        m.put("add", "only keepalived's default 'prepend' is implemented");
        m.put("append", "only keepalived's default 'prepend' is implemented");
        m.put("protocol", "the agent marks every route 'proto keepalived' (18), keepalived's default");
        m.put("track_group", "static track groups are not implemented");
        m.put("vrf", "VRFs are not implemented");
        return m;
    }

    List<RouteConfig> routes(Entry block) {
        List<RouteConfig> out = new ArrayList<>();
        List<Entry> lines = values.block(block);
        for (Entry line : lines == null ? List.<Entry>of() : lines) {
            RouteConfig r = route(line, block.key());
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** All the words of a line: its key and its arguments. */
    static List<String> words(Entry line) {
        List<String> w = new ArrayList<>();
        w.add(line.key());
        w.addAll(line.args());
        return w;
    }

    RouteConfig route(Entry line, String where) {
        if (line.block() != null) {
            problems.error(line.source(), "unexpected { } block in " + where);
            return null;
        }
        List<String> w = words(line);
        int errorsBefore = problems.errors().size();
        Boolean ipv6 = null;
        Prefix dst = null;
        InetAddress via = null;
        InetAddress src = null;
        String dev = null;
        long table = RouteConfig.TABLE_MAIN;
        Long metric = null;
        int scope = 0;
        int type = RouteConfig.TYPE_UNICAST;
        boolean typed = false;
        boolean noTrack = false;
        List<RouteNexthop> nexthops = new ArrayList<>();
        int nexthopAt = -1;
        words:
        for (int i = 0; i < w.size(); i++) {
            String word = w.get(i);
            String what = where + " option '" + word + "'";
            switch (word) {
                case "inet", "inet6" -> ipv6 = family(line, where, ipv6, word.equals("inet6"));
                case "no_track" -> noTrack = true;
                case "prepend" -> { } // keepalived's default: create, without NLM_F_EXCL
                case "nexthop" -> {
                    if (!nexthops.isEmpty()) {
                        problems.error(line.source(), "'nexthop' in " + where + " cannot follow 'or' (keepalived "
                                + "refuses both on one route); write every gateway as a nexthop clause");
                        return null;
                    }
                    nexthopAt = i;
                    break words;
                }
                case "or" -> {
                    if (i + 1 >= w.size()) {
                        problems.error(line.source(), "'or' in " + where + " needs a value");
                        return null;
                    }
                    if (!nexthops.isEmpty()) {
                        problems.error(line.source(), "a second 'or' in " + where + " (keepalived ignores every 'or' "
                                + "after the first); write the gateways as nexthop clauses");
                        return null;
                    }
                    if (via == null) {
                        problems.error(line.source(), "'or' in " + where + " needs 'via ADDR' before it: the two "
                                + "gateways of 'via A or B' become the route's two next hops");
                        return null;
                    }
                    InetAddress alt = values.address(line, where + " or", w.get(++i));
                    if (alt == null) {
                        return null;
                    }
                    ipv6 = family(line, where, ipv6, alt instanceof Inet6Address);
                    problems.warn(line.source(), "'or' in " + where + " is deprecated in keepalived; write "
                            + "'nexthop via " + via.getHostAddress() + " nexthop via " + alt.getHostAddress() + "'");
                    nexthops.add(new RouteNexthop(via, null, null, false));
                    nexthops.add(new RouteNexthop(alt, null, null, false));
                    via = null;
                }
                case "via", "gw", "src", "dev", "oif", "table", "metric", "priority", "preference", "scope" -> {
                    if (i + 1 >= w.size()) {
                        problems.error(line.source(), "'" + word + "' in " + where + " needs a value");
                        return null;
                    }
                    String v = w.get(++i);
                    if ((word.equals("via") || word.equals("gw")) && !nexthops.isEmpty()) {
                        problems.error(line.source(), "'" + word + "' after 'or' in " + where + ": write 'via A or B' "
                                + "once, or nexthop clauses");
                        return null;
                    }
                    if (word.equals("via") || word.equals("gw")) {
                        if ((v.equals("inet") || v.equals("inet6")) && i + 1 < w.size()) {
                            ipv6 = family(line, where, ipv6, v.equals("inet6"));
                            v = w.get(++i);
                        }
                        if (word.equals("gw")) {
                            problems.warn(line.source(), "'gw' in " + where + " is deprecated in keepalived; "
                                    + "write 'via'");
                        }
                        via = values.address(line, where + " via", v);
                        ipv6 = via == null ? ipv6 : family(line, where, ipv6, via instanceof Inet6Address);
                    } else if (word.equals("src")) {
                        src = values.address(line, where + " src", v);
                        ipv6 = src == null ? ipv6 : family(line, where, ipv6, src instanceof Inet6Address);
                    } else if (word.equals("dev") || word.equals("oif")) {
                        dev = v;
                    } else if (word.equals("table")) {
                        Long t = table(line, where, v, false);
                        if (t == null) {
                            return null;
                        }
                        table = t;
                    } else if (word.equals("scope")) {
                        Long s = SCOPES.containsKey(v) ? Long.valueOf(SCOPES.get(v)) : number(line, what, v, 255);
                        if (s == null) {
                            return null;
                        }
                        scope = s.intValue();
                    } else {
                        metric = number(line, what, v, 0xffffffffL);
                        if (metric == null) {
                            return null;
                        }
                    }
                }
                default -> {
                    if (REFUSED.containsKey(word)) {
                        problems.error(line.source(), "'" + word + "' in " + where + " is not supported by "
                                + "vrrp-agent: " + REFUSED.get(word));
                        return null;
                    }
                    if (OTHER_TYPES.contains(word)) {
                        problems.error(line.source(), "route type '" + word + "' in " + where + " is not "
                                + "supported by vrrp-agent: only unicast, blackhole, unreachable, prohibit and throw");
                        return null;
                    }
                    if (word.equals("to") && i + 1 < w.size()) {
                        word = w.get(++i);
                    }
                    if (TYPES.containsKey(word) && i + 1 < w.size()) {
                        type = TYPES.get(word);
                        typed = true;
                        word = w.get(++i);
                    }
                    if (dst != null) {
                        problems.error(line.source(), where + " line has two destinations ('" + dst.text + "' and '"
                                + word + "')");
                        return null;
                    }
                    dst = prefix(line, where, word);
                    if (dst == null) {
                        return null;
                    }
                    if (dst.address != null) {
                        ipv6 = family(line, where, ipv6, dst.address instanceof Inet6Address);
                    }
                }
            }
        }
        if (nexthopAt >= 0) {
            ipv6 = new NexthopParser(values, this).nexthops(line, where, w, nexthopAt, ipv6, nexthops);
            if (via != null && problems.errors().size() == errorsBefore) {
                problems.error(line.source(), "'via' in " + where + " together with nexthop clauses: a multipath "
                        + "route takes its gateways from its next hops ('nexthop via ADDR ...')");
            }
        } else if (!nexthops.isEmpty() && dev != null) {
            // keepalived 2.2.7 sends 'or' next hops without an interface beside RTA_OIF; the kernel refuses that
            problems.error(line.source(), "'dev' with 'via A or B' in " + where + " is not supported by vrrp-agent: "
                    + "keepalived sends the next hops without the interface, which the kernel refuses for IPv4 ('Nexthop "
                    + "device index does not match RTA_OIF') and ignores for IPv6; write "
                    + "'nexthop via A dev " + dev + " nexthop via B dev " + dev + "'");
        }
        if (problems.errors().size() > errorsBefore) { // a bad address or a mixed family, reported above
            return null;
        }
        if (dst == null) {
            problems.error(line.source(), where + " line has no destination; keepalived requires one");
            return null;
        }
        boolean v6 = ipv6 != null && ipv6;
        return new RouteConfig(v6, dst.address, dst.prefix, via, dev, src, table, metric, scope, type, typed, noTrack,
                line.source(), nexthops);
    }

    /** Sets or checks the family of a line; keepalived refuses a line mixing IPv4 and IPv6. */
    Boolean family(Entry line, String where, Boolean known, boolean ipv6) {
        if (known != null && known != ipv6) {
            problems.error(line.source(), where + " line mixes IPv4 and IPv6 addresses");
            return known;
        }
        return ipv6;
    }

    /** A destination, a from or a to: ADDR[/LEN], or default/any/all (any address, prefix 0). */
    record Prefix(String text, InetAddress address, int prefix) { }

    Prefix prefix(Entry line, String where, String text) {
        if (text.equals("default") || text.equals("any") || text.equals("all")) {
            return new Prefix(text, null, 0);
        }
        int slash = text.indexOf('/');
        InetAddress a = Values.ipLiteral(slash < 0 ? text : text.substring(0, slash));
        if (a == null) {
            problems.error(line.source(), "unknown word '" + text + "' in " + where + " (expected an address, "
                    + "ADDR/PREFIX or a known option)");
            return null;
        }
        int max = a instanceof Inet6Address ? 128 : 32;
        int len = max;
        if (slash >= 0) {
            Integer p = values.integer(line, where + " prefix length", text.substring(slash + 1), 0, max);
            if (p == null) {
                return null;
            }
            len = p;
        }
        return new Prefix(text, a, len);
    }

    /** A table by number (1..2^32-1) or by the names every host has; other rt_tables names are refused. */
    Long table(Entry line, String where, String v, boolean zeroAllowed) {
        if (TABLES.containsKey(v)) {
            return TABLES.get(v);
        }
        Long t = v.matches("\\d+") ? number(line, where + " table", v, 0xffffffffL) : null;
        if (t == null || t == 0 && !zeroAllowed) {
            problems.error(line.source(), where + " table must be a number 1..4294967295, main, local or default, "
                    + "got '" + v + "' (names from /etc/iproute2/rt_tables are not read by vrrp-agent)");
            return null;
        }
        return t;
    }

    /** A decimal, 0x-hex or 0-octal number 0..max, as keepalived's strtoul-based readers take it. */
    Long number(Entry line, String what, String v, long max) {
        Long n = parseNumber(v);
        if (n == null || n > max) {
            problems.error(line.source(), what + " must be a number 0.." + max + ", got '" + v + "'");
            return null;
        }
        return n;
    }

    static Long parseNumber(String v) {
        try {
            if (v.startsWith("0x") || v.startsWith("0X")) {
                return Long.parseLong(v.substring(2), 16);
            }
            if (v.length() > 1 && v.startsWith("0")) {
                return Long.parseLong(v.substring(1), 8);
            }
            return v.matches("\\d{1,12}") ? Long.parseLong(v) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String typeName(int type) {
        return TYPES.entrySet().stream().filter(e -> e.getValue() == type).map(Map.Entry::getKey).findFirst()
                .orElse(String.valueOf(type));
    }
}
