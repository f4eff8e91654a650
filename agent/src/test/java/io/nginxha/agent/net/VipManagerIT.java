package io.nginxha.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link NetlinkVipManager} on a veth inside a namespace of our own (needs root), checked against ip's view. */
class VipManagerIT {
    private Netns netns;
    private VipManager vips;

    @BeforeEach
    void namespaces() throws Exception {
        netns = new Netns("v");
        vips = new NetlinkVipManager(() -> Netns.inside(netns.a, NetlinkSocket::open));
    }

    @AfterEach
    void cleanUp() {
        netns.close();
    }

    private boolean present(InetAddress address) {
        return vips.list(netns.ifA).stream().anyMatch(a -> a.address().equals(address));
    }

    private String ipSays() throws Exception {
        return Netns.run("ip", "-n", netns.a, "-o", "addr", "show", "dev", netns.ifA);
    }

    @Test
    void addListRemoveAreIdempotent() throws Exception {
        InetAddress vip = InetAddress.getByName("10.77.0.130");
        assertFalse(present(vip));

        assertTrue(vips.add(netns.ifA, vip, 32, netns.ifA + ":vip"));
        assertTrue(ipSays().contains("inet 10.77.0.130/32 scope global " + netns.ifA + ":vip"), ipSays());
        assertTrue(vips.add(netns.ifA, vip, 32, netns.ifA + ":vip"));
        assertEquals(List.of(new VipManager.Assigned(vip, 32, netns.ifA + ":vip")),
                vips.list(netns.ifA).stream().filter(a -> a.address().equals(vip)).toList());
        assertEquals(List.of(new VipManager.Assigned(InetAddress.getByName("10.77.0.1"), 24, null)),
                vips.list(netns.ifA).stream().filter(a -> a.address().getHostAddress().equals("10.77.0.1"))
                        .toList(), "the primary address is listed too, without a label");

        assertTrue(vips.remove(netns.ifA, vip, 32));
        assertFalse(present(vip));
        assertFalse(ipSays().contains("10.77.0.130"), ipSays());
        assertTrue(vips.remove(netns.ifA, vip, 32));
    }

    @Test
    void ipv6AddressesToo() throws Exception {
        InetAddress vip = InetAddress.getByName("fd77::130");
        assertTrue(vips.add(netns.ifA, vip, 64, null));
        assertTrue(vips.add(netns.ifA, vip, 64, null));
        // usable at once after a takeover: no duplicate address detection keeping it tentative
        String line = ipSays().lines().filter(l -> l.contains("fd77::130")).findFirst().orElse("");
        assertTrue(line.contains("inet6 fd77::130/64 scope global nodad"), ipSays());
        assertFalse(line.contains("tentative"), line);
        assertEquals(List.of(new VipManager.Assigned(vip, 64, null)),
                vips.list(netns.ifA).stream().filter(a -> a.address().equals(vip)).toList());
        assertTrue(vips.remove(netns.ifA, vip, 64));
        assertFalse(present(vip));
        assertTrue(vips.remove(netns.ifA, vip, 64));
    }

    @Test
    void interfaceMadeAgainUnderTheSameNameGetsTheVip() throws Exception {
        InetAddress vip = InetAddress.getByName("10.77.0.130");
        assertTrue(vips.add(netns.ifA, vip, 32, null)); // remembers the interface's index
        assertTrue(vips.remove(netns.ifA, vip, 32));
        Netns.run("ip", "-n", netns.a, "link", "del", netns.ifA);
        Netns.run("ip", "-n", netns.a, "link", "add", netns.ifA, "type", "veth", "peer", "name", "vx0");
        Netns.run("ip", "-n", netns.a, "link", "set", netns.ifA, "up");

        assertTrue(vips.add(netns.ifA, vip, 32, null), "the old index is gone: looked up again");
        assertTrue(ipSays().contains("inet 10.77.0.130/32 scope global " + netns.ifA), ipSays());
        assertTrue(vips.remove(netns.ifA, vip, 32));
        assertFalse(ipSays().contains("10.77.0.130"), ipSays());
    }

    @Test
    void missingDeviceIsAnError() throws Exception {
        InetAddress vip = InetAddress.getByName("10.77.0.130");
        assertFalse(vips.add("nosuch0", vip, 32, null));
        assertFalse(vips.remove("nosuch0", vip, 32));
        assertEquals(List.of(), vips.list("nosuch0"));
    }
}
