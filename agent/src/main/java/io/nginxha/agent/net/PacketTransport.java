package io.nginxha.agent.net;

import io.nginxha.agent.vrrp.Advert;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * Sends and receives VRRP packets of one address family on one interface (VRRP over IPv4 and over IPv6 are
 * separate protocols, each with its own VRIDs, so a dual-stack interface has two transports). The transport owns everything below the VRRP payload:
 * the interface, our source address, MAC addresses and the IP header; the agent deals only in {@link Advert}s.
 * Tests and the simulated LAN provide their own implementation.
 */
public interface PacketTransport extends AutoCloseable {

    /** The interface this transport sends and listens on. */
    String interfaceName();

    /**
     * The address adverts are sent from: unicast_src_ip, else the interface's primary IPv4 address or, for IPv6,
     * its link-local address (RFC 5798 5.1.2.2).
     */
    InetAddress sourceAddress();

    /** Encodes {@code advert} and sends it to {@code destination} (224.0.0.18, ff02::12 or a unicast peer). */
    void send(Advert advert, InetAddress destination) throws IOException;

    /** One gratuitous ARP per address, from the interface's own MAC (the kernel answers ARP for the VIPs with it). */
    void sendGarp(List<Inet4Address> addresses) throws IOException;

    /**
     * One unsolicited Neighbor Advertisement per address (the IPv6 counterpart of a gratuitous ARP), from the
     * interface's own MAC, to all nodes. Any transport can send them, whatever the family of its adverts.
     */
    void sendNeighborAdverts(List<Inet6Address> addresses) throws IOException;

    /**
     * Starts delivering received VRRP packets to {@code listener}, on a thread of the transport's own.
     * Called once; packets that arrive before are dropped.
     */
    void start(Listener listener);

    @Override
    void close();

    /** Receives packets on the transport's thread; must hand them over quickly (e.g. to a queue). */
    @FunctionalInterface
    interface Listener {
        void received(ReceivedPacket packet);
    }

    /**
     * A VRRP packet as captured, not yet decoded.
     *
     * @param iface       the interface it arrived on
     * @param source      the IP source address
     * @param destination the IP destination address (224.0.0.18, ff02::12 or ours)
     * @param ttl         TTL or hop limit, for the codec's check
     * @param payload     the VRRP part (after the IP header)
     */
    record ReceivedPacket(String iface, InetAddress source, InetAddress destination, int ttl, byte[] payload) { }
}
