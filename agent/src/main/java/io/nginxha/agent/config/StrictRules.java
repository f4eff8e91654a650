package io.nginxha.agent.config;

import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * keepalived 2.2.7's vrrp_complete_instance (vrrp.c) for the switches of one instance: strict mode
 * ({@code strict_mode}, or {@code vrrp_strict} in global_defs) and what it forces, accept mode's default, and the
 * packet's room for addresses. Where keepalived refuses the configuration the agent refuses it; where keepalived
 * logs an error and resets a setting, the agent resets it the same way with a warning naming the line.
 */
final class StrictRules {
    private static final int OWNER = 255;
    /** keepalived's DEFAULT_MTU: the agent checks a config without looking at the interface. */
    private static final int MTU = 1500;

    /**
     * What the instance block wrote (null: not written) and its lines by keyword (the last of each).
     */
    record Written(Boolean strict, Boolean accept, Boolean lowerPrioNoAdvert, boolean skipCheckAdvAddr,
                   boolean stateWritten, Map<String, Entry> lines, java.net.InetAddress mcastGroup,
                   boolean promoteSecondaries) { }

    private StrictRules() { }

    /** Whether the instance runs in strict mode: its own strict_mode, else vrrp_strict. */
    static boolean strict(Written w, InstanceDefaults d) {
        return w.strict() != null ? w.strict() : d.strict();
    }

    static InstanceConfig apply(InstanceConfig ic, Written w, InstanceDefaults d, Problems problems) {
        boolean strict = strict(w, d);
        String who = "vrrp_instance " + ic.name();
        InstanceConfig.Builder b = ic.toBuilder();
        int prio = ic.priority();
        if (strict && w.stateWritten() && (ic.initialState() == InstanceConfig.InitialState.MASTER) != (prio == OWNER)) {
            InstanceConfig.InitialState state = prio == OWNER ? InstanceConfig.InitialState.MASTER
                    : InstanceConfig.InitialState.BACKUP;
            warn(problems, w, "state", ic.source(), who + ": in strict mode state MASTER must match being the "
                    + "address owner (priority 255); state " + state + " is used, as keepalived does");
            b.initialState(state);
        }
        if (strict && ic.authPass() != null) {
            warn(problems, w, "authentication", ic.source(), who + ": strict mode does not support "
                    + "authentication; it is ignored, as keepalived does");
            b.authPass(null);
        }
        if (strict && !ic.unicastPeers().isEmpty()) {
            Entry peers = w.lines().get("unicast_peer");
            problems.error(peers != null ? peers.source() : ic.source(), who + ": unicast peers are not supported in "
                    + "strict mode (keepalived refuses the configuration too); remove strict_mode/vrrp_strict or "
                    + "the unicast_peer block");
        }
        if (strict && ic.preemptDelaySec() > 0) {
            warn(problems, w, "preempt_delay", ic.source(), who + ": preempt_delay is incompatible with strict "
                    + "mode; reset to 0, as keepalived does");
            b.preemptDelaySec(0);
        }
        if (strict && ic.vmac() != null && ic.vmac().xmitBase()) {
            warn(problems, w, "vmac_xmit_base", ic.source(), who + ": vmac_xmit_base is incompatible with strict "
                    + "mode; reset, as keepalived does");
            b.vmac(new InstanceConfig.Vmac(ic.vmac().name(), false));
        }
        boolean accept = w.accept() != null ? w.accept() : prio == OWNER || !strict;
        if (accept && prio != OWNER && strict && ic.version() == 2) {
            warn(problems, w, "accept", ic.source(), who + ": accept mode with VRRP version 2 does not comply with "
                    + "RFC 3768 in strict mode; accept mode is off, as keepalived does");
            accept = false;
        }
        if (strict) {
            GarpConfig g = ic.garp() == null ? GarpConfig.DEFAULTS : ic.garp();
            for (String key : List.of("garp_lower_prio_repeat", "garp_lower_prio_delay")) {
                Entry e = w.lines().get(key);
                if (e != null && !"0".equals(e.arg())) {
                    problems.warn(e.source(), who + ": strict mode sends no gratuitous ARPs after a lower priority "
                            + "advert; " + key + " reset to 0, as keepalived does");
                }
            }
            b.garp(new GarpConfig(g.masterDelaySec(), g.masterRepeat(), g.masterRefreshSec(), g.masterRefreshRepeat(),
                    g.intervalMs(), 0, 0, g.gnaIntervalMs()));
        }
        boolean lowerPrioNoAdvert = w.lowerPrioNoAdvert() != null ? w.lowerPrioNoAdvert() : strict || d.lowerPrioNoAdvert();
        if (strict && !lowerPrioNoAdvert) {
            warn(problems, w, "lower_prio_no_advert", ic.source(), who + ": strict mode requires lower_prio_no_advert;"
                    + " set, as keepalived does");
            lowerPrioNoAdvert = true;
        }
        Entry higher = w.lines().get("higher_prio_send_advert");
        if (strict && higher != null && !"false".equalsIgnoreCase(higher.arg()) && !"no".equalsIgnoreCase(higher.arg())
                && !"off".equalsIgnoreCase(higher.arg())) {
            problems.warn(higher.source(), who + ": strict mode requires higher_prio_send_advert to be clear; "
                    + "cleared, as keepalived does");
        }
        b.options(new VrrpOptions(strict, accept, !strict, lowerPrioNoAdvert, w.skipCheckAdvAddr() || d.skipCheckAdvAddr(),
                w.mcastGroup(), w.promoteSecondaries() && ic.vmac() == null));
        Entry promote = w.lines().get("promote_secondaries");
        if (promote != null && ic.vmac() != null) {
            problems.warn(promote.source(), who + ": promote_secondaries is automatically set for vmacs; ignored, as "
                    + "keepalived does");
        }
        return roomInPacket(b.build(), problems);
    }

    /**
     * keepalived: the address count is 8 bits, and the addresses must fit a 1500-byte frame (89 IPv6 addresses);
     * the excess become excluded VIPs, still managed but not advertised.
     */
    private static InstanceConfig roomInPacket(InstanceConfig ic, Problems problems) {
        boolean ipv6 = !ic.vips().isEmpty() && ic.vips().get(0).address() instanceof Inet6Address;
        int header = 14 + (ipv6 ? 40 : 20) + 8 + (!ipv6 && ic.version() == 2 ? 8 : 0);
        int max = Math.min(255, (MTU - header) / (ipv6 ? 16 : 4));
        if (ic.vips().size() <= max) {
            return ic;
        }
        problems.warn(ic.vips().get(max).source(), "vrrp_instance " + ic.name() + " has " + ic.vips().size()
                + " VIPs; an advert holds at most " + max + ": the addresses from here on are managed but not "
                + "advertised (as virtual_ipaddress_excluded), as keepalived does");
        List<VirtualAddress> excluded = new ArrayList<>(ic.vips().subList(max, ic.vips().size()));
        excluded.addAll(ic.excludedVips());
        return ic.toBuilder().vips(ic.vips().subList(0, max)).excludedVips(excluded).build();
    }

    private static void warn(Problems problems, Written w, String key, Source fallback, String message) {
        Entry e = w.lines().get(key);
        problems.warn(e != null ? e.source() : fallback, message);
    }
}
