package io.nginxha.agent.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerMacsTest {
    private static final String PROC_ARP = """
            IP address       HW type     Flags       HW address            Mask     Device
            192.168.16.129   0x1         0x2         02:00:00:00:01:29     *        eth0
            192.168.16.131   0x1         0x0         00:00:00:00:00:00     *        eth0
            10.0.0.1         0x1         0x2         02:00:00:00:00:01     *        eth1
            """;

    @TempDir
    Path dir;

    private static Inet4Address ip(String s) throws IOException {
        return (Inet4Address) InetAddress.getByName(s);
    }

    @Test
    void kernelTableKeepsCompleteEntriesOfTheInterface() throws IOException {
        Map<Inet4Address, byte[]> table = PeerMacs.parseProcArp(PROC_ARP, "eth0");
        assertEquals(1, table.size());
        assertArrayEquals(new byte[] {2, 0, 0, 0, 1, 0x29}, table.get(ip("192.168.16.129")));
    }

    @Test
    void unknownPeerGetsBroadcastAndOneRequestPerSecond() throws IOException {
        Path arp = Files.writeString(dir.resolve("arp"), PROC_ARP);
        AtomicLong now = new AtomicLong(5_000_000_000L);
        List<Inet4Address> asked = new ArrayList<>();
        PeerMacs<Inet4Address> macs = PeerMacs.ipv4("eth0", arp, now::get, asked::add);

        assertArrayEquals(PeerMacs.BROADCAST, macs.lookup(ip("192.168.16.200")));
        now.addAndGet(500_000_000L);
        macs.lookup(ip("192.168.16.200"));
        assertEquals(List.of(ip("192.168.16.200")), asked);
        now.addAndGet(600_000_000L);
        macs.lookup(ip("192.168.16.200"));
        assertEquals(2, asked.size());

        byte[] replied = {2, 0, 0, 0, 2, 0};
        macs.learn(ip("192.168.16.200"), replied);
        assertArrayEquals(replied, macs.lookup(ip("192.168.16.200")));
        assertEquals(2, asked.size());
    }

    @Test
    void kernelEntryIsUsedWithoutAsking() throws IOException {
        Path arp = Files.writeString(dir.resolve("arp"), PROC_ARP);
        List<Inet4Address> asked = new ArrayList<>();
        PeerMacs<Inet4Address> macs = PeerMacs.ipv4("eth0", arp, () -> 0L, asked::add);
        assertArrayEquals(new byte[] {2, 0, 0, 0, 1, 0x29}, macs.lookup(ip("192.168.16.129")));
        assertEquals(List.of(), asked);
    }

    @Test
    void staleEntryIsStillUsedWhileItIsConfirmed() throws IOException {
        Path arp = Files.writeString(dir.resolve("arp"), "");
        AtomicLong now = new AtomicLong(0);
        List<Inet4Address> asked = new ArrayList<>();
        PeerMacs<Inet4Address> macs = PeerMacs.ipv4("eth0", arp, now::get, asked::add);
        byte[] mac = {2, 0, 0, 0, 3, 0};
        macs.learn(ip("192.168.16.129"), mac);
        now.addAndGet(PeerMacs.STALE_NANOS + 1);
        assertArrayEquals(mac, macs.lookup(ip("192.168.16.129")));
        assertEquals(List.of(ip("192.168.16.129")), asked);
    }
}
