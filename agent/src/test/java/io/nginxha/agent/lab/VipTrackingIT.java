package io.nginxha.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * keepalived's tracking of VIPs (keepalived_netlink.c): when someone deletes the master's VIP, the master resigns
 * (priority 0) and comes back, or its peer takes over, within about a second, so the VIP is served again; with
 * {@code no_track} on the VIP nothing happens, as in keepalived.
 */
class VipTrackingIT {

    @Test
    void aVipDeletedBehindTheMastersBackIsServedAgainAtOnce() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            lab.startPair("", "");
            assertEquals("ha1", lab.holder());
            long t0 = System.nanoTime();
            lab.lab("exec", "ha1", "ip", "addr", "del", NetnsLab.VIP + "/" + prefix(lab), "dev", "eth0");
            String holder = "none";
            while (System.nanoTime() - t0 < 5_000_000_000L && holder.equals("none")) {
                Thread.sleep(100);
                holder = lab.holder();
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            System.out.printf("VIP deleted on the master: held again by %s after %.0f ms%n", holder, ms);
            assertTrue(holder.equals("ha1") || holder.equals("ha2"), "nobody took the VIP back: "
                    + lab.agentLog("ha1"));
            assertTrue(lab.agentLog("ha1").contains("was removed from eth0 by someone else"), lab.agentLog("ha1"));
        }
    }

    @Test
    void noTrackLeavesItToTheOperator() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            String seed = LabConfigs.seed("MASTER", 100);
            String conf = seed.replace("        " + NetnsLab.VIP + "\n", "        " + NetnsLab.VIP + " no_track\n");
            assertTrue(conf.contains(" no_track"), seed);
            lab.agent("ha1", lab.config("ha1", "keepalived.conf", conf));
            lab.waitServing("ha1", 20);
            lab.lab("exec", "ha1", "ip", "addr", "del", NetnsLab.VIP + "/" + prefix(lab), "dev", "eth0");
            Thread.sleep(2500); // ten times keepalived's way back
            assertEquals("none", lab.holder(), "no_track: the agent does not put it back");
            assertTrue(lab.state("ha1").contains("MASTER"), lab.status("ha1"));
        }
    }

    private static String prefix(NetnsLab lab) throws IOException {
        String addrs = lab.lab("exec", "ha1", "ip", "-o", "-4", "addr", "show", "dev", "eth0");
        int at = addrs.indexOf(NetnsLab.VIP + "/");
        assertTrue(at >= 0, addrs);
        return addrs.substring(at + NetnsLab.VIP.length() + 1).split("\\s")[0];
    }
}
