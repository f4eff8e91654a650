package io.nginxha.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Accept mode off on the wire, in the private namespace lab: the master's VIP answers neither HTTP nor ping with
 * no_accept (keepalived's nftables table drops it) and answers both with accept; a reload that turns accept on
 * removes the table, one that turns it off puts it back, and nothing is left in the master's ruleset after the
 * agent stops. The client and ha1 are namespaces the lab made; nothing leaves them.
 */
class AcceptModeIT {

    private static void hup(NetnsLab lab, String host) throws IOException, InterruptedException {
        String pid = Files.readString(lab.dir().resolve(host).resolve("agent.pid")).strip();
        assertEquals(0, new ProcessBuilder("kill", "-HUP", pid).inheritIO().start().waitFor());
    }

    /** Stops {@code host}'s agent (SIGTERM) and waits until its process is gone. */
    static void stopAndWait(NetnsLab lab, String host) throws IOException, InterruptedException {
        String pid = Files.readString(lab.dir().resolve(host).resolve("agent.pid")).strip();
        lab.stop(host, "agent");
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
            assertTrue(System.nanoTime() < deadline, "the agent did not stop within 15 s");
            Thread.sleep(50);
        }
    }

    private static String ruleset(NetnsLab lab) throws IOException {
        return lab.lab("exec", "ha1", "nft", "list", "ruleset");
    }

    /** The client's HTTP answer from the VIP ("" when none within 1 s). */
    private static String get(NetnsLab lab, String address) throws IOException {
        try {
            return lab.lab("exec", "client", "curl", "-s", "--max-time", "1", "http://" + address + "/").strip();
        } catch (IOException e) {
            return ""; // curl exits non-zero on a timeout
        }
    }

    private static boolean pings(NetnsLab lab, String address) {
        try {
            lab.lab("exec", "client", "ping", "-c", "1", "-W", "1", address);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void noAcceptDropsTrafficToTheMastersVipAndAcceptAnswersIt() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            String noAccept = LabConfigs.seed("MASTER", 100, 2, "1", "    no_accept\n");
            String accept = LabConfigs.seed("MASTER", 100, 2, "1", "");
            Path conf = lab.config("ha1", "keepalived.conf", noAccept);
            lab.agent("ha1", conf);
            lab.awaitState("ha1", "MASTER", 10);
            assertEquals("ha1", lab.holder());
            String rules = ruleset(lab);
            assertTrue(rules.contains("table ip keepalived") && rules.contains(NetnsLab.VIP), rules);
            assertEquals("", get(lab, NetnsLab.VIP), "no_accept: HTTP to the VIP is dropped");
            assertFalse(pings(lab, NetnsLab.VIP), "no_accept: ping to the VIP is dropped");
            assertTrue(pings(lab, "192.168.16.128"), "the host's own address still answers");
            assertTrue(get(lab, "192.168.16.128").startsWith("ha1"), "and serves");

            Files.writeString(conf, accept);
            hup(lab, "ha1");
            lab.waitServing("ha1", 10);
            assertTrue(pings(lab, NetnsLab.VIP), "accept: ping to the VIP answered");
            assertEquals("", ruleset(lab).strip(), "a reload that no longer needs the table removes it");

            Files.writeString(conf, noAccept);
            hup(lab, "ha1");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!ruleset(lab).contains(NetnsLab.VIP) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(ruleset(lab).contains(NetnsLab.VIP), lab.agentLog("ha1"));
            assertEquals("", get(lab, NetnsLab.VIP), "no_accept again after a reload");

            stopAndWait(lab, "ha1");
            assertEquals("", ruleset(lab).strip(), "nothing left in the ruleset after the agent stops");
            assertEquals("none", lab.holder());
        }
    }

    @Test
    void noAcceptDropsIpv6TrafficToTheVipButLetsNeighbourDiscoveryThrough() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            String vip6 = Ipv6IT.VIP6;
            String noAccept = Ipv6IT.config("MASTER", 100, false).replace("    advert_int 1\n",
                    "    advert_int 1\n    no_accept\n");
            lab.agent("ha1", lab.config("ha1", "keepalived.conf", noAccept));
            lab.awaitState("ha1", "VI_6", "MASTER", 15);
            String rules = lab.lab("exec", "ha1", "nft", "list", "table", "ip6", "keepalived");
            assertTrue(rules.contains("fd00:16::130") && rules.contains("icmpv6 type @neighbor-discovery accept"),
                    rules);
            assertEquals("", get(lab, "[" + vip6 + "]"), "no_accept: HTTP to the IPv6 VIP is dropped");
            assertFalse(pings(lab, vip6), "no_accept: ping to the IPv6 VIP is dropped");
            // neighbour discovery still answers for the VIP: the client learnt ha1's MAC for it
            String neigh = lab.lab("exec", "client", "ip", "-6", "neigh", "show", vip6);
            assertTrue(neigh.contains("lladdr " + lab.mac("ha1")), neigh);
            assertTrue(pings(lab, "fd00:16::128"), "the host's own IPv6 address still answers");
            stopAndWait(lab, "ha1");
            assertEquals("", ruleset(lab).strip(), "nothing left after the agent stops: " + lab.agentLog("ha1"));
        }
    }
}
