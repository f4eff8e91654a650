package io.nginxha.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * keepalived's own sample config shape (vrrp_strict, authentication PASS) run by the agent beside keepalived 2.2.7,
 * in the private namespace lab. Strict mode ignores the authentication on both (had the agent kept it, keepalived
 * would drop its adverts and both would be master), and without 'accept' both drop traffic to the VIP while
 * master, in the same nftables table.
 */
class StrictModeIT {

    private static String strict(String seed) {
        return seed.replace("global_defs {\n", "global_defs {\n    vrrp_strict\n    vrrp_skip_check_adv_addr\n");
    }

    private static String table(NetnsLab lab, String host) throws IOException {
        try {
            return lab.lab("exec", host, "nft", "list", "table", "ip", "keepalived");
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void agentAndKeepalivedInStrictModeShareTheVrIdAndBothDropTrafficToTheVip() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            Path c1 = lab.config("ha1", "keepalived.conf", strict(LabConfigs.seed("MASTER", 100)));
            Path c2 = lab.config("ha2", "keepalived.conf", strict(LabConfigs.seed("BACKUP", 99)));
            lab.agent("ha1", c1);
            lab.awaitState("ha1", "MASTER", 10);
            lab.keepalived("ha2", c2);
            Thread.sleep(4500); // past keepalived's Master_Down_Interval: it hears the agent and stays backup
            assertEquals("ha1", lab.holder(), "keepalived accepts the agent's strict adverts");
            String agentTable = table(lab, "ha1");
            assertTrue(agentTable.contains("ip daddr @vips drop") && agentTable.contains(NetnsLab.VIP), agentTable);
            assertTrue(lab.agentLog("ha1").contains("strict mode does not support authentication"), lab.agentLog("ha1"));

            AcceptModeIT.stopAndWait(lab, "ha1");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!"ha2".equals(lab.holder()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals("ha2", lab.holder());
            assertEquals("", lab.lab("exec", "ha1", "nft", "list", "ruleset").strip(), "the agent left nothing");
            deadline = System.nanoTime() + 5_000_000_000L;
            while (!table(lab, "ha2").contains(NetnsLab.VIP) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            String keepalivedTable = table(lab, "ha2");
            System.out.println("agent's table:\n" + agentTable + "\nkeepalived's table:\n" + keepalivedTable);
            for (String rule : new String[] {"set vips", "type ipv4_addr", "chain in", "type filter hook input priority",
                    "ip daddr @vips drop", "chain out", "type filter hook output priority", "ip saddr @vips drop"}) {
                assertTrue(keepalivedTable.contains(rule) && agentTable.contains(rule), rule + "\n" + keepalivedTable);
            }

            lab.agent("ha1", c1); // back, higher priority: keepalived gives way
            lab.awaitState("ha1", "MASTER", 15);
            Thread.sleep(1500);
            assertEquals("ha1", lab.holder());
        }
    }
}
