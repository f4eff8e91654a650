package io.nginxha.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.drill.Summary;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent on both hosts of a private namespace lab, real nginx, a client polling the VIP every 10 ms. */
class FailoverIT {

    @Test
    void electsTheHigherPriorityAndSurvivesPowerOffOfTheMaster() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            lab.agent("ha1", lab.config("ha1", "keepalived.conf", LabConfigs.seed("MASTER", 100)));
            lab.waitServing("ha1", 20);
            lab.agent("ha2", lab.config("ha2", "keepalived.conf", LabConfigs.seed("BACKUP", 99)));
            Thread.sleep(4500); // longer than ha2's Master_Down_Interval: it must hear ha1 and stay backup
            assertEquals("ha1", lab.holder());
            assertTrue(lab.agentLog("ha2").contains("VI_1 INIT -> BACKUP"), lab.agentLog("ha2"));
            assertTrue(!lab.agentLog("ha2").contains("-> MASTER"), lab.agentLog("ha2"));

            NetnsLab.Poll poll = lab.poll();
            Thread.sleep(500);
            lab.powerOff("ha1");
            lab.waitServing("ha2", 10);
            assertEquals("ha2", lab.holder(), "after power-off only the backup may hold the VIP");

            lab.powerOn("ha1");
            lab.agent("ha1", lab.dir().resolve("ha1/keepalived.conf"));
            lab.waitServing("ha1", 15);
            Thread.sleep(300);
            Summary s = poll.stop();
            System.out.println("power-off then power-on: " + s);
            assertEquals(List.of("ha1", "ha2", "ha1"), s.served(), "served by master, backup, master again");
            assertTrue(s.outageMs() > 0 && s.outageMs() < 10_000, "outage " + s.outageMs());
            assertEquals("ha1", lab.holder());
            assertTrue(lab.agentLog("ha2").contains("VI_1 BACKUP -> MASTER"), lab.agentLog("ha2"));
        }
    }

    @Test
    void sigtermOnTheMasterHandsOverWithinOneAdvertInterval() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            lab.agent("ha1", lab.config("ha1", "keepalived.conf", LabConfigs.seed("MASTER", 100)));
            lab.agent("ha2", lab.config("ha2", "keepalived.conf", LabConfigs.seed("BACKUP", 99)));
            lab.waitServing("ha1", 20);
            NetnsLab.Poll poll = lab.poll();
            Thread.sleep(500);
            lab.stop("ha1", "agent");
            lab.waitServing("ha2", 5);
            Thread.sleep(200);
            Summary s = poll.stop();
            System.out.println("SIGTERM on master: " + s);
            assertEquals(List.of("ha1", "ha2"), s.served());
            // Priority 0 lets the backup take over after its skew time (0.61 s at priority 99), not 3.6 s.
            assertTrue(s.outageMs() < 1000, "outage " + s.outageMs() + " ms exceeds one advert interval");
            assertEquals("ha2", lab.holder(), "the stopped master must have removed its VIP");
        }
    }

    @Test
    void unicastPeersElectAndFailOverWithoutMulticast() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            lab.agent("ha1", lab.config("ha1", "keepalived.conf", LabConfigs.seed("MASTER", 100, 2, "1",
                    LabConfigs.unicast("192.168.16.128", "192.168.16.129"))));
            lab.agent("ha2", lab.config("ha2", "keepalived.conf", LabConfigs.seed("BACKUP", 99, 2, "1",
                    LabConfigs.unicast("192.168.16.129", "192.168.16.128"))));
            lab.waitServing("ha1", 20);
            String destinations = lab.lab("exec", "ha2", "timeout", "15", "tshark", "-l", "-i", "eth0", "-c", "2",
                    "-f", "ip proto 112", "-T", "fields", "-e", "ip.dst");
            assertTrue(destinations.lines().filter(l -> l.matches("[0-9.]+")).allMatch("192.168.16.129"::equals)
                    && destinations.contains("192.168.16.129"), "adverts must go to the peer only: " + destinations);
            lab.powerOff("ha1");
            lab.waitServing("ha2", 10);
            assertEquals("ha2", lab.holder());
        }
    }
}
