package io.nginxha.agent;

import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.VirtualAddress;
import io.nginxha.agent.net.Frames;
import io.nginxha.agent.net.PacketTransport;
import io.nginxha.agent.net.VipManager;
import io.nginxha.agent.vrrp.Action;
import io.nginxha.agent.vrrp.Advert;
import io.nginxha.agent.vrrp.AdvertCodec;
import io.nginxha.agent.vrrp.DropReason;
import io.nginxha.agent.vrrp.VrrpState;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Executes one instance's {@link Action}s at the edge: packets, addresses, logs, counters. */
final class ActionRunner {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    /** 224.0.0.18. */
    static final InetAddress VRRP_GROUP = ipv4Group();

    /** Runs a task at a monotonic time on the loop's thread. */
    @FunctionalInterface
    interface Scheduler {
        void at(long atNanos, Runnable task);
    }

    private final VipManager vips;
    private final Scheduler scheduler;
    private final BiConsumer<DropReason, String> dropCounter;
    private final Map<String, VrrpState> states;
    /** Told of every transition (notifications); filled before the loop starts. */
    private final List<Agent.TransitionListener> transitionListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    ActionRunner(VipManager vips, Scheduler scheduler, BiConsumer<DropReason, String> dropCounter,
                 Map<String, VrrpState> states) {
        this.vips = vips;
        this.scheduler = scheduler;
        this.dropCounter = dropCounter;
        this.states = states;
    }

    /** Removes the VIPs a killed agent left behind on their interfaces (never an address owner's own addresses). */
    void removeLeftoverVips(List<InstanceConfig> instances) {
        Map<String, List<VipManager.Assigned>> present = new java.util.LinkedHashMap<>();
        for (InstanceConfig ic : instances) {
            if (ic.priority() == 255) {
                continue; // the address owner's VIPs are its own addresses
            }
            for (var vip : ic.vips()) {
                String dev = dev(ic, vip);
                boolean there = present.computeIfAbsent(dev, vips::list).stream()
                        .anyMatch(a -> a.address().equals(vip.address()));
                if (there) {
                    log.warn("{}: removing {} from {}, left by an agent that did not stop cleanly",
                            ic.name(), vip.address().getHostAddress(), dev);
                    vips.remove(dev, vip.address(), vip.prefix());
                }
            }
        }
    }

    /** Never throws: one failed action must not stop the loop or the actions after it. */
    void execute(Agent.Slot slot, Action action, long now) {
        try {
            if (action instanceof Action.SendAdvert a) {
                sendAdvert(slot, a.priority());
            } else if (action instanceof Action.AddVips) {
                for (VirtualAddress v : slot.config.vips()) {
                    vips.add(dev(slot.config, v), v.address(), v.prefix(), v.label());
                }
                slot.vipsHeld = true;
            } else if (action instanceof Action.RemoveVips) {
                slot.vipsHeld = false; // even if a removal fails: we no longer claim them
                for (VirtualAddress v : slot.config.vips()) {
                    vips.remove(dev(slot.config, v), v.address(), v.prefix());
                }
            } else if (action instanceof Action.SendGarp g) {
                garpBurst(slot, now, g.count());
            } else if (action instanceof Action.Transition t) {
                if (t.from() == VrrpState.INIT) {
                    warmUp(slot.config, slot.transport.sourceAddress());
                }
                log.info("{} {} -> {}: {}", slot.config.name(), t.from(), t.to(), t.reason());
                states.put(slot.config.name(), t.to());
                slot.counters.transition(t.from(), t.to());
                if (t.from() == VrrpState.MASTER) {
                    slot.garpGeneration++;
                }
                for (Agent.TransitionListener l : transitionListeners) {
                    l.changed(slot.config, t.from(), t.to(), slot.instance.effectivePriority(), t.reason());
                }
            } else if (action instanceof Action.AdvertDropped d) {
                dropCounter.accept(d.reason(), slot.config.name() + ": " + d.detail());
                slot.counters.dropped(d.reason());
            }
        } catch (IOException | RuntimeException e) {
            log.error("{}: {} failed: {}", slot.config.name(), action, e.toString());
        }
    }

