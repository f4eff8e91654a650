package io.nginxha.agent.net;

import static io.nginxha.agent.net.NetlinkFixtures.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nginxha.agent.reliability.Ledger;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Known answers: the requests are what {@code strace -X raw -xx ip addr add|del ...} showed iproute2 6.x send
 * (sequence number replaced), the answers are laid out by hand from linux/rtnetlink.h and if_link.h.
 */
class NetlinkMessagesTest {
    private static final HexFormat HEX = HexFormat.of();

    @BeforeEach
    void littleEndian() {
        assumeTrue(NetlinkFixtures.capturedByteOrder(), "fixtures are little-endian");
    }

    @Test
    void ipv4AddWithLabelIsWhatIpSends() throws Exception {
        // ip -4 addr add 192.168.16.130/32 dev d0 label d0:vip  (d0 had index 3)
        byte[] expected = hex("""
                34000000 1400 0506 07000000 00000000
                02 20 00 00 03000000
                0800 0200 c0a81082
                0b00 0300 64303a76697000 00
                0800 0100 c0a81082""");
        assertArrayEquals(expected, NetlinkMessages.address(NetlinkMessages.RTM_NEWADDR, 7, 3,
                InetAddress.getByName("192.168.16.130"), 32, "d0:vip"));
    }

    @Test
    void ipv6AddIsWhatIpSends() throws Exception {
        // ip -6 addr add fd00::130/64 dev d0 nodad  (no duplicate address detection: usable at once)
        byte[] raw = hex("fd000000000000000000000000000130");
        byte[] expected = hex("40000000 1400 0506 07000000 00000000  0a 40 02 00 03000000"
                + " 1400 0200" + HEX.formatHex(raw) + " 1400 0100" + HEX.formatHex(raw));
        assertArrayEquals(expected, NetlinkMessages.address(NetlinkMessages.RTM_NEWADDR, 7, 3,
                InetAddress.getByName("fd00::130"), 64, null));
    }

    @Test
    void ipv6GetsNoLabelAttribute() throws Exception {
        // the kernel keeps labels for IPv4 only; iproute2 does not send one for IPv6 VIPs
        byte[] withLabel = NetlinkMessages.address(NetlinkMessages.RTM_NEWADDR, 7, 3,
                InetAddress.getByName("fd00::130"), 64, "d0:vip");
        assertEquals(64, withLabel.length);
    }

    @Test
    void deleteIsWhatIpSendsAndCarriesNoLabelNorCreateFlags() throws Exception {
        // ip -4 addr del 192.168.16.130/32 dev d0
        byte[] expected = hex("""
                28000000 1500 0500 09000000 00000000
                02 20 00 00 03000000
                0800 0200 c0a81082
                0800 0100 c0a81082""");
        assertArrayEquals(expected, NetlinkMessages.address(NetlinkMessages.RTM_DELADDR, 9, 3,
                InetAddress.getByName("192.168.16.130"), 32, "d0:vip"));
    }

    @Test
    void linkByNameAsksWithoutStatistics() {
        // IFLA_EXT_MASK = RTEXT_FILTER_SKIP_STATS; the name's nla_len (9) leaves out its padding
        assertArrayEquals(hex("""
                34000000 1200 0100 05000000 00000000
                00 00 0000 00000000 00000000 00000000
                0800 1d00 08000000
                0900 0300 6574683000 000000"""), NetlinkMessages.linkByName(5, "eth0"));
    }

    @Test
    void dumpsAreRequestAndDumpFlags() {
        assertArrayEquals(hex("18000000 1600 0103 02000000 00000000 00 00 00 00 00000000"),
                NetlinkMessages.dump(NetlinkMessages.RTM_GETADDR, 2));
        byte[] links = NetlinkMessages.dump(NetlinkMessages.RTM_GETLINK, 2);
        assertArrayEquals(hex("28000000 1200 0103 02000000 00000000"), java.util.Arrays.copyOf(links, 16));
        assertThrows(IllegalArgumentException.class, () -> NetlinkMessages.dump(NetlinkMessages.RTM_NEWADDR, 1));
    }

    @Test
    void sockaddrIsFamilyPadPortGroups() {
        assertArrayEquals(hex("1000 0000 00000000 01000000"), NetlinkMessages.sockaddr(1));
    }

    @Test
    void parsesAnErrorAckAndItsErrno() {
        // NLMSG_ERROR, error -17 (EEXIST), then the request's own header
        byte[] buf = hex("24000000 0200 0001 07000000 5a010000  efffffff  34000000 1400 0506 07000000 00000000");
        List<NetlinkMessages.Message> ms = NetlinkMessages.parse(buf, buf.length);
        assertEquals(1, ms.size());
        assertEquals(NetlinkMessages.NLMSG_ERROR, ms.get(0).type());
        assertEquals(7, ms.get(0).seq());
        assertEquals(346, ms.get(0).pid());
        assertEquals(17, NetlinkMessages.errno(ms.get(0)));

        byte[] ack = hex("24000000 0200 0001 08000000 5a010000  00000000  28000000 1500 0500 08000000 00000000");
        assertEquals(0, NetlinkMessages.errno(NetlinkMessages.parse(ack, ack.length).get(0)));
    }

