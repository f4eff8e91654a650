package io.nginxha.agent.config;

import java.net.InetAddress;

/**
 * One line of {@code virtual_ipaddress}: {@code 192.168.16.130/24 dev eth0 label eth0:vip}.
 *
 * @param address   the address
 * @param prefix    prefix length (32 for IPv4, 128 for IPv6 when not written)
 * @param dev       interface to put it on; the instance's interface when not written
 * @param label     the address label, or null
 */
public record VirtualAddress(InetAddress address, int prefix, String dev, String label, Source source) {
    /** The same address without where it was written, for comparing configs from different files. */
    public VirtualAddress withoutSource() {
        return new VirtualAddress(address, prefix, dev, label, null);
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefix + (dev == null ? "" : " dev " + dev)
                + (label == null ? "" : " label " + label);
    }
}
