package io.nginxha.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * VRRPv3 over IPv6 (RFC 5798) in a private namespace lab (fd00:16::/64 beside 192.168.16.0/24): an IPv6-only pair,
 * a dual-stack pair whose IPv4 and IPv6 routers share VRID 66, and keepalived 2.2.7 as either router of an IPv6
 * pair. Each test builds and removes its own lab, also when it fails.
 */
class Ipv6IT {
    static final String VIP6 = "fd00:16::130";

    /** One IPv6 instance VI_6 and, with {@code dualStack}, an IPv4 instance VI_4 with the same VRID. */
    static String config(String state, int priority, boolean dualStack) {
        String v4 = !dualStack ? "" : """
                vrrp_instance VI_4 {
                    state %s
                    interface eth0
                    virtual_router_id 66
                    priority %d
                    advert_int 1
                    version 3
                    virtual_ipaddress {
                        192.168.16.130/24
                    }
                }
                """.formatted(state, priority);
        return """
                global_defs {
                    router_id %s
                }
                vrrp_instance VI_6 {
                    state %s
                    interface eth0
                    virtual_router_id 66
                    priority %d
                    advert_int 1
                    virtual_ipaddress {
                        %s/64
                    }
                }
                """.formatted(state.equals("MASTER") ? "ha1" : "ha2", state, priority, VIP6) + v4;
    }

    /** The first IPv6 VRRP frame ha2 receives: source MAC, source, destination, hop limit. */
    private static String firstAdvertSeenBy(NetnsLab lab, String host) throws Exception {
        return lab.lab("exec", host, "timeout", "10", "tshark", "-l", "-i", "eth0", "-c", "1", "-f", "ip6 proto 112",
                "-T", "fields", "-E", "separator=,", "-e", "eth.src", "-e", "ipv6.src", "-e", "ipv6.dst",
                "-e", "ipv6.hlim", "-e", "vrrp.ipv6_addr", "-e", "vrrp.checksum.status").lines().filter(l -> l.contains(",")).findFirst()
                .orElse("none").strip();
    }

    private static String logs(NetnsLab lab) {
        try {
            return "ha1:\n" + lab.agentLog("ha1") + "\nha2:\n" + lab.agentLog("ha2") + "\n"
                    + lab.lab("exec", "ha1", "ip", "-o", "addr", "show", "dev", "eth0");
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @Test
    void ipv6OnlyPairElectsAdvertisesOnTheWireAndFailsOver() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            // no IPv4 at all on the hosts: the agent used to refuse to start ("eth0 has no IPv4 address")
            lab.lab("exec", "ha1", "ip", "addr", "del", "192.168.16.128/24", "dev", "eth0");
            lab.lab("exec", "ha2", "ip", "addr", "del", "192.168.16.129/24", "dev", "eth0");
            lab.agent("ha1", lab.config("ha1", "keepalived.conf", config("MASTER", 100, false)));
            lab.waitServing(VIP6, "ha1", 20);
            lab.agent("ha2", lab.config("ha2", "keepalived.conf", config("BACKUP", 99, false)));
            lab.awaitState("ha2", "VI_6", "BACKUP", 20);
            String ha1Mac = lab.mac("ha1");
            String seen = firstAdvertSeenBy(lab, "ha2");
            String[] f = seen.split(",");
            assertEquals(6, f.length, seen);
            assertEquals("00:00:5e:00:02:42", f[0], "IPv6 virtual router MAC: " + seen + " (ha1 is " + ha1Mac + ")");
            assertTrue(f[1].startsWith("fe80::"), "from the link-local address: " + seen);
            assertEquals("ff02::12", f[2]);
            assertEquals("255", f[3]);
            assertEquals(VIP6, f[4]);
            assertEquals("1", f[5], "tshark verifies the checksum over the IPv6 pseudo-header: " + seen);
            Thread.sleep(4000); // beyond ha2's Master_Down_Interval: it must hear ha1
            assertEquals("ha1", lab.holder(VIP6), () -> logs(lab));
            assertEquals("BACKUP", lab.state("ha2", "VI_6"));
            assertEquals("IPv6", lab.instanceStatus("ha2", "VI_6").get("family"));

            // the client has talked to the VIP, so it caches ha1's MAC for it: the new master's unsolicited NA
            // (override flag) must replace that entry at once, not after the client's own reachability probes
            lab.lab("exec", "client", "curl", "-s", "--max-time", "1", "-o", "/dev/null", "http://[" + VIP6 + "]/");
            assertTrue(neighbor(lab).contains(lab.mac("ha1")), neighbor(lab));
            lab.powerOff("ha1");
            lab.awaitState("ha2", "VI_6", "MASTER", 10);
            Thread.sleep(300);
            assertTrue(neighbor(lab).contains(lab.mac("ha2")), "the client must have ha2's MAC for the VIP from its "
                    + "Neighbor Advertisement: " + neighbor(lab));
            lab.waitServing(VIP6, "ha2", 10);
            assertEquals("ha2", lab.holder(VIP6));
            assertTrue(lab.agentLog("ha2").contains("VI_6 BACKUP -> MASTER"), lab.agentLog("ha2"));
        }
    }