    @Test
    void parsesSeveralMessagesInOneDatagramAndAnAddressWithLabel() throws Exception {
        byte[] address = hex("""
                3c000000 1400 0200 03000000 5a010000
                02 18 80 00 02000000
                0800 0100 0a090001
                0800 0200 0a090082
                0b00 0300 64303a76697000 00
                0800 0800 80000000""");
        byte[] done = hex("14000000 0300 0200 03000000 5a010000 00000000");
        byte[] buf = new byte[address.length + done.length + 8];
        System.arraycopy(address, 0, buf, 0, address.length);
        System.arraycopy(done, 0, buf, address.length, done.length);
        List<NetlinkMessages.Message> ms = NetlinkMessages.parse(buf, address.length + done.length);
        assertEquals(List.of(NetlinkMessages.RTM_NEWADDR, NetlinkMessages.NLMSG_DONE),
                ms.stream().map(NetlinkMessages.Message::type).toList());
        NetlinkMessages.Address a = NetlinkMessages.address(ms.get(0));
        assertEquals(new NetlinkMessages.Address(2, 24, 0, 2, InetAddress.getByName("10.9.0.130"), "d0:vip"), a,
                "IFA_LOCAL is the address, not IFA_ADDRESS (the peer)");
    }

    @Test
    void ipv6AddressHasOnlyIfaAddress() throws Exception {
        byte[] raw = hex("fe800000000000007c02c1fffea9b45c");
        byte[] m = hex("2c000000 1400 0200 03000000 00000000 0a 40 80 fd 02000000 1400 0100" + HEX.formatHex(raw));
        NetlinkMessages.Address a = NetlinkMessages.address(NetlinkMessages.parse(m, m.length).get(0));
        assertEquals(new NetlinkMessages.Address(10, 64, 253, 2, InetAddress.getByName("fe80::7c02:c1ff:fea9:b45c"),
                null), a);
    }

    private static byte[] link(int type, int index, int flags, String name, Integer oper) {
        StringBuilder attrs = new StringBuilder();
        if (name != null) {
            byte[] n = (name + "\0").getBytes();
            int len = 4 + n.length;
            attrs.append(String.format("%02x%02x0300", len & 0xff, len >> 8)).append(HEX.formatHex(n));
            attrs.append("00".repeat(NetlinkMessages.align(len) - len));
        }
        if (oper != null) {
            attrs.append(String.format("05001000%02x000000", oper));
        }
        String body = String.format("00 00 0100 %02x000000 %s 00000000", index,
                HEX.formatHex(java.nio.ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(flags).array()))
                + attrs;
        int len = 16 + hex(body).length;
        return hex(String.format("%02x000000 %02x00 0000 00000000 00000000", len, type) + body);
    }

    @Test
    void linkUpNeedsAdminUpCarrierAndOperUpOrUnknown() {
        int upLower = NetlinkMessages.IFF_UP | NetlinkMessages.IFF_LOWER_UP | 0x1002;
        NetlinkMessages.Link eth = parseLink(link(16, 2, upLower, "eth0", 6));
        assertEquals(new NetlinkMessages.Link(2, upLower, "eth0", 6), eth);
        assertTrue(eth.up());
        assertTrue(parseLink(link(16, 1, upLower, "lo", 0)).up(), "loopback reports unknown");
        assertFalse(parseLink(link(16, 2, upLower, "eth0", 2)).up(), "oper down");
        assertFalse(parseLink(link(16, 2, upLower, "eth0", 5)).up(), "dormant");
        assertFalse(parseLink(link(16, 2, NetlinkMessages.IFF_UP, "eth0", 6)).up(), "no carrier");
        assertFalse(parseLink(link(16, 2, NetlinkMessages.IFF_LOWER_UP, "eth0", 6)).up(), "admin down");
        assertEquals(NetlinkMessages.IF_OPER_UNKNOWN, parseLink(link(17, 2, 0, "eth0", null)).operState());
    }

    private static NetlinkMessages.Link parseLink(byte[] m) {
        return NetlinkMessages.link(NetlinkMessages.parse(m, m.length).get(0));
    }

    @Test
    void lengthsThatDoNotFitAreRefused() {
        byte[] tooLong = hex("40000000 1400 0000 00000000 00000000 0000");
        assertThrows(IllegalArgumentException.class, () -> NetlinkMessages.parse(tooLong, tooLong.length));
        byte[] tooShort = hex("08000000 1400 0000 00000000 00000000");
        assertThrows(IllegalArgumentException.class, () -> NetlinkMessages.parse(tooShort, tooShort.length));
        byte[] badAttr = hex("1c000000 1400 0000 00000000 00000000 02 18 00 00 02000000 0200 0100");
        assertThrows(IllegalArgumentException.class,
                () -> NetlinkMessages.address(NetlinkMessages.parse(badAttr, badAttr.length).get(0)));
        byte[] shortBody = hex("14000000 1000 0000 00000000 00000000 00000000");
        assertThrows(IllegalArgumentException.class,
                () -> NetlinkMessages.link(NetlinkMessages.parse(shortBody, shortBody.length).get(0)));
        Ledger.record("hostile input", "netlink answers with lengths past the datagram, below a header,"
                + " a bad attribute length, a short link body", 4,
                "each refused with an error saying what did not fit (the link monitor skips such a datagram)");
    }

    @Test
    void nestedAndByteOrderFlagsAreNotPartOfTheType() {
        Object value = NetlinkMessages.attributes(hex("0800 0380 41424300"), 0).get(3);
        assertArrayEquals("ABC\0".getBytes(), (byte[]) value);
    }
}
