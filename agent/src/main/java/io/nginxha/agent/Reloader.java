package io.nginxha.agent;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.ScriptConfig;
import io.nginxha.agent.config.VirtualAddress;
import io.nginxha.agent.vrrp.Event;
import io.nginxha.agent.vrrp.Instance;
import io.nginxha.agent.vrrp.VrrpState;
import java.io.IOException;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a reloaded config to the running agent without a blip. Instances whose settings did not change (only
 * their file or line may have), nor those of the vrrp_scripts they track, are not touched at all. The others are replaced; a replacement continues as master
 * at once, without an election, when it takes over the wire identity (interface, family, VRID) of a retired
 * instance that was master, or, being new on the wire, when every one of its VIPs is held here now. VIPs are only
 * removed when no instance that is master after the reload holds them, so a VIP that stays configured is never
 * taken down, also when it moves to another instance or VRIDs are swapped.
 */
final class Reloader {
    private static final Logger log = LoggerFactory.getLogger(Reloader.class);

    private Reloader() { }

    /** An instance as the running agent knows it. */
    record Known(InstanceConfig config, VrrpState state, boolean vipsHeld) { }

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

    /** @param current the config the running instances came from (for the vrrp_scripts they track) */
    static Plan plan(Map<String, Known> running, AgentConfig current, AgentConfig next) {
        Set<String> kept = new LinkedHashSet<>();
        List<InstanceConfig> started = new ArrayList<>();
        for (InstanceConfig ic : next.instances()) {
            Known old = running.get(ic.name());
            if (old != null && sameSettings(old.config(), ic) && sameScripts(ic, current, next)) {
                kept.add(ic.name());
            } else {
                started.add(ic);
            }
        }
        List<String> retired = running.keySet().stream().filter(n -> !kept.contains(n)).toList();
        Map<String, Known> retiredByWire = new HashMap<>();
        Set<String> heldHere = new LinkedHashSet<>();
        running.forEach((name, k) -> {
            if (!kept.contains(name)) {
                retiredByWire.put(wire(k.config()), k);
            }
            if (k.vipsHeld()) {
                k.config().vips().forEach(v -> heldHere.add(vipKey(k.config(), v)));
            }
        });
        Set<String> resume = new LinkedHashSet<>();
        Set<String> claimed = new LinkedHashSet<>();
        for (InstanceConfig ic : started) {
            Known predecessor = retiredByWire.get(wire(ic));
            boolean master = predecessor != null ? predecessor.state() == VrrpState.MASTER
                    : !ic.vips().isEmpty() && ic.vips().stream().allMatch(v -> heldHere.contains(vipKey(ic, v)));
            if (predecessor != null) {
                claimed.add(wire(ic));
            }
            if (master) {
                resume.add(ic.name());
            }
        }
        List<String> resign = retired.stream().map(running::get)
                .filter(k -> k.state() == VrrpState.MASTER && !claimed.contains(wire(k.config())))
                .map(k -> k.config().name()).toList();
        return new Plan(kept, retired, started, resume, resign);
    }

