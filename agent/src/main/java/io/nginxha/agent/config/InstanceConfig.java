package io.nginxha.agent.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * One {@code vrrp_instance}. Build one by name with {@link #builder}, whose defaults are keepalived's (what the
 * config loaders use for a line not written), or change a few settings of one with {@link #toBuilder}:
 * {@code InstanceConfig.builder("VI_1").iface("eth0").vrid(66).build()}, {@code ic.toBuilder().priority(99).build()}.
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
 * @param vmac              use_vmac: the macvlan with the virtual MAC the VIPs go on; null without it
 * @param virtualRoutes     virtual_routes: installed after the VIPs while master, removed before them
 * @param virtualRules      virtual_rules: installed after the virtual routes while master, removed first
 * @param options           strict mode, accept mode and the other protocol switches, resolved as keepalived does
 * @param trackProcesses    vrrp_track_process names with an optional weight
 */
public record InstanceConfig(String name, InitialState initialState, String iface, int vrid, int priority,
                             int intervalCs, int version, String authPass, List<VirtualAddress> vips,
                             boolean preempt, int preemptDelaySec, InetAddress unicastSrc,
                             List<InetAddress> unicastPeers, List<Tracked> trackScripts,
                             List<Tracked> trackInterfaces, List<Tracked> trackFiles, NotifyConfig notifications,
                             GarpConfig garp, Source source, List<VirtualAddress> excludedVips,
                             boolean dontTrackPrimary, Vmac vmac, List<RouteConfig> virtualRoutes,
                             List<RuleConfig> virtualRules, VrrpOptions options, List<Tracked> trackProcesses) {
    public InstanceConfig {
        options = options == null ? VrrpOptions.DEFAULTS : options;
        trackProcesses = List.copyOf(trackProcesses);
        virtualRoutes = List.copyOf(virtualRoutes);
        virtualRules = List.copyOf(virtualRules);
        vips = List.copyOf(vips);
        excludedVips = List.copyOf(excludedVips);
        unicastPeers = List.copyOf(unicastPeers);
        trackScripts = List.copyOf(trackScripts);
        trackInterfaces = List.copyOf(trackInterfaces);
        trackFiles = List.copyOf(trackFiles);
    }

    public enum InitialState { MASTER, BACKUP }

    /** A tracked thing by name; weight null means "use the tracked object's own weight" (or FAULT for interfaces). */
    public record Tracked(String name, Integer weight, boolean reverse, Source source) { }

    /**
     * keepalived's use_vmac: a macvlan named {@code name} on the instance's interface, with the virtual MAC.
     *
     * @param xmitBase vmac_xmit_base: adverts are sent and received on the base interface, not on the macvlan
     */
    public record Vmac(String name, boolean xmitBase) { }

    /** The interface {@code vip} goes on: its own {@code dev}, else the instance's macvlan or interface. */
    public String deviceOf(VirtualAddress vip) {
        return vip.dev() != null ? vip.dev() : vmac != null ? vmac.name() : iface;
    }

    /** The interface adverts are sent and received on: the macvlan with use_vmac (unless vmac_xmit_base). */
    public String advertDevice() {
        return vmac != null && !vmac.xmitBase() ? vmac.name() : iface;
    }

    /**
     * Every address the instance puts on its interfaces as master and takes off when it leaves: its VIPs, then
     * virtual_ipaddress_excluded (managed alike, only never named in adverts), as keepalived manages both.
     */
    public List<VirtualAddress> managedVips() {
        if (excludedVips.isEmpty()) {
            return vips;
        }
        List<VirtualAddress> all = new java.util.ArrayList<>(vips);
        all.addAll(excludedVips);
        return List.copyOf(all);
    }

    /** Its virtual routes, then its virtual rules: the order keepalived installs them in after the VIPs. */
    public List<RoutingEntry> virtualRouting() {
        List<RoutingEntry> all = new java.util.ArrayList<>(virtualRoutes);
        all.addAll(virtualRules);
        return List.copyOf(all);
    }

    /** Who this instance is on the wire; its family is that of its first VIP (IPv4 when it has none). */
    public WireId wireId() {
        boolean ipv6 = !vips.isEmpty() && vips.get(0).address() instanceof Inet6Address;
        return new WireId(iface, ipv6 ? WireId.Family.IPV6 : WireId.Family.IPV4, vrid);
    }

    /** A builder named {@code name} with keepalived's defaults; interface and VRID are unset (null, 0). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding every setting of this instance, to change a few. */
    public Builder toBuilder() {
        return new Builder(name).initialState(initialState).iface(iface).vrid(vrid).priority(priority)
                .intervalCs(intervalCs).version(version).authPass(authPass).vips(vips).preempt(preempt)
                .preemptDelaySec(preemptDelaySec).unicastSrc(unicastSrc).unicastPeers(unicastPeers)
                .trackScripts(trackScripts).trackInterfaces(trackInterfaces).trackFiles(trackFiles)
                .notifications(notifications).garp(garp).source(source).excludedVips(excludedVips)
                .dontTrackPrimary(dontTrackPrimary).vmac(vmac).virtualRoutes(virtualRoutes).virtualRules(virtualRules)
                .options(options).trackProcesses(trackProcesses);
    }

    /**
     * Whether this instance, as master, drops traffic to its addresses (keepalived vrrp_handle_accept_mode): accept
     * mode off, and not the address owner, which always accepts.
     */
    public boolean dropsTrafficToVips() {
        return !options.accept() && priority != 255;
    }

    /**
     * Settings by name rather than by position (21 of them, several of one type, are easy to swap unnoticed).
     * Defaults are keepalived 2.2's for a line not written: BACKUP, priority 100, advert_int 1 s, version 2, no
     * authentication, preempt without delay, multicast, nothing tracked or notified, the default GARP timing.
     */
    public static final class Builder {
        private String name;
        private InitialState initialState = InitialState.BACKUP;
        private String iface;
        private int vrid;
        private int priority = 100;
        private int intervalCs = 100;
        private int version = 2;
        private String authPass;
        private List<VirtualAddress> vips = List.of();
        private boolean preempt = true;
        private int preemptDelaySec;
        private InetAddress unicastSrc;
        private List<InetAddress> unicastPeers = List.of();
        private List<Tracked> trackScripts = List.of();
        private List<Tracked> trackInterfaces = List.of();
        private List<Tracked> trackFiles = List.of();
        private List<Tracked> trackProcesses = List.of();
        private NotifyConfig notifications = NotifyConfig.NONE;
        private GarpConfig garp = GarpConfig.DEFAULTS;
        private Source source;
        private List<VirtualAddress> excludedVips = List.of();
        private boolean dontTrackPrimary;
        private Vmac vmac;
        private List<RouteConfig> virtualRoutes = List.of();
        private List<RuleConfig> virtualRules = List.of();
        private VrrpOptions options = VrrpOptions.DEFAULTS;

        private Builder(String name) {
            this.name = name;
        }

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder initialState(InitialState value) {
            initialState = value;
            return this;
        }

        public Builder iface(String value) {
            iface = value;
            return this;
        }

        public Builder vrid(int value) {
            vrid = value;
            return this;
        }

        public Builder priority(int value) {
            priority = value;
            return this;
        }

        public Builder intervalCs(int value) {
            intervalCs = value;
            return this;
        }

        public Builder version(int value) {
            version = value;
            return this;
        }

        /** The v2 PASS password; null for none. */
        public Builder authPass(String value) {
            authPass = value;
            return this;
        }

        public Builder vips(List<VirtualAddress> value) {
            vips = value;
            return this;
        }

        public Builder preempt(boolean value) {
            preempt = value;
            return this;
        }

        public Builder preemptDelaySec(int value) {
            preemptDelaySec = value;
            return this;
        }

        /** Source address for unicast adverts; null for multicast or the interface's address. */
        public Builder unicastSrc(InetAddress value) {
            unicastSrc = value;
            return this;
        }

        public Builder unicastPeers(List<InetAddress> value) {
            unicastPeers = value;
            return this;
        }

        public Builder trackScripts(List<Tracked> value) {
            trackScripts = value;
            return this;
        }

        public Builder trackInterfaces(List<Tracked> value) {
            trackInterfaces = value;
            return this;
        }

        public Builder trackProcesses(List<Tracked> value) {
            trackProcesses = value;
            return this;
        }

        public Builder trackFiles(List<Tracked> value) {
            trackFiles = value;
            return this;
        }

        public Builder notifications(NotifyConfig value) {
            notifications = value;
            return this;
        }

        public Builder garp(GarpConfig value) {
            garp = value;
            return this;
        }

        /** Where the instance was declared; null for none (configs compared without their files and lines). */
        public Builder source(Source value) {
            source = value;
            return this;
        }

        public Builder excludedVips(List<VirtualAddress> value) {
            excludedVips = value;
            return this;
        }

        public Builder dontTrackPrimary(boolean value) {
            dontTrackPrimary = value;
            return this;
        }

        /** use_vmac; null (the default) for none. */
        public Builder vmac(Vmac value) {
            vmac = value;
            return this;
        }

        public Builder virtualRoutes(List<RouteConfig> value) {
            virtualRoutes = value;
            return this;
        }

        public Builder virtualRules(List<RuleConfig> value) {
            virtualRules = value;
            return this;
        }

        public Builder options(VrrpOptions value) {
            options = value;
            return this;
        }

        /** The instance; the lists are copied, so the builder can go on changing without touching it. */
        public InstanceConfig build() {
            return new InstanceConfig(name, initialState, iface, vrid, priority, intervalCs, version, authPass, vips,
                    preempt, preemptDelaySec, unicastSrc, unicastPeers, trackScripts, trackInterfaces, trackFiles,
                    notifications, garp, source, excludedVips, dontTrackPrimary, vmac, virtualRoutes, virtualRules,
                    options, trackProcesses);
        }
    }
}
