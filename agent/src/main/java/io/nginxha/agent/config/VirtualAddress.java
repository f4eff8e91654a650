package io.nginxha.agent.config;

import java.net.InetAddress;

/**
 * One line of {@code virtual_ipaddress} (or {@code static_ipaddress}):
 * {@code 192.168.16.130/24 dev eth0 label eth0:vip brd + scope link}.
 *
 * @param address      the address
 * @param prefix       prefix length (32 for IPv4, 128 for IPv6 when not written)
 * @param dev          interface to put it on; the instance's interface when not written
 * @param label        the address label, or null
 * @param broadcast    IPv4 broadcast address ({@code brd}, with {@code +}/{@code -} worked out), or null for none
 * @param scope        ifa_scope (0 global when not written, 253 link, 254 host)
 * @param noTrack      keepalived's no_track: a removal of the address by someone else is not acted on (vrrp.VipLoss)
 * @param preferredLft IPv6 preferred lifetime in seconds ({@code preferred_lft}), null for forever/not written
 */
public record VirtualAddress(InetAddress address, int prefix, String dev, String label, InetAddress broadcast,
                             int scope, boolean noTrack, Long preferredLft, Source source) {
    /** An address without options. */
    public VirtualAddress(InetAddress address, int prefix, String dev, String label, Source source) {
        this(address, prefix, dev, label, null, 0, false, null, source);
    }

    /** The same address without where it was written, for comparing configs from different files. */
    public VirtualAddress withoutSource() {
        return new VirtualAddress(address, prefix, dev, label, broadcast, scope, noTrack, preferredLft, null);
    }

    /** Whether any option beyond dev and label was written (the kernel call then carries them). */
    public boolean hasOptions() {
        return broadcast != null || scope != 0 || preferredLft != null;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefix + (dev == null ? "" : " dev " + dev)
                + (label == null ? "" : " label " + label)
                + (broadcast == null ? "" : " brd " + broadcast.getHostAddress())
                + (scope == 0 ? "" : " scope " + scope)
                + (preferredLft == null ? "" : " preferred_lft " + preferredLft)
                + (noTrack ? " no_track" : "");
    }
}
