package io.nginxha.agent.runtime;

import io.nginxha.agent.config.WireId;
import io.nginxha.agent.net.PacketTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

/** Opens the packet transport for one address family on an interface; {@code PcapTransport::open} in production. */
@FunctionalInterface
public interface TransportFactory {
    PacketTransport open(String iface, WireId.Family family, InetAddress unicastSource,
                         List<InetAddress> unicastPeers) throws IOException;

    /**
     * As {@link #open(String, WireId.Family, InetAddress, List)}, for adverts to multicast group {@code group}
     * (vrrp_mcast_group4/6, mcast_dst_ip; null for the family's VRRP group): production joins it and captures only
     * adverts to it. By default the group is not the transport's business (fakes).
     */
    default PacketTransport open(String iface, WireId.Family family, InetAddress unicastSource,
                                 List<InetAddress> unicastPeers, InetAddress group) throws IOException {
        return open(iface, family, unicastSource, unicastPeers);
    }

    /**
     * The transport of a use_vmac instance, once its macvlan {@code vmac} on {@code base} is up
     * ({@code PcapTransport::openVmac} in production); by default {@link #open} on the interface adverts use.
     */
    default PacketTransport openVmac(String vmac, byte[] mac, String base, boolean xmitBase, WireId.Family family,
                                     InetAddress unicastSource, List<InetAddress> unicastPeers)
            throws IOException {
        return open(xmitBase ? base : vmac, family, unicastSource, unicastPeers);
    }
}