    private static String neighbor(NetnsLab lab) throws Exception {
        return lab.lab("exec", "client", "ip", "-6", "neigh", "show", VIP6, "dev", "eth0");
    }

    @Test
    void ipv6UnicastPeersElectAndFailOverWithoutMulticast() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            String unicast1 = LabConfigs.unicast("fd00:16::128", "fd00:16::129");
            String unicast2 = LabConfigs.unicast("fd00:16::129", "fd00:16::128");
            lab.agent("ha1", lab.config("ha1", "keepalived.conf", config("MASTER", 100, false)
                    .replace("    advert_int 1\n", "    advert_int 1\n" + unicast1)));
            lab.waitServing(VIP6, "ha1", 20);
            lab.agent("ha2", lab.config("ha2", "keepalived.conf", config("BACKUP", 99, false)
                    .replace("    advert_int 1\n", "    advert_int 1\n" + unicast2)));
            lab.awaitState("ha2", "VI_6", "BACKUP", 20);
            String seen = lab.lab("exec", "ha2", "timeout", "15", "tshark", "-l", "-i", "eth0", "-c", "2", "-f",
                    "ip6 proto 112", "-T", "fields", "-e", "ipv6.src", "-e", "ipv6.dst", "-e", "eth.dst");
            String ha2Mac = lab.mac("ha2");
            assertTrue(seen.lines().filter(l -> l.startsWith("fd00")).count() == 2
                    && seen.lines().filter(l -> l.startsWith("fd00"))
                    .allMatch(l -> l.equals("fd00:16::128\tfd00:16::129\t" + ha2Mac)),
                    "unicast adverts to ha2's address and MAC (found by Neighbor Solicitation): " + seen);
            Thread.sleep(4000);
            assertEquals("BACKUP", lab.state("ha2", "VI_6"), lab.agentLog("ha2"));
            lab.powerOff("ha1");
            lab.waitServing(VIP6, "ha2", 10);
            assertEquals("ha2", lab.holder(VIP6));
        }
    }

    @Test
    void dualStackPairWithOneVridRunsOneRouterPerFamily() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            lab.agent("ha1", lab.config("ha1", "keepalived.conf", config("MASTER", 100, true)));
            lab.waitServing(VIP6, "ha1", 20);
            lab.waitServing("ha1", 20);
            lab.agent("ha2", lab.config("ha2", "keepalived.conf", config("BACKUP", 99, true)));
            lab.awaitState("ha2", "VI_6", "BACKUP", 20);
            lab.awaitState("ha2", "VI_4", "BACKUP", 20);
            Thread.sleep(4500);
            assertEquals("BACKUP", lab.state("ha2", "VI_4"), lab.agentLog("ha2"));
            assertEquals("BACKUP", lab.state("ha2", "VI_6"), lab.agentLog("ha2"));
            assertEquals("MASTER", lab.state("ha1", "VI_4"));
            assertEquals("MASTER", lab.state("ha1", "VI_6"));
            assertEquals("ha1", lab.holder(), "one master for IPv4");
            assertEquals("ha1", lab.holder(VIP6), "one master for IPv6");
            assertTrue(!lab.agentLog("ha2").contains("-> MASTER"), lab.agentLog("ha2"));
            assertTrue(!lab.agentLog("ha1").contains("ERROR"), lab.agentLog("ha1"));

            lab.powerOff("ha1");
            lab.waitServing(VIP6, "ha2", 10);
            lab.waitServing("ha2", 10);
            assertEquals("ha2", lab.holder());
            assertEquals("ha2", lab.holder(VIP6));
        }
    }

    @Test
    void keepalivedMasterAgentBackupOverIpv6() throws Exception {
        interop(true);
    }

    @Test
    void agentMasterKeepalivedBackupOverIpv6() throws Exception {
        interop(false);
    }

    private static void interop(boolean keepalivedIsMaster) throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            Path c1 = lab.config("ha1", "keepalived.conf", config("MASTER", 100, false));
            Path c2 = lab.config("ha2", "keepalived.conf", config("BACKUP", 99, false));
            if (keepalivedIsMaster) {
                lab.keepalived("ha1", c1);
                lab.waitServing(VIP6, "ha1", 20);
                lab.agent("ha2", c2);
                Thread.sleep(4500);
                assertEquals("BACKUP", lab.state("ha2", "VI_6"), lab.agentLog("ha2"));
            } else {
                lab.agent("ha1", c1);
                lab.waitServing(VIP6, "ha1", 20);
                lab.keepalived("ha2", c2);
                Thread.sleep(4500);
            }
            assertEquals("ha1", lab.holder(VIP6), "the lower-priority router must stay backup");

            lab.powerOff("ha1");
            lab.waitServing(VIP6, "ha2", 10);
            assertEquals("ha2", lab.holder(VIP6));
            if (keepalivedIsMaster) {
                assertTrue(lab.agentLog("ha2").contains("VI_6 BACKUP -> MASTER"), lab.agentLog("ha2"));
            }
        }
    }
}
