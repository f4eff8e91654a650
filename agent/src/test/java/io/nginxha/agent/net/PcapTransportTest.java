package io.nginxha.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class PcapTransportTest {
    @Test
    void multicastFilterTakesAllVrrp() {
        assertEquals("ip proto 112", PcapTransport.filter(List.of()));
    }

    @Test
    void unicastFilterTakesOnlyPeersAndArp() throws Exception {
        var peers = List.of((Inet4Address) InetAddress.getByName("192.168.16.129"),
                (Inet4Address) InetAddress.getByName("192.168.16.140"));
        assertEquals("(ip proto 112 and (src host 192.168.16.129 or src host 192.168.16.140)) or arp",
                PcapTransport.filter(peers));
    }
}