    /**
     * Applies {@code next} on the loop's thread. Interfaces are opened first, so a failure there leaves the old
     * config running untouched. Returns whether the reload was applied.
     */
    static boolean apply(Agent agent, AgentConfig next, long now) {
        Map<String, Agent.Slot> slots = agent.slotsByName();
        Map<String, Known> running = new LinkedHashMap<>();
        slots.forEach((n, s) -> running.put(n, new Known(s.config, s.instance.state(), s.vipsHeld)));
        Plan plan = plan(running, agent.currentConfig(), next);
        if (plan.started().isEmpty() && plan.retired().isEmpty()) {
            agent.replaceConfig(next);
            log.info("reload: no instance changed");
            return true;
        }
        Map<String, Integer> transportOf = new HashMap<>();
        try {
            for (InstanceConfig ic : plan.started()) {
                transportOf.put(ic.name(), agent.transportFor(ic));
            }
        } catch (IOException | RuntimeException e) {
            log.error("reload rejected, the running config stays: cannot open an interface: {}", e.toString());
            return false;
        }
        Set<Vip> heldBefore = new LinkedHashSet<>();
        for (String name : plan.retired()) {
            Agent.Slot old = slots.remove(name);
            old.garpGeneration++; // GARPs it still has scheduled are not sent
            if (old.vipsHeld) {
                old.config.vips().forEach(v -> heldBefore.add(Vip.of(old.config, v)));
            }
            if (plan.resign().contains(name)) {
                agent.resign(old);
            }
        }
        List<Agent.Slot> fresh = new ArrayList<>();
        for (InstanceConfig ic : plan.started()) {
            var transport = agent.transport(transportOf.get(ic.name()));
            Agent.Slot slot = new Agent.Slot(ic, new Instance(ic, transport.sourceAddress()), transport);
            slots.put(ic.name(), slot);
            fresh.add(slot);
        }
        agent.reindex();
        agent.replaceConfig(next);
        for (Agent.Slot slot : fresh) {
            agent.startInstance(slot, new Event.Resume(plan.resumeAsMaster().contains(slot.config.name())), now);
        }
        Set<Vip> heldNow = new LinkedHashSet<>();
        slots.values().stream().filter(s -> s.vipsHeld)
                .forEach(s -> s.config.vips().forEach(v -> heldNow.add(Vip.of(s.config, v))));
        for (Vip vip : heldBefore) {
            if (!heldNow.contains(vip)) {
                agent.removeVip(vip.dev(), vip.address());
            }
        }
        log.info("reload: {} unchanged, {} retired {}, {} started {} (continuing as master: {})", plan.kept().size(),
                plan.retired().size(), plan.retired(), plan.started().size(),
                plan.started().stream().map(InstanceConfig::name).toList(), plan.resumeAsMaster());
        return true;
    }

    /** A VIP as the interface sees it: where and which address (prefix and label do not make it another VIP). */
    record Vip(String dev, VirtualAddress address) {
        static Vip of(InstanceConfig ic, VirtualAddress v) {
            return new Vip(v.dev() != null ? v.dev() : ic.iface(),
                    new VirtualAddress(v.address(), v.prefix(), null, null, null));
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

    private static String vipKey(InstanceConfig ic, VirtualAddress v) {
        return (v.dev() != null ? v.dev() : ic.iface()) + "/" + v.address().getHostAddress();
    }

    /** What peers see: the same interface, address family and VRID is the same virtual router. */
    static String wire(InstanceConfig ic) {
        boolean v6 = !ic.vips().isEmpty() && ic.vips().get(0).address() instanceof Inet6Address;
        return ic.iface() + "/" + (v6 ? "IPv6" : "IPv4") + "/" + ic.vrid();
    }

    /** Equal in every setting; where they were written (file, line) does not count. */
    static boolean sameSettings(InstanceConfig a, InstanceConfig b) {
        return withoutSources(a).equals(withoutSources(b));
    }

    /** A changed vrrp_script changes the instances tracking it, so that their trackers are made again. */
    private static boolean sameScripts(InstanceConfig ic, AgentConfig current, AgentConfig next) {
        for (InstanceConfig.Tracked t : ic.trackScripts()) {
            ScriptConfig a = current.scripts().get(t.name());
            ScriptConfig b = next.scripts().get(t.name());
            if (a == null || b == null ? a != b : !withoutSource(a).equals(withoutSource(b))) {
                return false;
            }
        }
        return true;
    }

    private static ScriptConfig withoutSource(ScriptConfig s) {
        return new ScriptConfig(s.name(), s.command(), s.intervalMs(), s.timeoutMs(), s.weight(), s.weightReverse(),
                s.rise(), s.fall(), s.user(), null, s.initFail());
    }

    private static InstanceConfig withoutSources(InstanceConfig i) {
        return new InstanceConfig(i.name(), i.initialState(), i.iface(), i.vrid(), i.priority(), i.intervalCs(),
                i.version(), i.authPass(), vips(i.vips()), i.preempt(), i.preemptDelaySec(), i.unicastSrc(),
                i.unicastPeers(), tracked(i.trackScripts()), tracked(i.trackInterfaces()), tracked(i.trackFiles()),
                i.notifications(), i.garp(), null, vips(i.excludedVips()), i.dontTrackPrimary());
    }

    private static List<VirtualAddress> vips(List<VirtualAddress> vips) {
        return vips.stream().map(v -> new VirtualAddress(v.address(), v.prefix(), v.dev(), v.label(), null)).toList();
    }

    private static List<InstanceConfig.Tracked> tracked(List<InstanceConfig.Tracked> t) {
        return t.stream().map(x -> new InstanceConfig.Tracked(x.name(), x.weight(), x.reverse(), null)).toList();
    }
}
