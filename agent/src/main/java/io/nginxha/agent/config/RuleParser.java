package io.nginxha.agent.config;

import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the lines of {@code virtual_rules} and {@code static_rules} with keepalived 2.2.7's syntax
 * (vrrp_iprule.c alloc_rule): {@code [inet|inet6] [not] [from P] [to P] [iif|dev IF] [oif IF] [fwmark M[/MASK]]
 * [priority|preference|order N] ACTION [no_track]}, ACTION being {@code table|lookup T} or {@code [type]
 * blackhole|unreachable|prohibit}. A rule needs an action. Without a priority keepalived numbers rules from 16384
 * down (per family, in the order of the file) and warns; so does the agent. Other options are refused. A
 * {@code from} or {@code to} that is not an address (keepalived's own sample writes {@code 192.168.100./24}) drops
 * the line with a warning, as keepalived drops the rule (in keepalived.conf; the YAML keeps it an error); it takes
 * no automatic priority.
 */
final class RuleParser {
    /** keepalived's RULE_START_PRIORITY. */
    static final long FIRST_AUTOMATIC_PRIORITY = 16384;
    private static final Map<String, Integer> ACTIONS = Map.of("blackhole", 6, "unreachable", 7, "prohibit", 8);
    private static final Map<String, String> REFUSED = new HashMap<>();

    static {
        REFUSED.put("tos", "rules by TOS are not implemented");
        REFUSED.put("dsfield", "rules by TOS are not implemented");
        REFUSED.put("realms", "route realms are not implemented");
        for (String k : List.of("suppress_prefixlength", "sup_pl", "suppress_ifgroup", "sup_group")) {
            REFUSED.put(k, "rule suppressors are not implemented");
        }
        REFUSED.put("tunnel-id", "tunnel id rules are not implemented");
        REFUSED.put("uidrange", "uid range rules are not implemented");
        REFUSED.put("l3mdev", "VRFs (l3mdev) are not implemented");
        REFUSED.put("protocol", "the agent marks rules 'proto keepalived' (18) as keepalived does, or none with "
                + "no_track");
        REFUSED.put("ipproto", "rules by IP protocol are not implemented");
        REFUSED.put("sport", "rules by port are not implemented");
        REFUSED.put("dport", "rules by port are not implemented");
        REFUSED.put("goto", "goto rules are not implemented");
        REFUSED.put("nop", "nop rules are not implemented");
        REFUSED.put("track_group", "static track groups are not implemented");
    }

    private final Values values;
    private final Problems problems;
    private final RouteParser routes;
    /** keepalived's counters of rules written without a priority, one per family, across the whole file. */
    private long nextV4 = FIRST_AUTOMATIC_PRIORITY;
    private long nextV6 = FIRST_AUTOMATIC_PRIORITY;

    RuleParser(Values values) {
        this.values = values;
        this.problems = values.problems();
        this.routes = new RouteParser(values);
    }

    List<RuleConfig> rules(Entry block) {
        List<RuleConfig> out = new ArrayList<>();
        List<Entry> lines = values.block(block);
        for (Entry line : lines == null ? List.<Entry>of() : lines) {
            RuleConfig r = rule(line, block.key());
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    RuleConfig rule(Entry line, String where) {
        if (line.block() != null) {
            problems.error(line.source(), "unexpected { } block in " + where);
            return null;
        }
        List<String> w = RouteParser.words(line);
        int errorsBefore = problems.errors().size();
        Boolean ipv6 = null;
        RouteParser.Prefix from = null;
        RouteParser.Prefix to = null;
        boolean invert = false;
        Long priority = null;
        Integer action = null;
        long table = 0;
        String iif = null;
        String oif = null;
        Long fwmark = null;
        Long fwmask = null;
        boolean noTrack = false;
        for (int i = 0; i < w.size(); i++) {
            String word = w.get(i);
            if (word.equals("type") && i + 1 < w.size()) {
                word = w.get(++i);
            }
            boolean needsValue = List.of("from", "to", "table", "lookup", "priority", "preference", "order",
                    "iif", "dev", "oif", "fwmark").contains(word);
            if (needsValue && i + 1 >= w.size()) {
                problems.error(line.source(), "'" + word + "' in " + where + " needs a value");
                return null;
            }
            String v = needsValue ? w.get(++i) : null;
            switch (word) {
                case "inet", "inet6" -> ipv6 = family(line, where, ipv6, word.equals("inet6"));
                case "not" -> invert = true;
                case "no_track" -> noTrack = true;
                case "from", "to" -> {
                    if (problems.keepalivedSyntax() && invalidAddress(v)) {
                        // keepalived 2.2.7 alloc_rule: "Invalid rule to address X", and the whole rule is freed
                        problems.warn(line.source(), where + " line dropped: '" + v + "' after '" + word + "' is not "
                                + "a valid address or ADDR/PREFIX, and keepalived skips the whole rule (\"Invalid rule "
                                + word + " address " + v + "\"); no rule of this line is installed");
                        return null;
                    }
                    RouteParser.Prefix p = routes.prefix(line, where + " " + word, v);
                    if (p == null) {
                        return null;
                    }
                    if (p.address() != null) {
                        ipv6 = family(line, where, ipv6, p.address() instanceof Inet6Address);
                    }
                    if (word.equals("from")) {
                        from = p;
                    } else {
                        to = p;
                    }
                }
                case "table", "lookup" -> {
                    Long t = routes.table(line, where, v, false);
                    if (t == null || !oneAction(line, where, action)) {
                        return null;
                    }
                    table = t;
                    action = RuleConfig.ACTION_TABLE;
                }
                case "priority", "preference", "order" -> {
                    priority = routes.number(line, where + " " + word, v, 0xffffffffL);
                    if (priority == null) {
                        return null;
                    }
                }
                case "iif", "dev" -> iif = v;
                case "oif" -> oif = v;
                case "fwmark" -> {
                    int slash = v.indexOf('/');
                    fwmark = routes.number(line, where + " fwmark", slash < 0 ? v : v.substring(0, slash), 0xffffffffL);
                    if (slash >= 0 && fwmark != null) {
                        fwmask = routes.number(line, where + " fwmark mask", v.substring(slash + 1), 0xffffffffL);
                    }
                    if (fwmark == null || slash >= 0 && fwmask == null) {
                        return null;
                    }
                }
                default -> {
                    if (ACTIONS.containsKey(word)) {
                        if (!oneAction(line, where, action)) {
                            return null;
                        }
                        action = ACTIONS.get(word);
                    } else if (REFUSED.containsKey(word)) {
                        problems.error(line.source(), "'" + word + "' in " + where + " is not supported by "
                                + "vrrp-agent: " + REFUSED.get(word));
                        return null;
                    } else {
                        problems.error(line.source(), "unknown rule option '" + word + "' in " + where);
                        return null;
                    }
                }
            }
        }
        if (problems.errors().size() > errorsBefore) { // mixed families, reported above
            return null;
        }
        if (action == null) {
            problems.error(line.source(), where + " line has no action; keepalived needs 'table N' or blackhole, "
                    + "unreachable or prohibit");
            return null;
        }
        boolean v6 = ipv6 != null && ipv6;
        if (priority == null) {
            priority = v6 ? nextV6-- : nextV4--;
            problems.warn(line.source(), where + " line has no priority; it gets " + priority + " as keepalived "
                    + "gives it, which is probably not what you want");
        }
        return new RuleConfig(v6, from == null ? null : from.address(), from == null ? 0 : from.prefix(),
                from != null && from.address() == null, to == null ? null : to.address(), to == null ? 0 : to.prefix(),
                invert, priority, action, table, iif, oif, fwmark, fwmask, noTrack, line.source());
    }

    /**
     * Whether keepalived's parse_route would refuse {@code text} (a bad address or prefix length): asked of a
     * route parser that reports into a scratch list, so the route parser's own messages stay as they are.
     */
    private static boolean invalidAddress(String text) {
        Problems scratch = new Problems();
        Entry probe = new Entry("probe", List.of(), List.of(), null, new Source(java.nio.file.Path.of("probe"), 0));
        return new RouteParser(new Values(scratch)).prefix(probe, "probe", text) == null;
    }

    private boolean oneAction(Entry line, String where, Integer action) {
        if (action != null) {
            problems.error(line.source(), where + " line has more than one action (table, blackhole, unreachable, "
                    + "prohibit)");
            return false;
        }
        return true;
    }

    private Boolean family(Entry line, String where, Boolean known, boolean ipv6) {
        if (known != null && known != ipv6) {
            problems.error(line.source(), where + " line mixes IPv4 and IPv6");
        }
        return ipv6;
    }

    static String actionName(int action) {
        return ACTIONS.entrySet().stream().filter(e -> e.getValue() == action).map(Map.Entry::getKey).findFirst()
                .orElse("action " + action);
    }
}
