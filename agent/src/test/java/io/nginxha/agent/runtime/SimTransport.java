package io.nginxha.agent.runtime;

import io.nginxha.agent.net.PacketTransport;
import io.nginxha.agent.os.Liveness;
import io.nginxha.agent.vrrp.Advert;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * A simulated host's eth0 as the agent's transport: adverts go onto the {@link SimWorld}'s segment (or fail to,
 * when sends fail), and its capture heartbeat is watched as PcapTransport's is.
 */
final class SimTransport implements PacketTransport {
private final SimHost host;
Listener listener;
Liveness.Heartbeat heartbeat;

SimTransport(SimHost host) {
    this.host = host;
}

    @Override public String interfaceName() {
        return "eth0";
    }

    @Override public InetAddress sourceAddress() {
        return host.address;
    }

    @Override public void send(Advert advert, InetAddress destination) throws IOException {
        if (host.sendFails) {
            throw new IOException("sendto: Network is unreachable (simulated)");
        }
        host.world.broadcast(host, advert, destination);
    }

    @Override public void sendGarp(List<Inet4Address> addresses) { }

    @Override public void sendNeighborAdverts(List<Inet6Address> addresses) { }

    @Override public void start(Listener l) {
        listener = l;
        heartbeat = host.liveness.registerBlocking("capture on eth0 (IPv4)",
                SimHost.CAPTURE_TROUBLE_NANOS / SimWorld.MS);
        heartbeat.beat();
    }

    @Override public void close() {
        if (heartbeat != null) {
            heartbeat.ended();
        }
        listener = null;
    }
}
