package io.nginxha.agent.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which link-local address an IPv6 VMAC gets, by keepalived 2.2.7's rule (set_link_local_address in vrrp_vmac.c):
 * the instance's IPv6 unicast_src_ip when it has one, else the base interface's own link-local address, else the
 * EUI-64 address of the base's MAC. Never one made from the virtual MAC: that one would be the same on every
 * router of the VRID, and RFC 5798 7.4 wants adverts from the router's own address.
 */
final class VmacLinkLocal {
    private VmacLinkLocal() { }

    /** The address, without a scope (the netlink request names the interface). */
    static Inet6Address choose(Inet6Address source, Inet6Address baseLinkLocal, byte[] baseMac) {
        if (source != null) {
            return unscoped(source.getAddress());
        }
        if (baseLinkLocal != null) {
            return unscoped(baseLinkLocal.getAddress());
        }
        return eui64(baseMac);
    }

    /** fe80::/64 with the modified EUI-64 interface identifier of {@code mac} (RFC 4291 appendix A). */
    static Inet6Address eui64(byte[] mac) {
        if (mac == null || mac.length != 6) {
            throw new IllegalArgumentException("an EUI-64 link-local address needs a 6-byte MAC");
        }
        byte[] a = new byte[16];
        a[0] = (byte) 0xfe;
        a[1] = (byte) 0x80;
        a[8] = (byte) (mac[0] ^ 0x02);
        a[9] = mac[1];
        a[10] = mac[2];
        a[11] = (byte) 0xff;
        a[12] = (byte) 0xfe;
        a[13] = mac[3];
        a[14] = mac[4];
        a[15] = mac[5];
        return unscoped(a);
    }

    private static Inet6Address unscoped(byte[] raw) {
        try {
            return (Inet6Address) InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
