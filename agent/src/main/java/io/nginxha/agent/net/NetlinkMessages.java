package io.nginxha.agent.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * rtnetlink messages as bytes, without any I/O: the requests the agent sends (address add/delete, link by name,
 * dumps) and the parsing of what the kernel answers (addresses, links, acks). Layout from linux/netlink.h,
 * linux/rtnetlink.h, linux/if_addr.h and linux/if_link.h: headers in host byte order, every message and attribute
 * padded to 4 bytes, addresses in network byte order.
 */
final class NetlinkMessages {
    static final ByteOrder ORDER = ByteOrder.nativeOrder();

    static final int NLMSG_HDRLEN = 16;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_GETADDR = 22;

    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_MULTI = 0x2;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_DUMP = 0x300;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;

    static final int AF_UNSPEC = 0;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;

    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_LABEL = 3;
    static final int IFA_F_NODAD = 0x02;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_OPERSTATE = 16;
    static final int IFLA_EXT_MASK = 29;
    /** RTEXT_FILTER_SKIP_STATS: link answers without the counters, a third of their size. */
    static final int RTEXT_FILTER_SKIP_STATS = 8;

    static final int IFF_UP = 0x1;
    static final int IFF_LOWER_UP = 0x10000;
    static final int IF_OPER_UNKNOWN = 0;
    static final int IF_OPER_UP = 6;

    static final int IFADDRMSG_LEN = 8;
    static final int IFINFOMSG_LEN = 16;
    private static final int NLA_TYPE_MASK = 0x3fff; // strips NLA_F_NESTED and NLA_F_NET_BYTEORDER

    private NetlinkMessages() { }

    /** One message: its header fields and the bytes after the header. */
    record Message(int type, int flags, int seq, int pid, byte[] body) { }

    /** An address as RTM_NEWADDR describes it; label null when the kernel sent none. */
    record Address(int family, int prefix, int scope, int index, InetAddress address, String label) { }

    /** A link as RTM_NEWLINK / RTM_DELLINK describes it. */
    record Link(int index, int flags, String name, int operState) {
        /**
         * Usable for VRRP: administratively up with carrier, and operationally up, or unknown as loopback and
         * some virtual devices report (the same rule as /sys/class/net/IF/operstate and carrier).
         */
        boolean up() {
            return (flags & IFF_UP) != 0 && (flags & IFF_LOWER_UP) != 0
                    && (operState == IF_OPER_UP || operState == IF_OPER_UNKNOWN);
        }
    }

    // ---- requests ----

    /**
     * RTM_NEWADDR (create, fail if it exists) or RTM_DELADDR with an ack asked for, as {@code ip addr add|del}
     * builds it: IFA_LOCAL, the label (IPv4 only), IFA_ADDRESS. Scope global, as ip gives any address but 127/8.
     * An IPv6 VIP is added with IFA_F_NODAD, as keepalived does: duplicate address detection would keep it
     * tentative (unusable) for a second after a takeover, and mark it dadfailed for good if the old master still
     * answers for it, which is exactly the moment VRRP has already settled who owns it.
     */
    static byte[] address(int type, int seq, int index, InetAddress address, int prefix, String label) {
        return address(type, seq, index, address, prefix, label, null, 0, null);
    }

