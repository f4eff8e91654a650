package io.nginxha.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** keepalived's choice of the IPv6 VMAC's link-local address: unicast_src_ip, the base's, or EUI-64 of its MAC. */
class VmacLinkLocalTest {
    private static final byte[] BASE_MAC = NetlinkFixtures.hex("1e1bba3b563d");

    private static Inet6Address v6(String s) throws Exception {
        return (Inet6Address) InetAddress.getByName(s);
    }

    @Test
    void theEui64AddressOfTheBaseMacFlipsTheUniversalBit() {
        // what the kernel gave the veth with that MAC (ip -6 addr show): fe80::1c1b:baff:fe3b:563d
        assertEquals("fe80:0:0:0:1c1b:baff:fe3b:563d", VmacLinkLocal.eui64(BASE_MAC).getHostAddress());
    }

    @Test
    void theSourceWinsThenTheBasesOwnThenEui64() throws Exception {
        assertEquals(v6("fe80::66"), VmacLinkLocal.choose(v6("fe80::66"), v6("fe80::1%1"), BASE_MAC));
        Inet6Address base = VmacLinkLocal.choose(null, v6("fe80::1%1"), BASE_MAC);
        assertEquals(v6("fe80::1"), base);
        assertEquals(0, base.getScopeId(), "no scope: the request names the interface");
        assertEquals(VmacLinkLocal.eui64(BASE_MAC), VmacLinkLocal.choose(null, null, BASE_MAC));
    }
}
