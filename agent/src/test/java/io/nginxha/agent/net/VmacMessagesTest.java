package io.nginxha.agent.net;

import static io.nginxha.agent.net.NetlinkFixtures.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Known answers: what {@code strace -e trace=sendmsg -xx -X raw} showed iproute2 6.1 send inside a throwaway
 * network namespace (base veth v0 at index 3, the macvlan at index 4), sequence numbers replaced.
 */
class VmacMessagesTest {
    private static final byte[] VMAC_66 = hex("00005e000142");

    @BeforeEach
    void littleEndian() {
        assumeTrue(NetlinkFixtures.capturedByteOrder(), "fixtures are little-endian");
    }

    @Test
    void createIsWhatIpSends() {
        // ip link add link v0 name vrrp.66 address 00:00:5e:00:01:42 type macvlan mode private
        byte[] expected = hex("""
                5c000000 1000 0506 07000000 00000000
                00 00 0000 00000000 00000000 00000000
                0a00 0100 00005e000142 0000
                0800 0500 03000000
                0c00 0300 767272702e363600
                1c00 1200
                  0b00 0100 6d6163766c616e 00
                  0c00 0200 0800 0100 01000000""");
        assertArrayEquals(expected, VmacMessages.newMacvlan(7, 3, "vrrp.66", VMAC_66));
    }

    @Test
    void upWithAllmulticastIsWhatIpSends() {
        // ip link set dev vrrp.66 up allmulticast on
        byte[] expected = hex("20000000 1000 0500 08000000 00000000  00 00 0000 04000000 01020000 01020000");
        int flags = NetlinkMessages.IFF_UP | VmacMessages.IFF_ALLMULTI;
        assertArrayEquals(expected, VmacMessages.setFlags(8, 4, flags, flags));
    }

    @Test
    void downIsWhatIpSends() {
        // ip link set dev vrrp.66 down
        assertArrayEquals(hex("20000000 1000 0500 08000000 00000000  00 00 0000 04000000 00000000 01000000"),
                VmacMessages.setFlags(8, 4, 0, NetlinkMessages.IFF_UP));
    }

    @Test
    void addrGenModeNoneIsWhatIpSends() {
        // ip link set dev vrrp.66 addrgenmode none (keepalived sends it before the link goes up)
        byte[] expected = hex("""
                30000000 1000 0500 08000000 00000000  00 00 0000 04000000 00000000 00000000
                1000 1a00 0c00 0a00 0500 0800 01 000000""");
        assertArrayEquals(expected, VmacMessages.addrGenModeNone(8, 4));
    }

    @Test
    void theLinkLocalAddressIsAddedAsIpAddsItWithNodad() throws Exception {
        // ip -6 addr add fe80::1/64 dev vrrp.66 nodad (keepalived adds every IPv6 address with IFA_F_NODAD)
        byte[] expected = hex("""
                40000000 1400 0506 09000000 00000000  0a 40 02 00 04000000
                1400 0200 fe800000000000000000000000000001
                1400 0100 fe800000000000000000000000000001""");
        assertArrayEquals(expected, NetlinkMessages.address(NetlinkMessages.RTM_NEWADDR, 9, 4,
                java.net.InetAddress.getByName("fe80::1"), 64, null));
    }

    @Test
    void deleteIsWhatIpSends() {
        // ip link del dev vrrp.66
        assertArrayEquals(hex("20000000 1100 0500 09000000 00000000  00 00 0000 04000000 00000000 00000000"),
                VmacMessages.deleteLink(9, 4));
    }

    @Test
    void anExistingMacvlanIsReadWithItsKindModeBaseAndMac() {
        // an RTM_NEWLINK answer laid out by hand from if_link.h; LINKINFO marked NLA_F_NESTED as the kernel does
        byte[] body = hex("""
                00 00 0100 04000000 03100100 00000000
                0c00 0300 767272702e363600
                0a00 0100 00005e000142 0000
                0800 0500 03000000
                2400 1280
                  0c00 0100 6d6163766c616e00
                  1400 0280 0800 0100 01000000 0600 0500 e803 0000""");
        VmacMessages.LinkInfo info = VmacMessages.linkInfo(
                new NetlinkMessages.Message(NetlinkMessages.RTM_NEWLINK, 0, 1, 0, body));
        assertEquals(4, info.index());
        assertEquals("vrrp.66", info.name());
        assertTrue(info.isMacvlan());
        assertEquals(VmacMessages.MACVLAN_MODE_PRIVATE, info.macvlanMode());
        assertEquals(3, info.baseIndex());
        assertArrayEquals(VMAC_66, info.mac());
    }

    @Test
    void aPlainDeviceHasNoKind() {
        byte[] body = hex("00 00 0100 05000000 03100100 00000000  0800 0300 65746800");
        VmacMessages.LinkInfo info = VmacMessages.linkInfo(
                new NetlinkMessages.Message(NetlinkMessages.RTM_NEWLINK, 0, 1, 0, body));
        assertNull(info.kind());
        assertFalse(info.isMacvlan());
    }
}
