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
    private static final String VMAC6 = "00:00:5e:00:02:42";

    @Test
    void aFailoverKeepsTheClientsNeighbourEntryForTheVip() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            assumeMacvlan(lab);
            // a host with strict reverse-path filtering for all: keepalived moves it onto each interface
            lab.lab("exec", "ha1", "sysctl", "-q", "-w", "net.ipv4.conf.all.rp_filter=1");
            String eth0RpFilter = sysctl(lab, "ha1", "net/ipv4/conf/eth0/rp_filter");
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
            assertEquals("0", sysctl(lab, "ha1", "net/ipv4/conf/all/rp_filter"), "keepalived's all.rp_filter=0");
            assertEquals("1", sysctl(lab, "ha1", "net/ipv4/conf/eth0/rp_filter"), "eth0 keeps filtering");
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
            assertEquals("1", sysctl(lab, "ha1", "net/ipv4/conf/all/rp_filter"), "all.rp_filter restored");
            assertEquals(eth0RpFilter, sysctl(lab, "ha1", "net/ipv4/conf/eth0/rp_filter"));
        }
    }

    /**
     * The IPv6 pair with use_vmac: keepalived 2.2.7's macvlan (00:00:5e:00:02:VRID, IPv6 on, no address from the
     * virtual MAC, the base's link-local address on it), adverts from that address and the virtual MAC, and the
     * client's neighbour entry for the IPv6 VIP unchanged by a failover.
     */
    @Test
    void anIpv6FailoverKeepsTheClientsNeighbourEntryForTheIpv6Vip() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            assumeMacvlan(lab);
            String vip6 = Ipv6IT.VIP6;
            lab.agent("ha1", lab.config("ha1", "keepalived.conf", vmac6(Ipv6IT.config("MASTER", 100, false))));
            lab.waitServing(vip6, "ha1", 20);
            lab.agent("ha2", lab.config("ha2", "keepalived.conf", vmac6(Ipv6IT.config("BACKUP", 99, false))));
            lab.awaitState("ha2", "VI_6", "BACKUP", 20);
            String link = lab.lab("exec", "ha1", "ip", "-d", "link", "show", "vrrp.66");
            assertTrue(link.contains("link/ether " + VMAC6) && link.contains("macvlan mode private")
                    && link.contains("addrgenmode none"), link);
            String addrs = lab.lab("exec", "ha1", "ip", "-o", "-6", "addr", "show", "dev", "vrrp.66");
            String baseLl = linkLocal(lab.lab("exec", "ha1", "ip", "-o", "-6", "addr", "show", "dev", "eth0",
                    "scope", "link"));
            assertEquals(baseLl, linkLocal(addrs), "the base's link-local address, as keepalived: " + addrs);
            assertFalse(addrs.contains("fe80::200:5eff:fe00:242"), "none made from the virtual MAC: " + addrs);
            assertTrue(addrs.contains(" " + vip6 + "/64"), lab.agentLog("ha1"));
            assertEquals("0", sysctl(lab, "ha1", "net/ipv6/conf/vrrp.66/disable_ipv6"));
            assertEquals("0", sysctl(lab, "ha1", "net/ipv4/conf/eth0/arp_ignore"), "no ARP settings for IPv6");
            String advert = lab.lab("exec", "ha2", "timeout", "10", "tshark", "-l", "-i", "eth0", "-c", "1", "-f",
                    "ip6 proto 112", "-T", "fields", "-E", "separator=,", "-e", "eth.src", "-e", "ipv6.src")
                    .lines().filter(l -> l.contains(",")).findFirst().orElse("none").strip();
            assertEquals(VMAC6 + "," + baseLl, advert, "adverts from the macvlan's address and the virtual MAC");
            String before = neighbour6(lab, vip6);
            assertTrue(before.contains("lladdr " + VMAC6), "the client learnt the virtual MAC: " + before);

            lab.stop("ha1", "agent");
            lab.waitServing(vip6, "ha2", 10);
            String after = neighbour6(lab, vip6);
            assertTrue(after.contains("lladdr " + VMAC6), "the same MAC after the failover: " + after);
            assertTrue(lab.lab("exec", "ha2", "ip", "-o", "-6", "addr", "show", "dev", "vrrp.66")
                    .contains(" " + vip6 + "/64"), lab.agentLog("ha2"));
            assertFalse(lab.lab("exec", "ha1", "ip", "-o", "link", "show").contains("vrrp.66"), lab.agentLog("ha1"));
        }
    }

    private static String vmac6(String config) {
        return config.replace("    advert_int 1\n", "    advert_int 1\n    use_vmac\n");
    }

    /** The fe80:: address in {@code ip -o -6 addr} output, without its prefix length. */
    private static String linkLocal(String ipOutput) {
        return java.util.Arrays.stream(ipOutput.split("\\s+")).filter(w -> w.startsWith("fe80:"))
                .map(w -> w.substring(0, w.indexOf('/'))).findFirst().orElse("none");
    }

    private static String neighbour6(NetnsLab lab, String vip) throws IOException {
        return lab.lab("exec", "client", "ip", "-6", "neigh", "show", vip).strip();
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
