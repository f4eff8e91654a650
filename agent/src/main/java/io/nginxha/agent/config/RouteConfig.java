package io.nginxha.agent.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * One route line ({@code 10.99.0.0/24 via 192.168.16.1 dev eth0 table 100 metric 5}) with keepalived 2.2.7's
 * defaults: table main, scope global, type unicast, protocol keepalived (18), added as {@code ip route prepend}
 * does (create, no exclusive flag).
 *
 * @param ipv6      the family: from the first address written, IPv4 when none says otherwise
 * @param dst       destination network; null with {@code dstPrefix} 0 for {@code default}
 * @param dstPrefix destination prefix length
 * @param via       gateway, or null
 * @param dev       output interface, or null
 * @param src       preferred source address ({@code src}), or null
 * @param table     routing table id (254 main)
 * @param metric    route priority, or null when not written
 * @param scope     rtm_scope (0 global, 253 link, 254 host)
 * @param type      rtm_type (1 unicast, 6 blackhole, 7 unreachable, 8 prohibit, 9 throw)
 * @param typed     whether the type was written (a delete then names it, as keepalived's does)
 * @param noTrack   keepalived's no_track (see docs/configuration.md: the agent does not track routes)
 * @param nexthops  the next hops of a multipath route ({@code nexthop ...} or {@code via A or B}), sent as
 *                  RTA_MULTIPATH; empty for a single-path route
 */
public record RouteConfig(boolean ipv6, InetAddress dst, int dstPrefix, InetAddress via, String dev, InetAddress src,
                          long table, Long metric, int scope, int type, boolean typed, boolean noTrack,
                          Source source, List<RouteNexthop> nexthops) implements RoutingEntry {
    public static final long TABLE_MAIN = 254;
    public static final int TYPE_UNICAST = 1;
    /** RTPROT_KEEPALIVED: what keepalived marks its routes with, so `ip route` shows "proto keepalived". */
    public static final int PROTOCOL_KEEPALIVED = 18;

    public RouteConfig {
        nexthops = nexthops == null ? List.of() : List.copyOf(nexthops);
    }

    /** A single-path route. */
    public RouteConfig(boolean ipv6, InetAddress dst, int dstPrefix, InetAddress via, String dev, InetAddress src,
                       long table, Long metric, int scope, int type, boolean typed, boolean noTrack, Source source) {
        this(ipv6, dst, dstPrefix, via, dev, src, table, metric, scope, type, typed, noTrack, source, List.of());
    }

    @Override
    public RouteConfig withoutSource() {
        return new RouteConfig(ipv6, dst, dstPrefix, via, dev, src, table, metric, scope, type, typed, noTrack, null,
                nexthops);
    }

    /** The line as keepalived reads it back (for convert and logs). */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (typed) {
            b.append(RouteParser.typeName(type)).append(' ');
        }
        b.append(dst == null ? (ipv6 ? "inet6 default" : "default") : dst.getHostAddress() + "/" + dstPrefix);
        if (via != null) {
            b.append(" via ").append(via.getHostAddress());
        }
        if (dev != null) {
            b.append(" dev ").append(dev);
        }
        if (src != null) {
            b.append(" src ").append(src.getHostAddress());
        }
        if (table != TABLE_MAIN) {
            b.append(" table ").append(table);
        }
        if (metric != null) {
            b.append(" metric ").append(metric);
        }
        if (scope != 0) {
            b.append(" scope ").append(scope);
        }
        if (noTrack) {
            b.append(" no_track");
        }
        for (RouteNexthop nh : nexthops) { // last: keepalived reads every word after the first nexthop as its
            b.append(' ').append(nh);
        }
        return b.toString();
    }

    static boolean isV6(InetAddress a) {
        return a instanceof Inet6Address;
    }
}
