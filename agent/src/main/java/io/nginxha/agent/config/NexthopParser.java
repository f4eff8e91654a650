package io.nginxha.agent.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * The nexthop clauses that end a multipath route line, as keepalived 2.2.7's parse_nexthops reads them:
 * {@code nexthop [via [inet|inet6] ADDR] [dev IF] [weight 1..256] [onlink]}, repeated; every word after the first
 * {@code nexthop} belongs to a next hop, so anything else there is an error naming the word.
 */
final class NexthopParser {
    private final Values values;
    private final Problems problems;
    private final RouteParser routes;

    NexthopParser(Values values, RouteParser routes) {
        this.values = values;
        this.problems = values.problems();
        this.routes = routes;
    }

    /**
     * The nexthop clauses from {@code w[at]} (a "nexthop") to the end of the line, into {@code out}; the family as
     * far as known. Errors are reported on the line (the caller checks the count).
     */
    Boolean nexthops(Entry line, String where, List<String> w, int at, Boolean ipv6, List<RouteNexthop> out) {
        int i = at;
        while (i < w.size() && w.get(i).equals("nexthop")) {
            i++;
            InetAddress via = null;
            String dev = null;
            Integer weight = null;
            boolean onlink = false;
            options:
            while (i < w.size()) {
                String o = w.get(i);
                switch (o) {
                    case "via", "dev", "weight" -> {
                        if (i + 1 >= w.size()) {
                            problems.error(line.source(), "'" + o + "' of a nexthop in " + where + " needs a value");
                            return ipv6;
                        }
                        String v = w.get(++i);
                        if (o.equals("via")) {
                            if ((v.equals("inet") || v.equals("inet6")) && i + 1 < w.size()) {
                                ipv6 = routes.family(line, where, ipv6, v.equals("inet6"));
                                v = w.get(++i);
                            }
                            via = values.address(line, where + " nexthop via", v);
                            if (via == null) {
                                return ipv6;
                            }
                            ipv6 = routes.family(line, where, ipv6, via instanceof Inet6Address);
                        } else if (o.equals("dev")) {
                            dev = v;
                        } else {
                            Long n = routes.number(line, where + " nexthop weight", v, 256);
                            if (n != null && n == 0) {
                                problems.error(line.source(), where + " nexthop weight must be 1..256, got '" + v
                                        + "'");
                            }
                            if (n == null || n == 0) {
                                return ipv6;
                            }
                            weight = n.intValue();
                        }
                    }
                    case "onlink" -> onlink = true;
                    case "encap", "realms", "as" -> {
                        problems.error(line.source(), "'" + o + "' of a nexthop in " + where + " is not supported "
                                + "by vrrp-agent: " + RouteParser.refusal(o));
                        return ipv6;
                    }
                    default -> {
                        break options;
                    }
                }
                i++;
            }
            if (via == null && dev == null) {
                problems.error(line.source(), "a nexthop in " + where + " needs 'via ADDR' or 'dev IF'");
                return ipv6;
            }
            out.add(new RouteNexthop(via, dev, weight, onlink));
        }
        if (i < w.size()) {
            problems.error(line.source(), "unexpected '" + w.get(i) + "' after the nexthop clauses in " + where
                    + " (every word after the first 'nexthop' belongs to a next hop: via, dev, weight, onlink; "
                    + "write the route's own options before it)");
        }
        return ipv6;
    }
}
