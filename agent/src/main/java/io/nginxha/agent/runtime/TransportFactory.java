package io.nginxha.agent.runtime;

import io.nginxha.agent.net.PacketTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

/** Opens the packet transport for an interface; {@code PcapTransport::open} in production. */
@FunctionalInterface
public interface TransportFactory {
    PacketTransport open(String iface, InetAddress unicastSource, List<InetAddress> unicastPeers)
            throws IOException;

    /**
     * The transport of a use_vmac instance, once its macvlan {@code vmac} on {@code base} is up
     * ({@code PcapTransport::openVmac} in production); by default {@link #open} on the interface adverts use.
     */
    default PacketTransport openVmac(String vmac, byte[] mac, String base, boolean xmitBase,
                                     InetAddress unicastSource, List<InetAddress> unicastPeers)
            throws IOException {
        return open(xmitBase ? base : vmac, unicastSource, unicastPeers);
    }
}
