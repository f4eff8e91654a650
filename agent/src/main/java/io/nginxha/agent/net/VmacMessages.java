package io.nginxha.agent.net;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The rtnetlink messages of a VMAC (keepalived's use_vmac), without I/O: a private-mode macvlan with the virtual
 * MAC on a base interface, link flags, link deletion, and what the kernel says of an existing link. Laid out as
 * {@code ip link add link BASE name NAME address MAC type macvlan mode private}, {@code ip link set dev NAME up
 * allmulticast on} and {@code ip link del dev NAME} send them (iproute2 6.1, seen with strace).
 */
final class VmacMessages {
    static final int IFLA_ADDRESS = 1;
    static final int IFLA_LINK = 5;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;
    static final int IFLA_MACVLAN_MODE = 1;
    /**
     * Private: the macvlan hears nothing its siblings on the same base send. keepalived uses this mode; with
     * bridge mode two VMACs of one host would talk to each other locally and never on the wire.
     */
    static final int MACVLAN_MODE_PRIVATE = 1;
    static final int IFF_ALLMULTI = 0x200;
    static final String MACVLAN = "macvlan";

    private VmacMessages() { }

    /** What the kernel says of an existing link: kind null for a plain device, mode 0 when not a macvlan. */
    record LinkInfo(int index, String name, String kind, int macvlanMode, int baseIndex, byte[] mac) {
        boolean isMacvlan() {
            return MACVLAN.equals(kind);
        }
    }

    /** RTM_NEWLINK creating (and failing if it exists) the macvlan {@code name} on link {@code baseIndex}. */
    static byte[] newMacvlan(int seq, int baseIndex, String name, byte[] mac) {
        NetlinkMessages.Builder b = new NetlinkMessages.Builder(NetlinkMessages.RTM_NEWLINK,
                NetlinkMessages.NLM_F_REQUEST | NetlinkMessages.NLM_F_ACK | NetlinkMessages.NLM_F_CREATE
                        | NetlinkMessages.NLM_F_EXCL, seq);
        ifinfo(b, 0, 0, 0);
        b.attribute(IFLA_ADDRESS, mac.clone());
        b.attribute(IFLA_LINK, NetlinkMessages.u32Bytes(baseIndex));
        b.attribute(NetlinkMessages.IFLA_IFNAME, NetlinkMessages.cString(name));
        byte[] data = nested(IFLA_MACVLAN_MODE, NetlinkMessages.u32Bytes(MACVLAN_MODE_PRIVATE));
        // the kind without its NUL, as iproute2 sends it; the kernel compares by length
        byte[] kind = nested(IFLA_INFO_KIND, MACVLAN.getBytes(StandardCharsets.US_ASCII));
        b.attribute(IFLA_LINKINFO, concat(kind, nested(IFLA_INFO_DATA, data)));
        return b.bytes();
    }

    /** RTM_NEWLINK changing the flags in {@code change} to their value in {@code flags} (up, allmulticast). */
    static byte[] setFlags(int seq, int index, int flags, int change) {
        NetlinkMessages.Builder b = new NetlinkMessages.Builder(NetlinkMessages.RTM_NEWLINK,
                NetlinkMessages.NLM_F_REQUEST | NetlinkMessages.NLM_F_ACK, seq);
        ifinfo(b, index, flags, change);
        return b.bytes();
    }

    static final int IFLA_AF_SPEC = 26;
    static final int AF_INET6 = 10;
    static final int IFLA_INET6_ADDR_GEN_MODE = 8;
    static final int IN6_ADDR_GEN_MODE_NONE = 1;

    /**
     * RTM_NEWLINK setting IPv6 address generation off on link {@code index}, as {@code ip link set dev NAME
     * addrgenmode none} sends it; keepalived sends it before the link goes up, so the kernel never adds the
     * link-local address of the virtual MAC.
     */
    static byte[] addrGenModeNone(int seq, int index) {
        NetlinkMessages.Builder b = new NetlinkMessages.Builder(NetlinkMessages.RTM_NEWLINK,
                NetlinkMessages.NLM_F_REQUEST | NetlinkMessages.NLM_F_ACK, seq);
        ifinfo(b, index, 0, 0);
        byte[] inet6 = nested(AF_INET6, nested(IFLA_INET6_ADDR_GEN_MODE, new byte[] {IN6_ADDR_GEN_MODE_NONE}));
        b.attribute(IFLA_AF_SPEC, inet6);
        return b.bytes();
    }

    /** RTM_DELLINK of link {@code index}. */
    static byte[] deleteLink(int seq, int index) {
        NetlinkMessages.Builder b = new NetlinkMessages.Builder(NetlinkMessages.RTM_DELLINK,
                NetlinkMessages.NLM_F_REQUEST | NetlinkMessages.NLM_F_ACK, seq);
        ifinfo(b, index, 0, 0);
        return b.bytes();
    }

    /** The body of an RTM_NEWLINK, with its kind, macvlan mode, base link and MAC. */
    static LinkInfo linkInfo(NetlinkMessages.Message m) {
        NetlinkMessages.Link link = NetlinkMessages.link(m);
        Map<Integer, byte[]> attrs = NetlinkMessages.attributes(m.body(), NetlinkMessages.IFINFOMSG_LEN);
        String kind = null;
        int mode = 0;
        byte[] info = attrs.get(IFLA_LINKINFO);
        if (info != null) {
            Map<Integer, byte[]> inner = NetlinkMessages.attributes(info, 0);
            byte[] k = inner.get(IFLA_INFO_KIND);
            kind = k == null ? null : NetlinkMessages.fromCString(k);
            byte[] data = inner.get(IFLA_INFO_DATA);
            if (MACVLAN.equals(kind) && data != null) {
                byte[] raw = NetlinkMessages.attributes(data, 0).get(IFLA_MACVLAN_MODE);
                mode = raw == null || raw.length < 4 ? 0 : ByteBuffer.wrap(raw).order(NetlinkMessages.ORDER).getInt();
            }
        }
        byte[] base = attrs.get(IFLA_LINK);
        int baseIndex = base == null || base.length < 4 ? 0 : ByteBuffer.wrap(base).order(NetlinkMessages.ORDER)
                .getInt();
        return new LinkInfo(link.index(), link.name(), kind, mode, baseIndex, attrs.get(IFLA_ADDRESS));
    }

    private static void ifinfo(NetlinkMessages.Builder b, int index, int flags, int change) {
        b.u8(NetlinkMessages.AF_UNSPEC).u8(0).u16(0).u32(index).u32(flags).u32(change);
    }

    /** One attribute as bytes, padded, to nest inside another (nla_len leaves out the padding). */
    private static byte[] nested(int type, byte[] value) {
        ByteBuffer out = ByteBuffer.allocate(NetlinkMessages.align(4 + value.length)).order(NetlinkMessages.ORDER);
        out.putShort((short) (4 + value.length)).putShort((short) type).put(value);
        return out.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
