package io.nginxha.agent.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * keepalived 2.2.7's multicast groups of adverts: {@code vrrp_mcast_group4}/{@code vrrp_mcast_group6} in global_defs
 * and {@code mcast_dst_ip} in an instance, with its checks (global_parser.c, vrrp_parser.c). Where keepalived skips
 * a bad value with an error and goes on with the default group, the agent refuses: a pair whose hosts advertised to
 * different groups would each become master. The default group is stored as null, so configs compare equal.
 */
final class McastGroups {
    static final InetAddress GROUP4 = Values.ipLiteral("224.0.0.18");
    static final InetAddress GROUP6 = Values.ipLiteral("ff02::12");

    private McastGroups() { }

    /** vrrp_mcast_group4: an IPv4 multicast address. */
    static InetAddress group4(Values values, Entry e) {
        InetAddress a = single(values, e);
        if (a != null && !(a instanceof Inet4Address && a.isMulticastAddress())) {
            values.problems().error(e.source(), "vrrp_mcast_group4 must be an IPv4 multicast address, got '"
                    + e.arg() + "'");
            return null;
        }
        return a == null || a.equals(GROUP4) ? null : a;
    }

    /** vrrp_mcast_group6: an IPv6 multicast address, link-local scope advised (keepalived warns). */
    static InetAddress group6(Values values, Entry e) {
        InetAddress a = single(values, e);
        if (a != null && !(a instanceof Inet6Address && a.isMulticastAddress())) {
            values.problems().error(e.source(), "vrrp_mcast_group6 must be an IPv6 multicast address, got '"
                    + e.arg() + "'");
            return null;
        }
        if (a != null && !a.isMCLinkLocal()) {
            values.problems().warn(e.source(), "vrrp_mcast_group6 " + e.arg() + " should be link-local multicast "
                    + "(ff02::/16), as keepalived warns too");
        }
        return a == null || a.equals(GROUP6) ? null : a;
    }

    /**
     * mcast_dst_ip of an instance of family {@code ipv6}: IPv4 multicast, or IPv6 link-local multicast, as keepalived
     * checks; ignored with a warning when the instance has unicast peers, as keepalived does.
     */
    static InetAddress instanceGroup(Problems problems, Entry e, InetAddress a, boolean ipv6, boolean unicast,
                                     String who) {
        if (a == null) {
            return null;
        }
        if ((a instanceof Inet6Address) != ipv6) {
            problems.error(e.source(), who + ": mcast_dst_ip " + e.arg() + " must be " + (ipv6 ? "IPv6" : "IPv4")
                    + " like the instance's addresses");
            return null;
        }
        if (ipv6 ? !a.isMCLinkLocal() : !a.isMulticastAddress()) {
            problems.error(e.source(), who + ": mcast_dst_ip " + e.arg() + " is not " + (ipv6 ? "link-local " : "")
                    + "multicast");
            return null;
        }
        if (unicast) {
            problems.warn(e.source(), who + ": mcast_dst_ip is ignored with unicast peers, as keepalived does");
            return null;
        }
        return a.equals(ipv6 ? GROUP6 : GROUP4) ? null : a;
    }

    /** The group an instance of family {@code ipv6} advertises to, from global_defs (null: the VRRP group). */
    static InetAddress fromDefaults(InstanceDefaults d, boolean ipv6) {
        return ipv6 ? d.mcastGroup6() : d.mcastGroup4();
    }

    private static InetAddress single(Values values, Entry e) {
        String v = values.single(e);
        return v == null ? null : values.address(e, e.key(), v);
    }
}
