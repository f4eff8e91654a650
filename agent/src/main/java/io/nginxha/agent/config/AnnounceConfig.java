package io.nginxha.agent.config;

import java.util.List;

/**
 * A {@code vip_announce} block (a vrrp-agent extension, YAML {@code announce}): VIPs that this host holds as host
 * addresses (/32, /128) on {@code iface} while the group is healthy, for a routing daemon (FRR's bgpd, with
 * {@code redistribute connected} limited to these prefixes) to announce. No VRRP is spoken for them: every
 * healthy host holds them at once (anycast), and the routers spread the clients over the hosts by ECMP.
 *
 * @param name            the group's name (shares the vrrp_instance namespace: the trackers tell both by name)
 * @param iface           where the VIPs go; the loopback by default
 * @param vips            the addresses, each a host address
 * @param trackScripts    vrrp_scripts and vrrp_track_nginx checks; any one down withdraws the group
 * @param trackInterfaces interfaces; any one down withdraws the group
 * @param holdDownMs      after a withdraw, the group must stay healthy this long before it is announced again
 * @param drainMs         at a graceful stop, the time between the withdraw and the agent's exit (so nginx, stopped
 *                        after the agent, still serves while the routers move the clients away)
 */
public record AnnounceConfig(String name, String iface, List<VirtualAddress> vips,
                             List<InstanceConfig.Tracked> trackScripts, List<InstanceConfig.Tracked> trackInterfaces,
                             long holdDownMs, long drainMs, Source source) {
    public static final String DEFAULT_IFACE = "lo";
    public static final long DEFAULT_HOLD_DOWN_MS = 5_000;
    public static final long DEFAULT_DRAIN_MS = 3_000;

    public AnnounceConfig {
        vips = List.copyOf(vips);
        trackScripts = List.copyOf(trackScripts);
        trackInterfaces = List.copyOf(trackInterfaces);
    }

    /** The same group without where it was written, for telling on a reload whether it changed. */
    public AnnounceConfig withoutSource() {
        return new AnnounceConfig(name, iface, vips.stream().map(VirtualAddress::withoutSource).toList(),
                trackScripts.stream().map(t -> new InstanceConfig.Tracked(t.name(), t.weight(), t.reverse(), null))
                        .toList(),
                trackInterfaces.stream().map(t -> new InstanceConfig.Tracked(t.name(), t.weight(), t.reverse(), null))
                        .toList(),
                holdDownMs, drainMs, null);
    }
}