    void addTransitionListener(Agent.TransitionListener listener) {
        transitionListeners.add(listener);
    }

    private void sendAdvert(Agent.Slot slot, int priority) throws IOException {
        InstanceConfig c = slot.config;
        Advert advert = advertFor(c, priority);
        List<InetAddress> destinations = c.unicastPeers().isEmpty() ? List.of(VRRP_GROUP) : c.unicastPeers();
        for (InetAddress dst : destinations) {
            slot.transport.send(advert, dst);
            slot.counters.advertSent(priority);
            if (log.isDebugEnabled()) {
                log.debug("{}: advert sent to {} priority {}", c.name(), dst.getHostAddress(), priority);
            }
        }
    }

    /** The advert an instance sends: its IPv4 VIPs, and for version 2 its PASS password padded to 8 bytes. */
    static Advert advertFor(InstanceConfig c, int priority) {
        List<InetAddress> addresses = List.copyOf(ipv4Vips(c));
        boolean pass = c.version() == 2 && c.authPass() != null;
        byte[] auth = pass ? Arrays.copyOf(c.authPass().getBytes(StandardCharsets.UTF_8), 8) : new byte[0];
        return new Advert(c.version(), c.vrid(), priority, c.intervalCs(), addresses, pass ? 1 : 0, auth);
    }

    /**
     * Builds an advert and a GARP frame once without sending them, when an instance starts: a backup has never
     * run that code, and the first run of cold code (interpreted, classes loaded) delayed its first advert
     * after Master_Down by milliseconds.
     */
    static void warmUp(InstanceConfig c, InetAddress source) {
        try {
            InetAddress dst = c.unicastPeers().isEmpty() ? VRRP_GROUP : c.unicastPeers().get(0);
            byte[] payload = AdvertCodec.encode(advertFor(c, c.priority()), source, dst);
            byte[] mac = Frames.virtualMac(c.vrid(), false);
            if (source instanceof Inet4Address && dst instanceof Inet4Address) {
                Frames.vrrp(mac, Frames.multicastMac(VRRP_GROUP), source, dst, payload);
            }
            for (Inet4Address vip : ipv4Vips(c)) {
                Frames.gratuitousArp(mac, vip);
            }
        } catch (RuntimeException e) {
            log.debug("{}: warm-up skipped: {}", c.name(), e.toString());
        }
    }

    /** {@code count} rounds, intervalMs apart, scheduled on the loop so it is never blocked. */
    private void garpBurst(Agent.Slot slot, long now, int count) throws IOException {
        List<Inet4Address> v4 = ipv4Vips(slot.config);
        if (v4.isEmpty()) {
            return;
        }
        GarpConfig garp = slot.config.garp() != null ? slot.config.garp() : GarpConfig.DEFAULTS;
        int rounds = Math.max(1, count);
        long gap = Math.max(0, garp.intervalMs()) * 1_000_000L;
        long generation = slot.garpGeneration;
        slot.transport.sendGarp(v4);
        for (int i = 1; i < rounds; i++) {
            if (gap == 0) {
                slot.transport.sendGarp(v4);
                continue;
            }
            scheduler.at(now + i * gap, () -> {
                if (slot.garpGeneration != generation) {
                    return; // no longer master: the address is someone else's now
                }
                try {
                    slot.transport.sendGarp(v4);
                } catch (IOException e) {
                    log.warn("{}: gratuitous ARP failed: {}", slot.config.name(), e.getMessage());
                }
            });
        }
    }

    /**
     * Plain loops, not streams: this runs first at a takeover, and a stream's lambdas are bootstrapped on their
     * first use, which cost milliseconds before the first advert and GARP (measured on the lab's capture).
     */
    private static List<Inet4Address> ipv4Vips(InstanceConfig c) {
        List<Inet4Address> out = new java.util.ArrayList<>(c.vips().size());
        for (VirtualAddress v : c.vips()) {
            if (v.address() instanceof Inet4Address a) {
                out.add(a);
            }
        }
        return out;
    }

    private static String dev(InstanceConfig c, VirtualAddress v) {
        return v.dev() != null ? v.dev() : c.iface();
    }

    private static InetAddress ipv4Group() {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 224, 0, 0, 18});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
