package io.nginxha.agent.runtime;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.ConfigException;
import io.nginxha.agent.config.NotifyConfig;
import io.nginxha.agent.config.SyncGroupConfig;
import io.nginxha.agent.config.VirtualAddress;
import io.nginxha.agent.config.WireId;
import io.nginxha.agent.vrrp.VrrpState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, without touching anything, how a reloaded config is applied to the running agent without a blip (the
 * agent carries the {@link Plan} out on its loop). Instances whose VRRP settings did not change are
 * not touched at all: only their config is swapped, so changed tracking or notify settings apply from now on (the
 * checks themselves are reloaded by {@code Trackers}, told of the instances made anew). The others are replaced; a
 * replacement continues as master at once, without an election, when it takes over the wire identity (interface,
 * family, VRID) of a retired instance that was master, or, being new on the wire, when every one of its VIPs is held
 * here now. VIPs are only removed when no instance that is master after the reload holds them, so a VIP that stays
 * configured is never taken down, also when it moves to another instance or VRIDs are swapped.
 */
final class Reloader {
    private static final Logger log = LoggerFactory.getLogger(Reloader.class);

    private Reloader() { }

    /** An instance as the running agent knows it. */
    record Known(InstanceConfig config, VrrpState state, boolean vipsHeld, String syncGroup) {
        /** Not in a sync group. */
        Known(InstanceConfig config, VrrpState state, boolean vipsHeld) {
            this(config, state, vipsHeld, null);
        }
    }

    /**
     * What a reload does.
     *
     * @param kept           names of instances left untouched
     * @param retired        names of instances removed from the loop
     * @param started        configs of the instances that replace them or are new
     * @param resumeAsMaster names (of started) that continue as master
     * @param resign         names (of retired) that were master and whose VRID leaves the wire: they send priority 0
     */
    record Plan(Set<String> kept, List<String> retired, List<InstanceConfig> started, Set<String> resumeAsMaster,
                List<String> resign) { }

    static Plan plan(Map<String, Known> running, AgentConfig next) {
        Set<String> kept = new LinkedHashSet<>();
        List<InstanceConfig> started = new ArrayList<>();
        for (InstanceConfig ic : next.instances()) {
            Known old = running.get(ic.name());
            // A member joining, leaving or changing its sync group is replaced (continuing as master if it was):
            // its state machine is built as a member or not, and its group must hear of its moves.
            SyncGroupConfig group = next.syncGroupOf(ic.name());
            if (old != null && sameSettings(old.config(), ic)
                    && Objects.equals(old.syncGroup(), group == null ? null : group.name())) {
                kept.add(ic.name());
            } else {
                started.add(ic);
            }
        }
        List<String> retired = running.keySet().stream().filter(n -> !kept.contains(n)).toList();
        Map<WireId, Known> retiredByWire = new HashMap<>();
        Set<Vip> heldHere = new LinkedHashSet<>();
        running.forEach((name, k) -> {
            if (!kept.contains(name)) {
                retiredByWire.put(k.config().wireId(), k);
            }
            if (k.vipsHeld()) {
                k.config().managedVips().forEach(v -> heldHere.add(Vip.of(k.config(), v)));
            }
        });
        Set<String> resume = new LinkedHashSet<>();
        Set<WireId> claimed = new LinkedHashSet<>();
        for (InstanceConfig ic : started) {
            Known predecessor = retiredByWire.get(ic.wireId());
            boolean master = predecessor != null ? predecessor.state() == VrrpState.MASTER
                    : !ic.vips().isEmpty() && ic.vips().stream().allMatch(v -> heldHere.contains(Vip.of(ic, v)));
            if (predecessor != null) {
                claimed.add(ic.wireId());
            }
            if (master) {
                resume.add(ic.name());
            }
        }
        List<String> resign = retired.stream().map(running::get)
                .filter(k -> k.state() == VrrpState.MASTER && !claimed.contains(k.config().wireId()))
                .map(k -> k.config().name()).toList();
        return new Plan(kept, retired, started, resume, resign);
    }

    /**
     * The addresses to take down after a reload: held by an instance before it and by no instance that holds its
     * VIPs after it. Prefix and label do not make another VIP, so a VIP that moves between instances stays up.
     */
    static List<Vip> orphanedVips(List<Known> heldBefore, List<Known> heldAfter) {
        Set<Vip> after = new LinkedHashSet<>();
        heldAfter.forEach(k -> k.config().managedVips().forEach(v -> after.add(Vip.of(k.config(), v))));
        Set<Vip> orphaned = new LinkedHashSet<>();
        for (Known k : heldBefore) {
            for (VirtualAddress v : k.config().managedVips()) {
                Vip vip = Vip.of(k.config(), v);
                if (!after.contains(vip)) {
                    orphaned.add(vip);
                }
            }
        }
        return List.copyOf(orphaned);
    }

    /**
     * SIGHUP: reads and validates the config on the calling thread, so the loop never waits for the disk; an
     * invalid config is logged with every problem and the running one stays. Returns the config to apply, or null.
     */
    static AgentConfig load(ConfigSource source) {
        if (source == null) {
            log.warn("reload requested, but there is no config file to read again");
            return null;
        }
        try {
            return source.load();
        } catch (ConfigException e) {
            log.error("reload rejected, the running config stays; {} problem(s):", e.problems().size());
            e.problems().forEach(p -> log.error("  {}", p));
        } catch (RuntimeException e) {
            log.error("reload rejected, the running config stays: {}", e.toString());
        }
        return null;
    }

    /** A VIP as the interface sees it: where and which address (prefix and label do not make it another VIP). */
    record Vip(String dev, VirtualAddress address) {
        static Vip of(InstanceConfig ic, VirtualAddress v) {
            return new Vip(ic.deviceOf(v), new VirtualAddress(v.address(), v.prefix(), null, null, null));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Vip other && dev.equals(other.dev) && address.address().equals(other.address.address());
        }

        @Override
        public int hashCode() {
            return dev.hashCode() * 31 + address.address().hashCode();
        }
    }

    /**
     * Equal as a virtual router: every setting but where it was written (file, line), what it tracks and what it
     * notifies, which are applied without touching the instance.
     */
    static boolean sameSettings(InstanceConfig a, InstanceConfig b) {
        return vrrpPart(a).equals(vrrpPart(b));
    }

    private static InstanceConfig vrrpPart(InstanceConfig i) {
        return i.toBuilder().vips(withoutSources(i.vips())).trackScripts(List.of()).trackInterfaces(List.of())
                .trackFiles(List.of()).notifications(NotifyConfig.NONE).source(null)
                .excludedVips(withoutSources(i.excludedVips())).dontTrackPrimary(false)
                // routes and rules change on a kept instance without an election (Agent.reload applies them)
                .virtualRoutes(List.of()).virtualRules(List.of()).build();
    }

    private static List<VirtualAddress> withoutSources(List<VirtualAddress> vips) {
        return vips.stream().map(VirtualAddress::withoutSource).toList();
    }

}
