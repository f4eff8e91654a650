package io.nginxha.agent.runtime;

import io.nginxha.agent.config.FirewallConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.VirtualAddress;
import io.nginxha.agent.net.Firewall;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accept mode off, as keepalived 2.2.7 does it (vrrp_handle_accept_mode): while an instance without accept mode
 * that is not the address owner holds its VIPs, traffic to and from them is dropped by nftables rules; the rules go
 * in before its VIPs and come out after them. This class keeps which instance blocks which addresses and hands the
 * union to the {@link Firewall} edge, which applies it whole, so one failed call is put right by the next.
 *
 * <p>A failed {@link #block} is the caller's to handle (the VIP add treats it as a failed add: retried, then FAULT);
 * a failed unblock is logged and retried with the next change; {@link #failures()} counts both for /metrics.
 */
final class AcceptMode {
    private static final Logger log = LoggerFactory.getLogger(AcceptMode.class);

    private Firewall firewall = Firewall.NONE;
    private FirewallConfig config = FirewallConfig.DEFAULTS;
    private final Map<String, Set<Firewall.Blocked>> byInstance = new LinkedHashMap<>();
    private Set<Firewall.Blocked> applied = Set.of();
    /** The last call failed: what is in the kernel is not known, so the next call applies even without a change. */
    private boolean dirty;
    private long failures;
    private String lastError = "";

    void edge(Firewall edge) {
        this.firewall = edge;
    }

    /**
     * Before the instances start: deletes the tables a killed agent may have left, when any instance may need them
     * (an agent whose instances all accept never touches nftables).
     */
    void start(FirewallConfig firewallConfig, Collection<InstanceConfig> instances) {
        config = firewallConfig;
        if (instances.stream().anyMatch(InstanceConfig::dropsTrafficToVips)) {
            dirty = true;
            apply("removing the drop rules a previous run left");
        }
    }

    /** Before {@code ic}'s VIPs go on: its drop rules, if it has accept mode off; else nothing to do. */
    Firewall.Result block(InstanceConfig ic) {
        Set<Firewall.Blocked> wanted = blockedBy(ic);
        if (wanted.isEmpty() && !byInstance.containsKey(ic.name())) {
            return Firewall.Result.OK;
        }
        if (wanted.isEmpty()) {
            byInstance.remove(ic.name());
        } else {
            byInstance.put(ic.name(), wanted);
        }
        return apply(ic.name() + ": adding drop rules for its VIPs (accept mode off)");
    }

    /** After an instance's VIPs came off (or it was retired): its rules go. */
    Firewall.Result unblock(String instance) {
        if (byInstance.remove(instance) != null || dirty) {
            return apply(instance + ": removing the drop rules of its VIPs");
        }
        return Firewall.Result.OK;
    }

    /** A reload: the new settings, and rules only for the instances that still hold their VIPs ({@code holding}). */
    void reloaded(FirewallConfig next, Collection<InstanceConfig> holding) {
        boolean changed = !next.equals(config);
        config = next;
        Map<String, Set<Firewall.Blocked>> kept = new LinkedHashMap<>();
        for (InstanceConfig ic : holding) {
            Set<Firewall.Blocked> b = blockedBy(ic);
            if (!b.isEmpty()) {
                kept.put(ic.name(), b);
            }
        }
        changed |= !kept.equals(byInstance);
        byInstance.clear();
        byInstance.putAll(kept);
        if (changed || dirty) {
            dirty |= !applied.isEmpty(); // new table settings: apply even if the addresses are the same
            apply("reload: drop rules of the instances holding their VIPs");
        }
    }

    /** Stopping, after every instance let go: no table is left behind. */
    void close() {
        byInstance.clear();
        if (!applied.isEmpty() || dirty) {
            apply("stopping: removing the drop rules");
        }
    }

    /** Calls that failed since the start (adding or removing rules). */
    long failures() {
        return failures;
    }

    /** Why the last call failed, or "" after a success. */
    String lastError() {
        return lastError;
    }

    /** What the rules drop now, as far as the last successful call knows. */
    Set<Firewall.Blocked> applied() {
        return applied;
    }

    /** The addresses {@code ic} blocks while it holds its VIPs: all it manages, if accept mode is off. */
    static Set<Firewall.Blocked> blockedBy(InstanceConfig ic) {
        if (!ic.dropsTrafficToVips()) {
            return Set.of();
        }
        String own = ic.vmac() != null ? ic.vmac().name() : ic.iface();
        Set<Firewall.Blocked> out = new LinkedHashSet<>();
        for (VirtualAddress v : ic.managedVips()) {
            String dev = ic.deviceOf(v);
            // keepalived matches a link-local VIP by name with dont_track_primary (on its own interface, or no_track)
            out.add(new Firewall.Blocked(v.address(), dev, ic.dontTrackPrimary() && (dev.equals(own) || v.noTrack())));
        }
        return out;
    }

    private Firewall.Result apply(String what) {
        Set<Firewall.Blocked> union = new LinkedHashSet<>();
        byInstance.values().forEach(union::addAll);
        if (union.equals(applied) && !dirty) {
            return Firewall.Result.OK;
        }
        Firewall.Result r;
        try {
            r = firewall.apply(config, union);
        } catch (RuntimeException e) {
            r = Firewall.Result.failed(e.toString());
        }
        if (r.ok()) {
            applied = Set.copyOf(union);
            dirty = false;
            lastError = "";
            log.debug("{}: done, {} address(es) blocked", what, union.size());
        } else {
            failures++;
            dirty = true;
            lastError = r.detail();
            log.error("{}: failed: {}", what, r.detail());
        }
        return r;
    }
}
