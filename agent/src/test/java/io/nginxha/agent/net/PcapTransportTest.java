package io.nginxha.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nginxha.agent.config.WireId.Family;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class PcapTransportTest {
    @Test
    void multicastFilterTakesAllVrrp() {
        assertEquals("ip proto 112", TransportAddressing.filter(Family.IPV4, List.of()));
    }

    @Test
    void unicastFilterTakesOnlyPeersAndArp() throws Exception {
        var peers = List.of((Inet4Address) InetAddress.getByName("192.168.16.129"),
                (Inet4Address) InetAddress.getByName("192.168.16.140"));
        assertEquals("(ip proto 112 and (src host 192.168.16.129 or src host 192.168.16.140)) or arp",
                TransportAddressing.filter(Family.IPV4, peers));
    }

    @Test
    void ipv6MulticastFilterTakesIpv6VrrpOnly() {
        assertEquals("ip6 proto 112", TransportAddressing.filter(Family.IPV6, List.of()));
    }

    @Test
    void ipv6UnicastFilterTakesOnlyPeersAndNeighborAdverts() throws Exception {
        var peers = List.of(InetAddress.getByName("fd00:16::129"));
        assertEquals("(ip6 proto 112 and (src host fd00:16:0:0:0:0:0:129)) or (icmp6 and ip6[40] == 136)",
                TransportAddressing.filter(Family.IPV6, peers));
    }

    @Test
    void ipv6AdvertsComeFromTheLinkLocalAddressWhichLoopbackHasNot() throws Exception {
        java.net.NetworkInterface lo = java.net.NetworkInterface.getByName("lo");
        org.junit.jupiter.api.Assumptions.assumeTrue(lo != null, "no loopback interface");
        assertEquals(java.util.Optional.of(InetAddress.getByName("127.0.0.1")),
                TransportAddressing.defaultSource(lo, Family.IPV4));
        // lo carries ::1 at most, never an fe80:: address: an IPv6 transport must not pick ::1 instead
        assertEquals(java.util.Optional.empty(), TransportAddressing.defaultSource(lo, Family.IPV6));
        assertEquals(TransportAddressing.GROUP6, TransportAddressing.group(Family.IPV6));
        assertEquals("ff02:0:0:0:0:0:0:12", TransportAddressing.group(Family.IPV6).getHostAddress());
    }

    @org.junit.jupiter.api.Test
    void anotherGroupIsCapturedAloneBesideUnicast() throws Exception {
        assertEquals("ip proto 112 and (dst host 224.0.0.19 or not ip multicast)", TransportAddressing.filter(
                Family.IPV4, List.of(), java.net.InetAddress.getByName("224.0.0.19")));
        assertEquals("ip6 proto 112 and (dst host ff02:0:0:0:0:0:0:19 or not ip6 multicast)",
                TransportAddressing.filter(Family.IPV6, List.of(), java.net.InetAddress.getByName("ff02::19")));
    }
}
