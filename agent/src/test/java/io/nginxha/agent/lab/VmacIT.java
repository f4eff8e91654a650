package io.nginxha.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nginxha.drill.Summary;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seed pair with use_vmac in a private namespace lab: the VIP lives on a private macvlan with the virtual MAC,
 * so the client's neighbour entry for the VIP is the same before and after a failover.
 */
class VmacIT {
    private static final String VMAC = "00:00:5e:00:01:42"; // VRID 66

    @Test
    void aFailoverKeepsTheClientsNeighbourEntryForTheVip() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            assumeMacvlan(lab);
            lab.startPair("    use_vmac\n", "    use_vmac\n");
            lab.waitServing("ha1", 20);
            String link = lab.lab("exec", "ha1", "ip", "-d", "link", "show", "vrrp.66");
            assertTrue(link.contains("link/ether " + VMAC) && link.contains("macvlan mode private"), link);
            assertTrue(vipOn(lab, "ha1"), lab.agentLog("ha1"));
            assertTrue(lab.lab("exec", "ha2", "ip", "-d", "link", "show", "vrrp.66").contains(VMAC),
                    "the backup makes its macvlan at start too");
            assertFalse(vipOn(lab, "ha2"), "only the master holds the VIP");
            assertEquals("1", sysctl(lab, "ha1", "net/ipv4/conf/eth0/arp_ignore"));
            assertEquals("2", sysctl(lab, "ha1", "net/ipv4/conf/eth0/arp_announce"));
            assertEquals("0", sysctl(lab, "ha1", "net/ipv4/conf/vrrp.66/rp_filter"));
            String before = neighbour(lab);
            assertTrue(before.contains("lladdr " + VMAC), "the client learnt the virtual MAC: " + before);

            NetnsLab.Poll poll = lab.poll();
            Thread.sleep(500);
            lab.stop("ha1", "agent");
            lab.waitServing("ha2", 10);
            Thread.sleep(300);
            Summary s = poll.stop();
            System.out.println("use_vmac, SIGTERM on master: " + s);
            assertEquals(List.of("ha1", "ha2"), s.served());
            assertTrue(vipOn(lab, "ha2"), lab.agentLog("ha2"));
            String after = neighbour(lab);
            assertTrue(after.contains("lladdr " + VMAC), "the same MAC after the failover: " + after);

            // a clean stop removes the macvlan and gives the base its ARP settings back
            assertFalse(lab.lab("exec", "ha1", "ip", "-o", "link", "show").contains("vrrp.66"), lab.agentLog("ha1"));
            assertEquals("0", sysctl(lab, "ha1", "net/ipv4/conf/eth0/arp_ignore"));
            assertEquals("0", sysctl(lab, "ha1", "net/ipv4/conf/eth0/arp_announce"));
        }
    }

    /** The kernel of the machine running the test may lack macvlan: then the test is skipped, not failed. */
    private static void assumeMacvlan(NetnsLab lab) throws IOException {
        boolean ok;
        try {
            lab.lab("exec", "ha1", "ip", "link", "add", "link", "eth0", "name", "probe0", "type", "macvlan",
                    "mode", "private");
            lab.lab("exec", "ha1", "ip", "link", "del", "probe0");
            ok = true;
        } catch (IOException | RuntimeException e) {
            ok = false;
        }
        assumeTrue(ok, "no macvlan support in this kernel (modprobe macvlan)");
    }

    private static boolean vipOn(NetnsLab lab, String host) throws IOException {
        return lab.lab("exec", host, "ip", "-o", "-4", "addr", "show", "dev", "vrrp.66")
                .contains(" " + NetnsLab.VIP + "/");
    }

    private static String neighbour(NetnsLab lab) throws IOException {
        return lab.lab("exec", "client", "ip", "neigh", "show", NetnsLab.VIP).strip();
    }

    /** {@code key} with slashes: sysctl would read the dot in vrrp.66 as a separator. */
    private static String sysctl(NetnsLab lab, String host, String key) throws IOException {
        return lab.lab("exec", host, "sysctl", "-n", key).strip();
    }
}
