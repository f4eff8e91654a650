package io.nginxha.agent;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.ConfigException;
import io.nginxha.agent.config.NotifyConfig;
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
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a reloaded config to the running agent without a blip. Instances whose VRRP settings did not change are
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

    static Plan plan(Map<String, Known> running, AgentConfig next) {
        Set<String> kept = new LinkedHashSet<>();
        List<InstanceConfig> started = new ArrayList<>();
        for (InstanceConfig ic : next.instances()) {
            Known old = running.get(ic.name());
            if (old != null && sameSettings(old.config(), ic)) {
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
     * config running untouched. Returns the names of the instances made anew, or null when the reload was rejected.
     */
    static Set<String> apply(Agent agent, AgentConfig next, long now) {
        Map<String, Agent.Slot> slots = agent.slotsByName();
        Map<String, Known> running = new LinkedHashMap<>();
        slots.forEach((n, s) -> running.put(n, new Known(s.config, s.instance.state(), s.vipsHeld)));
        Plan plan = plan(running, next);
        for (InstanceConfig ic : next.instances()) {
            if (plan.kept().contains(ic.name())) {
                slots.get(ic.name()).config = ic; // the same virtual router; tracking and notify settings may differ
            }
        }
        if (plan.started().isEmpty() && plan.retired().isEmpty()) {
            agent.replaceConfig(next);
            log.info("reload: no instance changed");
            return Set.of();
        }
        Map<String, Integer> transportOf = new HashMap<>();
        try {
            for (InstanceConfig ic : plan.started()) {
                transportOf.put(ic.name(), agent.transportFor(ic));
            }
        } catch (IOException | RuntimeException e) {
            log.error("reload rejected, the running config stays: cannot open an interface: {}", e.toString());
            restore(slots, running);
            return null;
        }
        Set<Vip> heldBefore = new LinkedHashSet<>();
        for (String name : plan.retired()) {
            Agent.Slot old = slots.remove(name);
            old.garpGeneration++; // GARPs it still has scheduled are not sent
            if (old.vipsHeld) {
                old.config.vips().forEach(v -> heldBefore.add(Vip.of(old.config, v)));
            }
            if (plan.resign().contains(name)) {
                resign(old);
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
                log.info("reload: removing {} from {}, no longer held by a master instance",
                        vip.address().address().getHostAddress(), vip.dev());
                agent.vips().remove(vip.dev(), vip.address().address(), vip.address().prefix());
            }
        }
        log.info("reload: {} unchanged, {} retired {}, {} started {} (continuing as master: {})", plan.kept().size(),
                plan.retired().size(), plan.retired(), plan.started().size(),
                plan.started().stream().map(InstanceConfig::name).toList(), plan.resumeAsMaster());
        return plan.started().stream().map(InstanceConfig::name).collect(Collectors.toUnmodifiableSet());
    }

    private static void restore(Map<String, Agent.Slot> slots, Map<String, Known> running) {
        running.forEach((name, k) -> slots.get(name).config = k.config());
    }

    /** A retired master's last word: priority 0, so the peer takes over without waiting for its timer. */
    private static void resign(Agent.Slot slot) {
        try {
            slot.transport.send(ActionRunner.advertFor(slot.config, 0), slot.config.unicastPeers().isEmpty()
                    ? ActionRunner.VRRP_GROUP : slot.config.unicastPeers().get(0));
            slot.counters.advertSent(0);
        } catch (IOException | RuntimeException e) {
            log.warn("{}: resigning failed: {}", slot.config.name(), e.toString());
        }
    }

    /**
     * SIGHUP: reads and validates the config on the calling thread, so the loop never waits for the disk; an
     * invalid config is logged with every problem and the running one stays. Returns the config to apply, or null.
     */
    static AgentConfig load(Agent.ConfigSource source) {
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

    /**
     * Equal as a virtual router: every setting but where it was written (file, line), what it tracks and what it
     * notifies, which are applied without touching the instance.
     */
    static boolean sameSettings(InstanceConfig a, InstanceConfig b) {
        return vrrpPart(a).equals(vrrpPart(b));
    }

    private static InstanceConfig vrrpPart(InstanceConfig i) {
        return new InstanceConfig(i.name(), i.initialState(), i.iface(), i.vrid(), i.priority(), i.intervalCs(),
                i.version(), i.authPass(), vips(i.vips()), i.preempt(), i.preemptDelaySec(), i.unicastSrc(),
                i.unicastPeers(), List.of(), List.of(), List.of(), NotifyConfig.NONE, i.garp(), null,
                vips(i.excludedVips()), false);
    }

    private static List<VirtualAddress> vips(List<VirtualAddress> vips) {
        return vips.stream().map(v -> new VirtualAddress(v.address(), v.prefix(), v.dev(), v.label(), null)).toList();
    }

}
