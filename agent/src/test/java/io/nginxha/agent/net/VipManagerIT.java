package io.nginxha.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real ip command on a veth inside a namespace of our own (needs root). */
class VipManagerIT {
    private Netns netns;
    private VipManager vips;

    @BeforeEach
    void namespaces() throws Exception {
        netns = new Netns("v");
        vips = new IpCommandVipManager("ip", List.of("ip", "netns", "exec", netns.a));
    }

    @AfterEach
    void cleanUp() {
        netns.close();
    }

    private boolean present(InetAddress address) {
        return vips.list(netns.ifA).stream().anyMatch(a -> a.address().equals(address));
    }

    @Test
    void addListRemoveAreIdempotent() throws Exception {
        InetAddress vip = InetAddress.getByName("10.77.0.130");
        assertFalse(present(vip));

        assertTrue(vips.add(netns.ifA, vip, 32, netns.ifA + ":vip"));
        assertTrue(vips.add(netns.ifA, vip, 32, netns.ifA + ":vip"));
        assertEquals(List.of(new VipManager.Assigned(vip, 32, netns.ifA + ":vip")),
                vips.list(netns.ifA).stream().filter(a -> a.address().equals(vip)).toList());
        assertTrue(present(InetAddress.getByName("10.77.0.1")), "the primary address is listed too");

        assertTrue(vips.remove(netns.ifA, vip, 32));
        assertFalse(present(vip));
        assertTrue(vips.remove(netns.ifA, vip, 32));
    }

    @Test
    void missingDeviceIsAnError() throws Exception {
        assertFalse(vips.add("nosuch0", InetAddress.getByName("10.77.0.130"), 32, null));
    }
}
