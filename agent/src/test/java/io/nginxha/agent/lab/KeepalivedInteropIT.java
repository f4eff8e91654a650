package io.nginxha.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** keepalived 2.2.7 and the agent as the two routers of one VRID, both ways round, failing over both ways. */
class KeepalivedInteropIT {

    @Test
    void keepalivedMasterAgentBackup() throws Exception {
        cycle(true, 2, "1");
    }

    @Test
    void agentMasterKeepalivedBackup() throws Exception {
        cycle(false, 2, "1");
    }

    @Test
    void keepalivedMasterAgentBackupVersion3() throws Exception {
        cycle(true, 3, "0.1");
    }

    @Test
    void agentMasterKeepalivedBackupVersion3() throws Exception {
        cycle(false, 3, "0.1");
    }

    /** Master serves; it powers off, the other serves; it comes back and preempts. */
    private static void cycle(boolean keepalivedIsMaster, int version, String advertInt) throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            Path c1 = lab.config("ha1", "keepalived.conf", LabConfigs.seed("MASTER", 100, version, advertInt, ""));
            Path c2 = lab.config("ha2", "keepalived.conf", LabConfigs.seed("BACKUP", 99, version, advertInt, ""));
            startMaster(lab, keepalivedIsMaster, c1);
            if (keepalivedIsMaster) {
                lab.agent("ha2", c2);
            } else {
                lab.keepalived("ha2", c2);
            }
            lab.waitServing("ha1", 20);
            Thread.sleep(1500);
            assertEquals("ha1", lab.holder(), "the lower-priority router must stay backup");

            lab.powerOff("ha1");
            lab.waitServing("ha2", 10);
            assertEquals("ha2", lab.holder());

            lab.powerOn("ha1");
            startMaster(lab, keepalivedIsMaster, c1);
            lab.waitServing("ha1", 15);
            Thread.sleep(1000);
            assertEquals("ha1", lab.holder(), "after preemption only the master holds the VIP");
            if (keepalivedIsMaster) {
                assertTrue(lab.agentLog("ha2").contains("MASTER -> BACKUP"), lab.agentLog("ha2"));
            }
        }
    }

    private static void startMaster(NetnsLab lab, boolean keepalived, Path config) throws Exception {
        if (keepalived) {
            lab.keepalived("ha1", config);
        } else {
            lab.agent("ha1", config);
        }
    }
}
