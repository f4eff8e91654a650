package io.nginxha.agent.net;

import io.nginxha.agent.config.RouteConfig;
import io.nginxha.agent.config.RouteNexthop;
import io.nginxha.agent.config.RuleConfig;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The rtnetlink requests for routes and policy rules, as bytes and without I/O, laid out as keepalived 2.2.7 sends
 * them (vrrp_iproute.c netlink_route, vrrp_iprule.c netlink_rule) and in the attribute order {@code ip route
 * prepend} / {@code ip rule add} use, so that each is checked byte for byte against iproute2 (linux/rtnetlink.h,
 * linux/fib_rules.h). A route is added with NLM_F_CREATE alone (keepalived's "prepend"), a rule with
 * NLM_F_CREATE|NLM_F_EXCL; both ask for an ack.
 */
final class RoutingMessages {
    static final int RTM_NEWROUTE = 24;
    static final int RTM_DELROUTE = 25;
    static final int RTM_NEWRULE = 32;
    static final int RTM_DELRULE = 33;

    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_PRIORITY = 6;
    static final int RTA_PREFSRC = 7;
    static final int RTA_MULTIPATH = 9;
    static final int RTA_TABLE = 15;
    /** struct rtnexthop: len u16, flags u8, hops u8, ifindex s32. */
    static final int RTNH_LEN = 8;

    static final int FRA_DST = 1;
    static final int FRA_SRC = 2;
    static final int FRA_IFNAME = 3;
    static final int FRA_PRIORITY = 6;
    static final int FRA_FWMARK = 10;
    static final int FRA_TABLE = 15;
    static final int FRA_FWMASK = 16;
    static final int FRA_OIFNAME = 17;
    static final int FRA_PROTOCOL = 21;
    static final int FIB_RULE_INVERT = 0x2;

    static final int RT_SCOPE_NOWHERE = 255;
    static final int IFA_BROADCAST = 4;
    static final int IFA_CACHEINFO = 6;

    private RoutingMessages() { }

    /**
     * RTM_NEWROUTE or RTM_DELROUTE for {@code r}, its interface already resolved to {@code oif} (0 for none).
     * A delete has scope nowhere unless a scope was written, and names the type only when one was written, as
     * keepalived's; the kernel then deletes only a route of protocol keepalived.
     */
    static byte[] route(int type, int seq, RouteConfig r, int oif) {
        return route(type, seq, r, oif, new int[r.nexthops().size()]);
    }

    /**
     * As {@link #route(int, int, RouteConfig, int)}, with the interfaces of the route's next hops resolved to
     * {@code nexthopOifs} (0 for none), sent last as RTA_MULTIPATH (on a delete too, as keepalived's and ip's).
     */
    static byte[] route(int type, int seq, RouteConfig r, int oif, int[] nexthopOifs) {
        if (nexthopOifs.length != r.nexthops().size()) {
            throw new IllegalArgumentException(nexthopOifs.length + " interfaces for " + r.nexthops().size()
                    + " next hops");
        }
        boolean add = type == RTM_NEWROUTE;
        NetlinkMessages.Builder b = new NetlinkMessages.Builder(type, NetlinkMessages.NLM_F_REQUEST
                | NetlinkMessages.NLM_F_ACK | (add ? NetlinkMessages.NLM_F_CREATE : 0), seq);
        boolean bigTable = r.table() >= 256;
        int scope = add ? r.scope() : r.scope() != 0 ? r.scope() : RT_SCOPE_NOWHERE;
        int rtmType = add ? r.type() : r.typed() ? r.type() : 0;
        b.u8(r.ipv6() ? NetlinkMessages.AF_INET6 : NetlinkMessages.AF_INET).u8(r.dstPrefix()).u8(0).u8(0)
                .u8(bigTable ? 0 : (int) r.table()).u8(RouteConfig.PROTOCOL_KEEPALIVED).u8(scope).u8(rtmType).u32(0);
        if (bigTable) {
            b.attribute(RTA_TABLE, NetlinkMessages.u32Bytes((int) r.table()));
        }
        if (r.dst() != null) {
            b.attribute(RTA_DST, r.dst().getAddress());
        }
        if (r.src() != null) {
            b.attribute(RTA_PREFSRC, r.src().getAddress());
        }
        if (r.via() != null) {
            b.attribute(RTA_GATEWAY, r.via().getAddress());
        }
        if (r.metric() != null) {
            b.attribute(RTA_PRIORITY, NetlinkMessages.u32Bytes(r.metric().intValue()));
        }
        if (oif != 0) {
            b.attribute(RTA_OIF, NetlinkMessages.u32Bytes(oif));
        }
        if (!r.nexthops().isEmpty()) {
            b.attribute(RTA_MULTIPATH, multipath(r.nexthops(), nexthopOifs));
        }
        return b.bytes();
    }

    /** The RTA_MULTIPATH payload: one struct rtnexthop per next hop, each followed by its RTA_GATEWAY. */
    static byte[] multipath(List<RouteNexthop> nexthops, int[] oifs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int k = 0; k < nexthops.size(); k++) {
            RouteNexthop nh = nexthops.get(k);
            byte[] gw = nh.via() == null ? null : nh.via().getAddress();
            int len = RTNH_LEN + (gw == null ? 0 : 4 + gw.length); // 4 or 16 bytes: always 4-aligned
            ByteBuffer b = ByteBuffer.allocate(len).order(NetlinkMessages.ORDER);
            b.putShort((short) len).put((byte) (nh.onlink() ? RouteNexthop.RTNH_F_ONLINK : 0))
                    .put((byte) (nh.weight() == null ? 0 : nh.weight() - 1)).putInt(oifs[k]);
            if (gw != null) {
                b.putShort((short) (4 + gw.length)).putShort((short) RTA_GATEWAY).put(gw);
            }
            out.writeBytes(b.array());
        }
        return out.toByteArray();
    }

    /** RTM_NEWRULE (exclusive) or RTM_DELRULE for {@code r}: the same body both ways, as keepalived's. */
    static byte[] rule(int type, int seq, RuleConfig r) {
        boolean add = type == RTM_NEWRULE;
        NetlinkMessages.Builder b = new NetlinkMessages.Builder(type, NetlinkMessages.NLM_F_REQUEST
                | NetlinkMessages.NLM_F_ACK | (add ? NetlinkMessages.NLM_F_CREATE | NetlinkMessages.NLM_F_EXCL : 0),
                seq);
        boolean lookup = r.action() == RuleConfig.ACTION_TABLE;
        boolean bigTable = lookup && r.table() >= 256;
        // struct fib_rule_hdr: family, dst_len, src_len, tos, table, res1, res2, action, flags
        b.u8(r.ipv6() ? NetlinkMessages.AF_INET6 : NetlinkMessages.AF_INET).u8(r.to() == null ? 0 : r.toPrefix())
                .u8(r.from() == null ? 0 : r.fromPrefix()).u8(0).u8(lookup && !bigTable ? (int) r.table() : 0)
                .u8(0).u8(0).u8(r.action()).u32(r.invert() ? FIB_RULE_INVERT : 0);
        if (r.from() != null) {
            b.attribute(FRA_SRC, r.from().getAddress());
        } else if (r.fromAll()) {
            b.attribute(FRA_SRC, new byte[0]); // "from all": an empty source, as ip and keepalived send it
        }
        if (r.to() != null) {
            b.attribute(FRA_DST, r.to().getAddress());
        }
        if (bigTable) {
            b.attribute(FRA_TABLE, NetlinkMessages.u32Bytes((int) r.table()));
        }
        b.attribute(FRA_PRIORITY, NetlinkMessages.u32Bytes((int) r.priority()));
        if (!r.noTrack()) {
            b.attribute(FRA_PROTOCOL, new byte[] {(byte) RouteConfig.PROTOCOL_KEEPALIVED});
        }
        if (r.iif() != null) {
            b.attribute(FRA_IFNAME, NetlinkMessages.cString(r.iif()));
        }
        if (r.oif() != null) {
            b.attribute(FRA_OIFNAME, NetlinkMessages.cString(r.oif()));
        }
        if (r.fwmark() != null) {
            b.attribute(FRA_FWMARK, NetlinkMessages.u32Bytes(r.fwmark().intValue()));
        }
        if (r.fwmask() != null) {
            b.attribute(FRA_FWMASK, NetlinkMessages.u32Bytes(r.fwmask().intValue()));
        }
        return b.bytes();
    }

    /** IFA_BROADCAST of an IPv4 address. */
    static byte[] broadcast(InetAddress brd) {
        return brd.getAddress();
    }

    /** struct ifa_cacheinfo: preferred lifetime, valid forever, as keepalived sets preferred_lft. */
    static byte[] cacheInfo(long preferredSeconds) {
        return ByteBuffer.allocate(16).order(NetlinkMessages.ORDER).putInt((int) preferredSeconds).putInt(-1)
                .putInt(0).putInt(0).array();
    }
}
