package io.nginxha.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A vrrp_sync_group of two instances on two interfaces (VI_1 on eth0 with the seed's VIP, VI_2 on eth1 with
 * 192.168.17.130, two bridges), in the private namespace lab: the group moves as one when the master loses one of
 * its two links (that member's FAULT takes the other along, so neither host holds half the group), when the link
 * comes back (the master preempts both), and on the master's power-off; and the same against keepalived 2.2.7 on
 * the other host, both ways round, so the agent's group and keepalived's meet on the wire as keepalived's do.
 */
class SyncGroupIT {

    /** The same text for the agent and keepalived: the group, then its two members. */
    static String config(String host, String state, int priority) {
        return config(host, state, priority, "");
    }

    /** With {@code globals} (lines of global_defs) added. */
    static String config(String host, String state, int priority, String globals) {
        return """
                global_defs {
                    router_id %1$s
                %6$s}
                vrrp_sync_group G1 {
                    group {
                        VI_1
                        VI_2
                    }
                }
                vrrp_instance VI_1 {
                    state %2$s
                    interface eth0
                    virtual_router_id 66
                    priority %3$d
                    advert_int 1
                    authentication {
                        auth_type PASS
                        auth_pass 1111
                    }
                    virtual_ipaddress {
                        %4$s
                    }
                }
                vrrp_instance VI_2 {
                    state %2$s
                    interface eth1
                    virtual_router_id 67
                    priority %3$d
                    advert_int 1
                    authentication {
                        auth_type PASS
                        auth_pass 2222
                    }
                    virtual_ipaddress {
                        %5$s
                    }
                }
                """.formatted(host, state, priority, NetnsLab.VIP, NetnsLab.VIP_1, globals);
    }

    /** Both VIPs' holders, "VI_1 holder / VI_2 holder". */
    private static String holders(NetnsLab lab) throws IOException {
        return lab.holder(NetnsLab.VIP, "eth0") + "/" + lab.holder(NetnsLab.VIP_1, "eth1");
    }

    /** Waits until {@code host} holds both VIPs and the client gets its page from each. */
    private static void awaitBoth(NetnsLab lab, String host, int seconds) throws Exception {
        lab.waitServing(NetnsLab.VIP, host, seconds);
        lab.waitServing(NetnsLab.VIP_1, host, seconds);
        assertEquals(host + "/" + host, holders(lab), "the group's two VIPs on one host only");
    }

    /** The whole group stays on {@code host} for {@code millis}: never half of it elsewhere. */
    private static void staysWith(NetnsLab lab, String host, long millis) throws Exception {
        long end = System.currentTimeMillis() + millis;
        do {
            assertEquals(host + "/" + host, holders(lab), "the group split");
            Thread.sleep(100);
        } while (System.currentTimeMillis() < end);
    }

    /** global_defs lines for a vrrp_notify_fifo of {@code host} whose script copies its lines to HOST/fifo.lines. */
    private static String fifo(NetnsLab lab, String host) throws IOException {
        Path lines = lab.dir().resolve(host).resolve("fifo.lines");
        Path reader = lab.config(host, "fifo-reader.sh", "#!/bin/sh\nexec cat \"$1\" >> " + lines + "\n");
        reader.toFile().setExecutable(true);
        return "    vrrp_notify_fifo " + lab.dir().resolve(host).resolve("vrrp.fifo") + "\n"
                + "    vrrp_notify_fifo_script " + reader + "\n";
    }

    private static java.util.List<String> fifoLines(NetnsLab lab, String host) throws IOException {
        Path lines = lab.dir().resolve(host).resolve("fifo.lines");
        return Files.exists(lines) ? Files.readAllLines(lines) : java.util.List.of();
    }

    private static NetnsLab twoNetworks() throws IOException {
        NetnsLab lab = NetnsLab.start();
        try {
            lab.secondNet();
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    private static Path conf(NetnsLab lab, String host, String state, int priority) throws IOException {
        return lab.config(host, "keepalived.conf", config(host, state, priority));
    }

    @Test
    void theGroupMovesTogetherOnOneLinkLossAndOnPowerOff() throws Exception {
        try (NetnsLab lab = twoNetworks()) {
            // ha1's vrrp_notify_fifo, made by the agent, read by its fifo script: keepalived's lines of the moves
            Path fifoLines = lab.dir().resolve("ha1/fifo.lines");
            lab.agent("ha1", lab.config("ha1", "keepalived.conf", config("ha1", "MASTER", 100, fifo(lab, "ha1"))));
            awaitBoth(lab, "ha1", 20);
            lab.agent("ha2", conf(lab, "ha2", "BACKUP", 99));
            lab.awaitState("ha2", "VI_1", "BACKUP", 20);
            lab.awaitState("ha2", "VI_2", "BACKUP", 20);
            staysWith(lab, "ha1", 4000); // past ha2's Master_Down_Interval: it hears ha1 on both links

            lab.cable("ha1", "eth1", false); // VI_2's link only: VI_1's eth0 is fine
            awaitBoth(lab, "ha2", 10);
            lab.awaitState("ha1", "VI_2", "FAULT", 5);
            lab.awaitState("ha1", "VI_1", "FAULT", 5); // held in FAULT by its group, its own link being up
            assertTrue(lab.agentLog("ha1").contains("sync group G1 MASTER -> FAULT"), lab.agentLog("ha1"));
            java.util.List<String> lines = Files.readAllLines(fifoLines);
            assertTrue(lines.containsAll(java.util.List.of("GROUP \"G1\" MASTER 0", "INSTANCE \"VI_1\" MASTER 100",
                    "INSTANCE \"VI_2\" FAULT 100", "GROUP \"G1\" FAULT 0", "INSTANCE \"VI_1\" FAULT 100")),
                    lines.toString());
            assertTrue(lines.indexOf("GROUP \"G1\" FAULT 0") > lines.indexOf("INSTANCE \"VI_1\" FAULT 100"),
                    "the members' lines first, then the group's, as keepalived writes them: " + lines);
            staysWith(lab, "ha2", 1500);

            lab.cable("ha1", "eth1", true);
            awaitBoth(lab, "ha1", 15); // back to BACKUP together, then both preempt with priority 100
            lab.awaitState("ha2", "VI_1", "BACKUP", 5);
            lab.awaitState("ha2", "VI_2", "BACKUP", 5);
            staysWith(lab, "ha1", 1500);

            lab.powerOff("ha1");
            awaitBoth(lab, "ha2", 10);
            String log2 = lab.agentLog("ha2");
            assertTrue(log2.contains("sync group G1 BACKUP -> MASTER"), log2);
        }
    }

    @Test
    void keepalivedMasterGroupFailsOverToTheAgentsGroup() throws Exception {
        try (NetnsLab lab = twoNetworks()) {
            // both with a vrrp_notify_fifo: keepalived's lines and the agent's, side by side
            lab.keepalived("ha1", lab.config("ha1", "keepalived.conf", config("ha1", "MASTER", 100, fifo(lab, "ha1"))));
            awaitBoth(lab, "ha1", 20);
            lab.agent("ha2", lab.config("ha2", "keepalived.conf", config("ha2", "BACKUP", 99, fifo(lab, "ha2"))));
            lab.awaitState("ha2", "VI_1", "BACKUP", 20);
            lab.awaitState("ha2", "VI_2", "BACKUP", 20);
            staysWith(lab, "ha1", 4000);

            lab.cable("ha1", "eth1", false); // keepalived's VI_2 in FAULT takes its VI_1 along (priority 0)
            awaitBoth(lab, "ha2", 10);
            staysWith(lab, "ha2", 1500);
            assertTrue(keepalivedLog(lab).contains("(VI_1) Entering FAULT STATE"), keepalivedLog(lab));
            java.util.List<String> theirs = fifoLines(lab, "ha1");
            java.util.List<String> ours = fifoLines(lab, "ha2");
            // the same events in the same words from both: keepalived's group and instance lines, and the agent's
            assertTrue(theirs.containsAll(java.util.List.of("GROUP \"G1\" MASTER 0", "GROUP \"G1\" FAULT 0",
                    "INSTANCE \"VI_2\" FAULT 100")), "keepalived's FIFO: " + theirs);
            assertTrue(ours.containsAll(java.util.List.of("GROUP \"G1\" BACKUP 0", "GROUP \"G1\" MASTER 0",
                    "INSTANCE \"VI_2\" MASTER 99")), "the agent's FIFO: " + ours);
            assertTrue(ours.lastIndexOf("GROUP \"G1\" MASTER 0") > ours.lastIndexOf("INSTANCE \"VI_2\" MASTER 99")
                    && theirs.indexOf("GROUP \"G1\" MASTER 0") > theirs.indexOf("INSTANCE \"VI_2\" MASTER 100"),
                    "a group's line after its members', from both: " + theirs + " / " + ours);
            assertTrue(theirs.stream().allMatch(l -> l.matches("(INSTANCE|GROUP) \"[^\"]+\" [A-Z_]+ \\d+")), theirs.toString());

            lab.cable("ha1", "eth1", true);
            awaitBoth(lab, "ha1", 15);
            lab.awaitState("ha2", "VI_1", "BACKUP", 5);
            lab.awaitState("ha2", "VI_2", "BACKUP", 5);

            lab.powerOff("ha1");
            awaitBoth(lab, "ha2", 10);
        }
    }

    @Test
    void agentMasterGroupFailsOverToKeepalivedsGroup() throws Exception {
        try (NetnsLab lab = twoNetworks()) {
            lab.agent("ha1", conf(lab, "ha1", "MASTER", 100));
            awaitBoth(lab, "ha1", 20);
            lab.keepalived("ha2", conf(lab, "ha2", "BACKUP", 99));
            Thread.sleep(1000);
            staysWith(lab, "ha1", 4000);

            lab.cable("ha1", "eth1", false); // the agent's group resigns both: keepalived must take both
            awaitBoth(lab, "ha2", 10);
            lab.awaitState("ha1", "VI_1", "FAULT", 5);
            staysWith(lab, "ha2", 1500);

            lab.cable("ha1", "eth1", true);
            awaitBoth(lab, "ha1", 15);
            staysWith(lab, "ha1", 1500);

            lab.powerOff("ha1");
            awaitBoth(lab, "ha2", 10);
            String log = Files.readString(lab.dir().resolve("ha2/keepalived.log"));
            assertTrue(log.contains("(VI_2) Entering MASTER STATE"), log);
        }
    }

    private static String keepalivedLog(NetnsLab lab) throws IOException {
        return Files.readString(lab.dir().resolve("ha1/keepalived.log"));
    }
}