    /**
     * The same with keepalived's VIP options: {@code scope} in the header, an IPv4 broadcast after IFA_LOCAL and
     * an IPv6 preferred lifetime (IFA_CACHEINFO, valid forever) last, where {@code ip addr add} puts them.
     */
    static byte[] address(int type, int seq, int index, InetAddress address, int prefix, String label,
                          InetAddress broadcast, int scope, Long preferredLft) {
        boolean add = type == RTM_NEWADDR;
        byte[] raw = address.getAddress();
        Builder b = new Builder(type, NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_EXCL : 0), seq);
        boolean v6 = !(address instanceof Inet4Address);
        b.u8(v6 ? AF_INET6 : AF_INET).u8(prefix).u8(add && v6 ? IFA_F_NODAD : 0).u8(scope).u32(index);
        b.attribute(IFA_LOCAL, raw);
        if (add && broadcast != null && !v6) {
            b.attribute(RoutingMessages.IFA_BROADCAST, RoutingMessages.broadcast(broadcast));
        }
        if (add && label != null && address instanceof Inet4Address) {
            b.attribute(IFA_LABEL, cString(label));
        }
        b.attribute(IFA_ADDRESS, raw);
        if (add && v6 && preferredLft != null) {
            b.attribute(RoutingMessages.IFA_CACHEINFO, RoutingMessages.cacheInfo(preferredLft));
        }
        return b.bytes();
    }

    /** RTM_GETLINK for one interface by name: the answer is one RTM_NEWLINK, or an error (ENODEV). */
    static byte[] linkByName(int seq, String name) {
        Builder b = new Builder(RTM_GETLINK, NLM_F_REQUEST, seq);
        b.u8(AF_UNSPEC).u8(0).u16(0).u32(0).u32(0).u32(0);
        b.attribute(IFLA_EXT_MASK, u32Bytes(RTEXT_FILTER_SKIP_STATS));
        b.attribute(IFLA_IFNAME, cString(name));
        return b.bytes();
    }

    /** RTM_GETLINK for one interface by index: one RTM_NEWLINK, or an error (ENODEV). */
    static byte[] linkByIndex(int seq, int index) {
        Builder b = new Builder(RTM_GETLINK, NLM_F_REQUEST, seq);
        b.u8(AF_UNSPEC).u8(0).u16(0).u32(index).u32(0).u32(0);
        b.attribute(IFLA_EXT_MASK, u32Bytes(RTEXT_FILTER_SKIP_STATS));
        return b.bytes();
    }

    /** A dump of every link (RTM_GETLINK) or every address (RTM_GETADDR), answered by parts up to NLMSG_DONE. */
    static byte[] dump(int type, int seq) {
        Builder b = new Builder(type, NLM_F_REQUEST | NLM_F_DUMP, seq);
        if (type == RTM_GETLINK) {
            b.u8(AF_UNSPEC).u8(0).u16(0).u32(0).u32(0).u32(0);
            b.attribute(IFLA_EXT_MASK, u32Bytes(RTEXT_FILTER_SKIP_STATS));
        } else if (type == RTM_GETADDR) {
            b.u8(AF_UNSPEC).u8(0).u8(0).u8(0).u32(0);
        } else {
            throw new IllegalArgumentException("no dump of message type " + type);
        }
        return b.bytes();
    }

    /** struct sockaddr_nl: family AF_NETLINK, port id 0 (the kernel picks, or is the peer), multicast groups. */
    static byte[] sockaddr(int groups) {
        return ByteBuffer.allocate(12).order(ORDER).putShort((short) 16).putShort((short) 0).putInt(0)
                .putInt(groups).array();
    }

    // ---- answers ----

    /** Splits what one recv returned into messages; throws on a length that does not fit. */
    static List<Message> parse(byte[] buf, int length) {
        ByteBuffer in = ByteBuffer.wrap(buf, 0, length).order(ORDER);
        List<Message> out = new ArrayList<>();
        int at = 0;
        while (length - at >= NLMSG_HDRLEN) {
            int len = in.getInt(at);
            if (len < NLMSG_HDRLEN || len > length - at) {
                throw new IllegalArgumentException("netlink message at byte " + at + " claims " + len
                        + " bytes, " + (length - at) + " left");
            }
            byte[] body = new byte[len - NLMSG_HDRLEN];
            System.arraycopy(buf, at + NLMSG_HDRLEN, body, 0, body.length);
            out.add(new Message(in.getShort(at + 4) & 0xffff, in.getShort(at + 6) & 0xffff, in.getInt(at + 8),
                    in.getInt(at + 12), body));
            at += align(len);
        }
        return out;
    }

    /** The errno an NLMSG_ERROR carries (positive), 0 for an ack. */
    static int errno(Message m) {
        if (m.type() != NLMSG_ERROR || m.body().length < 4) {
            throw new IllegalArgumentException("not an NLMSG_ERROR: type " + m.type());
        }
        return -ByteBuffer.wrap(m.body()).order(ORDER).getInt(0);
    }

    /** The body of an RTM_NEWADDR. */
    static Address address(Message m) {
        byte[] b = m.body();
        if (b.length < IFADDRMSG_LEN) {
            throw new IllegalArgumentException("address message of " + b.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(b).order(ORDER);
        Map<Integer, byte[]> attrs = attributes(b, IFADDRMSG_LEN);
        // IFA_LOCAL is the address itself; IFA_ADDRESS is the peer on point-to-point links, and the only one IPv6
        // sends otherwise.
        byte[] raw = attrs.containsKey(IFA_LOCAL) ? attrs.get(IFA_LOCAL) : attrs.get(IFA_ADDRESS);
        InetAddress address;
        try {
            address = raw == null ? null : InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address of " + raw.length + " bytes");
        }
        byte[] label = attrs.get(IFA_LABEL);
        return new Address(b[0] & 0xff, b[1] & 0xff, b[3] & 0xff, in.getInt(4), address,
                label == null ? null : fromCString(label));
    }

    /** The body of an RTM_NEWLINK or RTM_DELLINK; operState UNKNOWN when the attribute is missing. */
    static Link link(Message m) {
        byte[] b = m.body();
        if (b.length < IFINFOMSG_LEN) {
            throw new IllegalArgumentException("link message of " + b.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(b).order(ORDER);
        Map<Integer, byte[]> attrs = attributes(b, IFINFOMSG_LEN);
        byte[] name = attrs.get(IFLA_IFNAME);
        byte[] oper = attrs.get(IFLA_OPERSTATE);
        return new Link(in.getInt(4), in.getInt(8), name == null ? null : fromCString(name),
                oper == null || oper.length < 1 ? IF_OPER_UNKNOWN : oper[0] & 0xff);
    }

    /** Top-level attributes from {@code from} on, by type; a later one of a type replaces an earlier. */
    static Map<Integer, byte[]> attributes(byte[] body, int from) {
        ByteBuffer in = ByteBuffer.wrap(body).order(ORDER);
        Map<Integer, byte[]> out = new HashMap<>();
        int at = from;
        while (body.length - at >= 4) {
            int len = in.getShort(at) & 0xffff;
            if (len < 4 || len > body.length - at) {
                throw new IllegalArgumentException("attribute at byte " + at + " claims " + len + " bytes, "
                        + (body.length - at) + " left");
            }
            byte[] value = new byte[len - 4];
            System.arraycopy(body, at + 4, value, 0, value.length);
            out.put(in.getShort(at + 2) & NLA_TYPE_MASK, value);
            at += align(len);
        }
        return out;
    }

    static int align(int len) {
        return (len + 3) & ~3;
    }

    /** A NUL-terminated string attribute value; shared by the route, rule and link messages. */
    static byte[] cString(String s) {
        byte[] text = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[text.length + 1];
        System.arraycopy(text, 0, out, 0, text.length);
        return out;
    }

    static String fromCString(byte[] b) {
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    /** A 32-bit attribute value in the kernel's byte order. */
    static byte[] u32Bytes(int v) {
        return ByteBuffer.allocate(4).order(ORDER).putInt(v).array();
    }

    /** Appends fields and attributes after a header whose length is filled in at the end. */
    static final class Builder {
        private final ByteBuffer out = ByteBuffer.allocate(512).order(ORDER);

        Builder(int type, int flags, int seq) {
            out.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
        }

        Builder u8(int v) {
            out.put((byte) v);
            return this;
        }

        Builder u16(int v) {
            out.putShort((short) v);
            return this;
        }

        Builder u32(int v) {
            out.putInt(v);
            return this;
        }

        /** nla_len counts the header and the value, not the padding after it. */
        Builder attribute(int type, byte[] value) {
            out.putShort((short) (4 + value.length)).putShort((short) type).put(value);
            out.position(align(out.position()));
            return this;
        }

        byte[] bytes() {
            out.putInt(0, out.position());
            byte[] b = new byte[out.position()];
            out.get(0, b);
            return b;
        }
    }
}
