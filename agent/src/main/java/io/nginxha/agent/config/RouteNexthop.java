package io.nginxha.agent.config;

import java.net.InetAddress;

/**
 * One next hop of a multipath route, as keepalived 2.2.7 reads {@code nexthop via ADDR dev IF weight N onlink}
 * (vrrp_iproute.c parse_nexthops) and as it turns the deprecated {@code via A or B} into two next hops with a
 * gateway each and nothing else. Sent as one struct rtnexthop inside RTA_MULTIPATH.
 *
 * @param via    the gateway (RTA_GATEWAY inside the next hop), or null
 * @param dev    the output interface (rtnh_ifindex), or null
 * @param weight 1..256 when written (sent as rtnh_hops = weight - 1), null for the kernel's default weight 1
 * @param onlink RTNH_F_ONLINK: the gateway is taken as on the link even if no prefix of the interface covers it
 */
public record RouteNexthop(InetAddress via, String dev, Integer weight, boolean onlink) {
    /** rtnh_flags bit of linux/rtnetlink.h. */
    public static final int RTNH_F_ONLINK = 4;

    /** The clause as keepalived reads it back. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("nexthop");
        if (via != null) {
            b.append(" via ").append(via.getHostAddress());
        }
        if (dev != null) {
            b.append(" dev ").append(dev);
        }
        if (weight != null) {
            b.append(" weight ").append(weight);
        }
        if (onlink) {
            b.append(" onlink");
        }
        return b.toString();
    }
}
