package io.nginxha.agent.config;

import java.net.InetAddress;
import java.util.List;

/**
 * One {@code vrrp_instance}.
 *
 * @param name              instance name (VI_1)
 * @param initialState      MASTER or BACKUP as written; MASTER means "become master at once", as keepalived does
 * @param iface             interface adverts are sent and received on
 * @param vrid              virtual router id 1..255
 * @param priority          base priority 1..255 (255: address owner)
 * @param intervalCs        advert interval in centiseconds (v2: whole seconds only)
 * @param version           VRRP version 2 or 3
 * @param authPass          v2 PASS password (at most 8 bytes), null for no authentication
 * @param vips              the virtual addresses
 * @param preempt           false with nopreempt
 * @param preemptDelaySec   keepalived's preempt_delay, 0 for none
 * @param unicastSrc        source address for unicast adverts, null for multicast or the interface's address
 * @param unicastPeers      unicast peers; empty for multicast
 * @param trackScripts      vrrp_script names with an optional weight override
 * @param trackInterfaces   interfaces whose link going down means FAULT (or a weight)
 * @param trackFiles        keepalived track_file names with an optional weight
 * @param notifications     notification scripts
 * @param garp              gratuitous ARP timing for this instance
 * @param source            where the instance was declared
 * @param excludedVips      virtual_ipaddress_excluded: added and removed with the VIPs but not sent in adverts
 * @param dontTrackPrimary  keepalived's dont_track_primary: the interface going down does not mean FAULT
 */
public record InstanceConfig(String name, InitialState initialState, String iface, int vrid, int priority,
                             int intervalCs, int version, String authPass, List<VirtualAddress> vips,
                             boolean preempt, int preemptDelaySec, InetAddress unicastSrc,
                             List<InetAddress> unicastPeers, List<Tracked> trackScripts,
                             List<Tracked> trackInterfaces, List<Tracked> trackFiles, NotifyConfig notifications,
                             GarpConfig garp, Source source, List<VirtualAddress> excludedVips,
                             boolean dontTrackPrimary) {
    public InstanceConfig {
        vips = List.copyOf(vips);
        excludedVips = List.copyOf(excludedVips);
        unicastPeers = List.copyOf(unicastPeers);
        trackScripts = List.copyOf(trackScripts);
        trackInterfaces = List.copyOf(trackInterfaces);
        trackFiles = List.copyOf(trackFiles);
    }

    /** Without excluded VIPs and with the primary interface tracked: the shape callers had before those were added. */
    public InstanceConfig(String name, InitialState initialState, String iface, int vrid, int priority,
                          int intervalCs, int version, String authPass, List<VirtualAddress> vips,
                          boolean preempt, int preemptDelaySec, InetAddress unicastSrc,
                          List<InetAddress> unicastPeers, List<Tracked> trackScripts,
                          List<Tracked> trackInterfaces, List<Tracked> trackFiles, NotifyConfig notifications,
                          GarpConfig garp, Source source) {
        this(name, initialState, iface, vrid, priority, intervalCs, version, authPass, vips, preempt,
                preemptDelaySec, unicastSrc, unicastPeers, trackScripts, trackInterfaces, trackFiles, notifications,
                garp, source, List.of(), false);
    }

    public enum InitialState { MASTER, BACKUP }

    /** A tracked thing by name; weight null means "use the tracked object's own weight" (or FAULT for interfaces). */
    public record Tracked(String name, Integer weight, boolean reverse, Source source) { }
}
