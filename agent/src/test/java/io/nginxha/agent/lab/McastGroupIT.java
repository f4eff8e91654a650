package io.nginxha.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * VRRP on a multicast group other than 224.0.0.18, in the private namespace lab: a pair of agents on the group of
 * vrrp_mcast_group4 elects one master, and the agent and keepalived 2.2.7 on the group of mcast_dst_ip do too and
 * fail over both ways. Had either sent to or listened on another group, both would be master ("both" holders).
 * The first also checks promote_secondaries: on for the interface while the agent runs, off after.
 */
class McastGroupIT {

    private static String withGroup(String seed, String group) {
        return seed.replace("global_defs {\n", "global_defs {\n    vrrp_mcast_group4 " + group + "\n");
    }

    @Test
    void twoAgentsOnTheGroupOfVrrpMcastGroup4ElectOneMaster() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            String promote = "net.ipv4.conf.eth0.promote_secondaries";
            assertEquals(promote + " = 0", lab.lab("exec", "ha1", "sysctl", promote).strip());
            lab.agent("ha1", lab.config("ha1", "keepalived.conf", withGroup(LabConfigs.seed("MASTER", 100, 2, "1",
                    "    promote_secondaries\n"), "224.0.0.41")));
            lab.waitServing("ha1", 20);
            assertEquals(promote + " = 1", lab.lab("exec", "ha1", "sysctl", promote).strip(), "set while it runs");
            lab.agent("ha2", lab.config("ha2", "keepalived.conf",
                    withGroup(LabConfigs.seed("BACKUP", 99), "224.0.0.41")));
            Thread.sleep(4500); // past ha2's Master_Down_Interval: only hearing ha1 on 224.0.0.41 keeps it backup
            assertEquals("ha1", lab.holder());
            assertEquals("BACKUP", lab.state("ha2"));
            lab.stop("ha1", "agent"); // resigns with priority 0 on the group
            lab.waitServing("ha2", 5);
            assertEquals(promote + " = 0", lab.lab("exec", "ha1", "sysctl", promote).strip(), "reset at stop");
            assertEquals("ha2", lab.holder());
        }
    }

    @Test
    void agentAndKeepalivedOnTheGroupOfMcastDstIpFailOverBothWays() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            String group = "    mcast_dst_ip 224.0.0.40\n";
            Path c1 = lab.config("ha1", "keepalived.conf", LabConfigs.seed("MASTER", 100, 2, "1", group));
            Path c2 = lab.config("ha2", "keepalived.conf", LabConfigs.seed("BACKUP", 99, 2, "1", group));
            lab.agent("ha1", c1);
            lab.waitServing("ha1", 20);
            lab.keepalived("ha2", c2);
            Thread.sleep(4500);
            assertEquals("ha1", lab.holder(), "keepalived hears the agent on 224.0.0.40 and stays backup");

            lab.powerOff("ha1");
            lab.waitServing("ha2", 10);
            lab.powerOn("ha1");
            lab.agent("ha1", c1);
            lab.waitServing("ha1", 15);
            Thread.sleep(1500);
            // only ha1: keepalived heard the agent's higher priority on the group and released the VIP
            assertEquals("ha1", lab.holder(), "the agent preempted keepalived on the group");
        }
    }
}
