package io.nginxha.agent.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.ConfigLoader;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.vrrp.SyncGroup;
import io.nginxha.agent.vrrp.VrrpState;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notifier's FIFO path end to end: a vrrp_notify_fifo made by the agent, its script started with the FIFO's path
 * last and reading keepalived's lines from it, priority changes by notify_priority_changes, the states written again
 * on reload, and at the end the FIFO removed and the script stopped.
 */
class NotifierFifoTest {
    @TempDir
    Path dir;

    private AgentConfig config(String globals, String extra) throws Exception {
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, "global_defs {\n" + globals + "}\n"
                + "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 66\n virtual_ipaddress { 10.1.1.1 }\n"
                + extra + "}\n"
                + "vrrp_instance VI_2 {\n interface eth1\n virtual_router_id 67\n virtual_ipaddress { 10.1.2.1 }\n}\n"
                + "vrrp_sync_group G {\n group {\n VI_1\n VI_2\n }\n}\n");
        return ConfigLoader.loadWithWarnings(conf).config();
    }

    /** The FIFO's reader: records its arguments, then copies every line it reads to {@code got}. */
    private Path reader() throws Exception {
        Path script = dir.resolve("reader.sh");
        Files.writeString(script, "#!/bin/sh\necho \"$@\" > " + dir.resolve("args") + "\nfor last; do :; done\nexec cat \"$last\" >> "
                + dir.resolve("got") + "\n");
        script.toFile().setExecutable(true);
        return script;
    }

    private List<String> waitLines(int n) throws Exception {
        Path got = dir.resolve("got");
        for (int i = 0; i < 500; i++) {
            if (Files.exists(got) && Files.readAllLines(got).size() >= n) {
                break;
            }
            Thread.sleep(10);
        }
        return Files.exists(got) ? Files.readAllLines(got) : List.of();
    }

    private static InstanceConfig vi(AgentConfig c, int n) {
        return c.instances().get(n - 1);
    }

    @Test
    void theScriptReadsKeepalivedsLinesFromTheFifoTheAgentMade() throws Exception {
        Path fifo = dir.resolve("vrrp.fifo");
        AgentConfig c = config(" vrrp_notify_fifo " + fifo + "\n vrrp_notify_fifo_script \"" + reader() + " tag\"\n",
                " notify_priority_changes\n");
        Notifier n = Notifier.create(c, null);
        try {
            n.transition(vi(c, 1), VrrpState.INIT, VrrpState.BACKUP, 100, "start");
            n.groupTransition(c.syncGroups().get(0), VrrpState.BACKUP, VrrpState.MASTER, "every member wants MASTER");
            n.transition(vi(c, 1), VrrpState.BACKUP, VrrpState.MASTER, 100, "timeout");
            n.priorityChanged(vi(c, 1), VrrpState.MASTER, 90);
            n.priorityChanged(vi(c, 2), VrrpState.BACKUP, 80); // VI_2 has notify_priority_changes off
            n.lowerPriorityMaster(vi(c, 1), 90);
            n.transition(vi(c, 1), VrrpState.MASTER, VrrpState.INIT, 90, "shutdown");
            List<String> lines = waitLines(6);
            assertEquals(List.of("INSTANCE \"VI_1\" BACKUP 100", "GROUP \"G\" MASTER 0", "INSTANCE \"VI_1\" MASTER 100",
                    "INSTANCE \"VI_1\" MASTER_PRIORITY 90", "INSTANCE \"VI_1\" MASTER_RX_LOWER_PRI 90",
                    "INSTANCE \"VI_1\" STOP 90"), lines);
            assertEquals("tag " + fifo, Files.readString(dir.resolve("args")).strip(),
                    "the script's own words, then the FIFO's path");
            assertEquals(0, n.fifoDrops());
        } finally {
            n.close();
        }
        assertFalse(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS), "the FIFO the agent made is gone");
        ProcessHandle[] alive = ProcessHandle.current().children().filter(p -> p.info().commandLine()
                .orElse("").contains("reader.sh")).toArray(ProcessHandle[]::new);
        assertEquals(0, alive.length, "the FIFO script was stopped with its FIFO");
    }

    @Test
    void globalPriorityChangesAndStatesOnReload() throws Exception {
        Path fifo = dir.resolve("all.fifo");
        AgentConfig c = config(" notify_fifo " + fifo + "\n notify_fifo_script " + reader()
                + "\n vrrp_notify_priority_changes\n fifo_write_vrrp_states_on_reload\n", "");
        Notifier n = Notifier.create(c, null);
        try {
            n.transition(vi(c, 1), VrrpState.INIT, VrrpState.BACKUP, 100, "start");
            n.transition(vi(c, 2), VrrpState.INIT, VrrpState.BACKUP, 100, "start");
            n.groupTransition(c.syncGroups().get(0), VrrpState.INIT, VrrpState.BACKUP, "every member started");
            n.priorityChanged(vi(c, 2), VrrpState.BACKUP, 70);
            assertEquals(4, waitLines(4).size());
            // VI_2 was made anew by the reload: its own transitions announce it, the reload writes VI_1 and G
            n.reload(c, Set.of("VI_2"));
            List<String> lines = waitLines(6);
            assertEquals(List.of("INSTANCE \"VI_1\" BACKUP 100", "INSTANCE \"VI_2\" BACKUP 100", "GROUP \"G\" BACKUP 0",
                    "INSTANCE \"VI_2\" BACKUP_PRIORITY 70", "GROUP \"G\" BACKUP 0", "INSTANCE \"VI_1\" BACKUP 100"),
                    lines);
            // a group the reload moved went out as its transition, and is not written twice
            n.groupTransition(c.syncGroups().get(0), VrrpState.BACKUP, VrrpState.FAULT, SyncGroup.RELOADED);
            n.reload(c, Set.of());
            lines = waitLines(9);
            assertEquals(List.of("GROUP \"G\" FAULT 0", "INSTANCE \"VI_1\" BACKUP 100", "INSTANCE \"VI_2\" BACKUP 70"),
                    lines.subList(6, lines.size()), "the priority change is in VI_2's state line");
        } finally {
            n.close();
        }
    }

    @Test
    void withoutTheSwitchesNeitherPriorityNorReloadLines() throws Exception {
        Path fifo = dir.resolve("plain.fifo");
        AgentConfig c = config(" vrrp_notify_fifo " + fifo + "\n vrrp_notify_fifo_script " + reader() + "\n", "");
        Notifier n = Notifier.create(c, null);
        try {
            n.transition(vi(c, 1), VrrpState.INIT, VrrpState.BACKUP, 100, "start");
            n.priorityChanged(vi(c, 1), VrrpState.BACKUP, 70);
            n.reload(c, Set.of());
            n.transition(vi(c, 1), VrrpState.BACKUP, VrrpState.MASTER, 70, "timeout");
            assertEquals(List.of("INSTANCE \"VI_1\" BACKUP 100", "INSTANCE \"VI_1\" MASTER 70"), waitLines(2));
            Thread.sleep(200);
            assertEquals(2, waitLines(2).size(), "nothing else came");
        } finally {
            n.close();
        }
    }

    @Test
    void aFifoThatCannotBeMadeLeavesTheRestWorking() throws Exception {
        Path bad = dir.resolve("missing-dir/x.fifo");
        Path good = dir.resolve("good.fifo");
        AgentConfig c = config(" notify_fifo " + bad + "\n vrrp_notify_fifo " + good + "\n vrrp_notify_fifo_script "
                + reader() + "\n", "");
        Notifier n = Notifier.create(c, null);
        try {
            n.transition(vi(c, 1), VrrpState.INIT, VrrpState.BACKUP, 100, "start");
            assertEquals(List.of("INSTANCE \"VI_1\" BACKUP 100"), waitLines(1));
            assertTrue(Files.exists(good, LinkOption.NOFOLLOW_LINKS));
        } finally {
            n.close();
        }
    }

    /** A script that appends its arguments, one run per line, to {@code calls}. */
    private Path recorder() throws Exception {
        Path script = dir.resolve("rec.sh");
        Files.writeString(script, "#!/bin/sh\necho \"$*\" >> " + dir.resolve("calls") + "\n");
        script.toFile().setExecutable(true);
        return script;
    }

    private List<String> waitCalls(int n) throws Exception {
        Path calls = dir.resolve("calls");
        for (int i = 0; i < 500 && (!Files.exists(calls) || Files.readAllLines(calls).size() < n); i++) {
            Thread.sleep(10);
        }
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }

    @Test
    void anInstanceRemovedByAReloadIsDeletedWithNotifyDeletedElseFaultAsKeepalivedDid() throws Exception {
        Path fifo = dir.resolve("del.fifo");
        Path rec = recorder();
        String scripts = " notify \"" + rec + " any\"\n notify_fault \"" + rec + " fault\"\n";
        AgentConfig with = config(" vrrp_notify_fifo " + fifo + "\n vrrp_notify_fifo_script " + reader() + "\n",
                scripts + " notify_deleted \"" + rec + " deleted\"\n notify_master_rx_lower_pri \"" + rec
                        + " lower\"\n");
        Notifier n = Notifier.create(with, null);
        try {
            n.lowerPriorityMaster(vi(with, 1), 100);
            n.deleted(vi(with, 1), VrrpState.MASTER, 100);
            assertEquals(List.of("INSTANCE \"VI_1\" MASTER_RX_LOWER_PRI 100", "INSTANCE \"VI_1\" DELETED 100"),
                    waitLines(2));
            List<String> calls = waitCalls(3); // three processes started in this order; they may end in any
            assertEquals(Set.of("lower", "deleted", "any INSTANCE VI_1 DELETED 100"), Set.copyOf(calls), calls.toString());
            assertEquals(3, calls.size(), calls.toString());
        } finally {
            n.close();
        }
        Files.delete(dir.resolve("calls"));
        AgentConfig without = config("", scripts);
        Notifier old = Notifier.create(without, null);
        try {
            old.deleted(vi(without, 1), VrrpState.FAULT, 100);
            old.deleted(vi(without, 1), VrrpState.BACKUP, 100);
            List<String> calls = waitCalls(2);
            Thread.sleep(200);
            assertEquals(List.of("any INSTANCE VI_1 FAULT 100", "fault"), waitCalls(2).stream().sorted().toList(),
                    "without notify_deleted: FAULT, and nothing for one in FAULT already: " + calls);
        } finally {
            old.close();
        }
    }
}
