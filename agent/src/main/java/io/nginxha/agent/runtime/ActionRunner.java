package io.nginxha.agent.runtime;

import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.VirtualAddress;
import io.nginxha.agent.config.WireId;
import io.nginxha.agent.net.Frames;
import io.nginxha.agent.net.Ipv6Frames;
import io.nginxha.agent.net.PcapTransport;
import io.nginxha.agent.net.PacketTransport;
import io.nginxha.agent.net.VipManager;
import io.nginxha.agent.vrrp.Action;
import io.nginxha.agent.vrrp.Advert;
import io.nginxha.agent.vrrp.AdvertCodec;
import io.nginxha.agent.vrrp.VrrpState;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes one router's {@link Action}s at the edge: packets, addresses, logs, counters. The later GARPs and NAs of
 * a burst ({@link LinkUpdates}) and VIP retries wait in its own task queue, which the loop runs when due ({@link #nextDeadline},
 * {@link #runDue}).
 */
final class ActionRunner {
    private static final Logger log = LoggerFactory.getLogger(ActionRunner.class);
    /** 224.0.0.18. */
    static final InetAddress VRRP_GROUP = PcapTransport.VRRP_GROUP;
    /** ff02::12. */
    static final InetAddress VRRP_GROUP6 = PcapTransport.VRRP_GROUP6;
    /**
     * A VIP add that failed is tried again after these delays (ms), then the instance goes to FAULT so that a peer
     * that can hold the address takes over: a master without its VIP is a black hole that no peer notices.
     */
    static final long[] VIP_RETRY_DELAYS_MS = {100, 400, 1500};
    /** How long that fault lasts before the instance leaves FAULT (for BACKUP and a new election) to try again. */
    static final long VIP_FAULT_HOLD_MS = 10_000;

    /** A verdict of the edge on one router's own VIPs, for the loop to merge into its faults. */
    record VipFault(Router router, boolean faulty, String reason) { }

    private final VipManager vips;
    private final Routing routing;
    private final DropCounters drops;
    private final AcceptMode acceptMode = new AcceptMode();
    private final PromoteSecondaries promoteSecondaries = new PromoteSecondaries();
    private final TaskQueue later = new TaskQueue();
    private final LinkUpdates linkUpdates = new LinkUpdates(later);
    /** Verdicts made by actions and scheduled tasks since the loop last took them. */
    private final List<VipFault> verdicts = new ArrayList<>();
    /** Told of every transition (notifications); filled before the loop starts. */
    private final List<TransitionListener> transitionListeners = new CopyOnWriteArrayList<>();

    ActionRunner(VipManager vips, DropCounters drops) {
        this(vips, io.nginxha.agent.net.RouteManager.NONE, drops);
    }

    ActionRunner(VipManager vips, io.nginxha.agent.net.RouteManager routes, DropCounters drops) {
        this.vips = vips;
        this.routing = new Routing(routes, vips);
        this.drops = drops;
    }

    Routing routing() {
        return routing;
    }

    /** The interfaces' promote_secondaries setting of the instances that ask for it. */
    PromoteSecondaries promoteSecondaries() {
        return promoteSecondaries;
    }

    /** The drop rules of instances without accept mode. */
    AcceptMode acceptMode() {
        return acceptMode;
    }

    /** When the next scheduled GARP is due, or {@link Long#MAX_VALUE}. */
    long nextDeadline() {
        return later.nextDeadline();
    }

    void runDue(long now) {
        later.runDue(now);
    }

    /** The VIP verdicts made since the last call, oldest first; the loop feeds them to the routers. */
    List<VipFault> takeVerdicts() {
        if (verdicts.isEmpty()) {
            return List.of();
        }
        List<VipFault> out = List.copyOf(verdicts);
        verdicts.clear();
        return out;
    }

    /** Shutting down: nothing scheduled goes out any more. */
    void cancelScheduled() {
        later.clear();
    }

    /**
     * What a killed agent left on the interfaces. An instance whose every address is still there was master when
     * the agent died: it continues as master at once (returned by name), so an agent that systemd restarts within
     * its down interval leaves no gap, and if the peer took over meanwhile the election settles it at the next
     * advert. Addresses of an instance that are there only in part are removed, as are none of an address owner's
     * (priority 255: they are its own). A use_vmac instance never continues so: its macvlan is made anew.
     */
    Set<String> adoptLeftoverVips(List<InstanceConfig> instances) {
        Map<String, List<VipManager.Assigned>> present = new java.util.LinkedHashMap<>();
        Set<String> resume = new java.util.LinkedHashSet<>();
        for (InstanceConfig ic : instances) {
            if (ic.priority() == 255 || ic.managedVips().isEmpty()) {
                continue;
            }
            List<VirtualAddress> there = new ArrayList<>();
            for (VirtualAddress vip : ic.managedVips()) {
                if (ic.vmac() != null && ic.deviceOf(vip).equals(ic.vmac().name())) {
                    continue; // a leftover macvlan is made anew, and its addresses go with it
                }
                if (present.computeIfAbsent(ic.deviceOf(vip), vips::list).stream()
                        .anyMatch(a -> a.address().equals(vip.address()))) {
                    there.add(vip);
                }
            }
            if (there.size() == ic.managedVips().size() && ic.vmac() == null) {
                log.warn("{}: {} still on the interface, left by an agent that did not stop cleanly while master:"
                        + " continuing as master", ic.name(), addresses(there));
                resume.add(ic.name());
                continue;
            }
            for (VirtualAddress vip : there) {
                log.warn("{}: removing {} from {}, left by an agent that did not stop cleanly",
                        ic.name(), vip.address().getHostAddress(), ic.deviceOf(vip));
                vips.remove(ic.deviceOf(vip), vip.address(), vip.prefix());
            }
        }
        return resume;
    }

    /**
     * Never throws for a failure at the edge: one failed action must not stop the loop or the actions after it.
     * An action this runner does not know is a programming error and fails loudly.
     */
    void execute(Router router, Action action, long now) {
        try {
            if (action instanceof Action.SendAdvert a) {
                sendAdvert(router, a.priority());
            } else if (action instanceof Action.AddVips) {
                addVips(router, router.config().managedVips(), router.config().virtualRouting(), now, 0,
                        router.mastership());
            } else if (action instanceof Action.RemoveVips) {
                router.vipsReleased(); // even if a removal fails: we no longer claim them
                routing.remove(router.name(), router.config().virtualRouting()); // rules, routes, then the VIPs
                removeVips(router, router.config().managedVips(), now, 0, router.mastership());
                if (!acceptMode.unblock(router.name()).ok()) { // after the VIPs, as keepalived
                    router.counters().firewallFailed();
                }
            } else if (action instanceof Action.SendGarp g) {
                linkUpdates.burst(router, now, g.count());
            } else if (action instanceof Action.Transition t) {
                transition(router, t);
            } else if (action instanceof Action.PriorityChanged p) {
                log.info("{}: effective priority {} -> {}", router.name(), p.from(), p.to());
                for (TransitionListener l : transitionListeners) {
                    l.priorityChanged(router.config(), router.instance().state(), p.to());
                }
            } else if (action instanceof Action.LowerPriorityMasterHeard h) {
                for (TransitionListener l : transitionListeners) {
                    l.lowerPriorityMaster(router.config(), router.instance().effectivePriority());
                }
            } else if (action instanceof Action.MasterWanted) {
                log.debug("{}: wants MASTER, its sync group decides", router.name()); // SyncGroups.after acts
            } else if (action instanceof Action.AdvertDropped d) {
                drops.count(d.reason(), router.name() + ": " + d.detail());
                router.counters().dropped(d.reason());
            } else {
                // An Error, not an exception: the catch below must not turn a missing case into a log line.
                throw new AssertionError("no edge for action " + action);
            }
        } catch (IOException | RuntimeException e) {
            log.error("{}: {} failed: {}", router.name(), action, e.toString());
        }
    }

    /**
     * Adds {@code wanted}; the instance holds its VIPs only when every one of them is on. What failed is tried
     * again while the same mastership lasts, and after the last retry the loop is told to put it in FAULT.
     */
    private void addVips(Router router, List<VirtualAddress> wanted, List<io.nginxha.agent.config.RoutingEntry> routes,
                         long now, int attempt, long term) {
        List<VirtualAddress> failed = new ArrayList<>(0);
        String why = null;
        // accept mode off: the drop rules before the VIPs, as keepalived; without them the VIPs would take traffic
        // the config says to drop, so a failure here is a failed add (retried, then FAULT)
        io.nginxha.agent.net.Firewall.Result rules = acceptMode.block(router.config());
        if (!rules.ok()) {
            why = "drop rules (accept mode off): " + rules.detail();
            router.counters().firewallFailed();
        }
        for (VirtualAddress v : wanted) {
            String dev = router.config().deviceOf(v);
            try {
                if (!(v.hasOptions() ? vips.add(dev, v) : vips.add(dev, v.address(), v.prefix(), v.label()))) {
                    failed.add(v);
                    why = "refused by the kernel (see the error above)";
                }
            } catch (RuntimeException e) {
                failed.add(v);
                why = e.toString();
            }
        }
        // virtual routes, then rules, after the VIPs (a route may use a VIP as its source), as keepalived
        Routing.Failed failedRoutes = routing.add(routes);
        if (!failedRoutes.none()) {
            why = failedRoutes.why();
        }
        if (failed.isEmpty() && failedRoutes.none() && rules.ok()) {
            router.vipsAdded();
            if (attempt > 0) {
                log.info("{}: virtual addresses added at attempt {}", router.name(), attempt + 1);
            }
            return;
        }
        router.counters().vipAddFailed();
        String which = failed.isEmpty() && failedRoutes.none() ? "the drop rules of its VIPs"
                : failed.isEmpty() ? Routing.describe(failedRoutes.entries())
                : failedRoutes.none() ? addresses(failed)
                : addresses(failed) + ", " + Routing.describe(failedRoutes.entries());
        if (attempt < VIP_RETRY_DELAYS_MS.length) {
            long delay = VIP_RETRY_DELAYS_MS[attempt];
            log.warn("{}: adding {} failed: {}; trying again in {} ms", router.name(), which, why, delay);
            later.at(now + delay * 1_000_000L, at -> {
                if (router.stillMaster(term)) {
                    addVips(router, failed, failedRoutes.entries(), at, attempt + 1, term);
                }
            });
            return;
        }
        String reason = "cannot add " + which + " after " + (attempt + 1) + " attempts: " + why;
        log.error("{}: {}; entering FAULT for {} s so that a peer takes over", router.name(), reason,
                VIP_FAULT_HOLD_MS / 1000);
        verdicts.add(new VipFault(router, true, reason));
        later.at(now + VIP_FAULT_HOLD_MS * 1_000_000L,
                at -> verdicts.add(new VipFault(router, false, "trying the virtual addresses again after a VIP fault")));
    }

    /**
     * Removes {@code wanted}; what fails is tried again (after the add's delays, then every
     * {@link #VIP_FAULT_HOLD_MS}) for as long as the router does not become master again: a backup that keeps a VIP
     * answers ARP for it beside the master. {@code term} is the mastership being left (the transition that follows
     * this action moves it on by one; a later mastership or a reload's retirement moves it further).
     */
    private void removeVips(Router router, List<VirtualAddress> wanted, long now, int attempt, long term) {
        List<VirtualAddress> failed = new ArrayList<>(0);
        String why = null;
        for (VirtualAddress v : wanted) {
            try {
                if (!vips.remove(router.config().deviceOf(v), v.address(), v.prefix())) {
                    failed.add(v);
                    why = "refused by the kernel (see the error above)";
                }
            } catch (RuntimeException e) {
                failed.add(v);
                why = e.toString();
            }
        }
        if (failed.isEmpty()) {
            if (attempt > 0) {
                log.info("{}: virtual addresses removed at attempt {}", router.name(), attempt + 1);
            }
            return;
        }
        long delay = attempt < VIP_RETRY_DELAYS_MS.length ? VIP_RETRY_DELAYS_MS[attempt] : VIP_FAULT_HOLD_MS;
        log.error("{}: removing {} failed: {}; trying again in {} ms", router.name(), addresses(failed), why, delay);
        later.at(now + delay * 1_000_000L, at -> {
            if (router.mastership() - term <= 1 && router.instance().state() != VrrpState.MASTER) {
                removeVips(router, failed, at, attempt + 1, term);
            }
        });
    }

    private static String addresses(List<VirtualAddress> list) {
        StringBuilder b = new StringBuilder();
        for (VirtualAddress v : list) {
            b.append(b.length() == 0 ? "" : ", ").append(v.address().getHostAddress()).append('/').append(v.prefix());
        }
        return b.toString();
    }

    private void transition(Router router, Action.Transition t) {
        InstanceConfig c = router.config();
        if (t.from() == VrrpState.INIT) {
            warmUp(c, router.transport().sourceAddress());
        }
        log.info("{} {} -> {}: {}", c.name(), t.from(), t.to(), t.reason());
        router.transitioned(t.from(), t.to());
        for (TransitionListener l : transitionListeners) {
            l.changed(c, t.from(), t.to(), router.instance().effectivePriority(), t.reason());
        }
    }

    /** A reload took {@code router} off the loop: its notifications say so (keepalived clear_diff_vrrp). */
    void deleted(Router router) {
        for (TransitionListener l : transitionListeners) {
            l.deleted(router.config(), router.instance().state(), router.instance().effectivePriority());
        }
    }

    /** A retired master's last word: priority 0, so the peer takes over without waiting for its timer. */
    void resign(Router router) {
        InstanceConfig c = router.config();
        try {
            router.transport().send(advertFor(c, 0), destinations(c).get(0));
            router.counters().advertSent(0);
        } catch (IOException | RuntimeException e) {
            log.warn("{}: resigning failed: {}", c.name(), e.toString());
        }
    }

    /** Removes one address a reload left without a master instance; a failure is logged, the reload goes on. */
    void removeVip(String dev, VirtualAddress vip) {
        try {
            vips.remove(dev, vip.address(), vip.prefix());
        } catch (RuntimeException e) {
            log.error("reload: removing {} from {} failed: {}", vip.address().getHostAddress(), dev, e.toString());
        }
    }

    void addTransitionListener(TransitionListener listener) {
        transitionListeners.add(listener);
    }

    private void sendAdvert(Router router, int priority) throws IOException {
        InstanceConfig c = router.config();
        Advert advert = advertFor(c, priority);
        for (InetAddress dst : destinations(c)) {
            router.transport().send(advert, dst);
            router.counters().advertSent(priority);
            if (log.isDebugEnabled()) {
                log.debug("{}: advert sent to {} priority {}", c.name(), dst.getHostAddress(), priority);
            }
        }
    }

    /** Where an instance's adverts go: its unicast peers, else its multicast group. */
    static List<InetAddress> destinations(InstanceConfig c) {
        if (!c.unicastPeers().isEmpty()) {
            return c.unicastPeers();
        }
        return List.of(group(c));
    }

    /** The multicast group of an instance: its own (mcast_dst_ip, vrrp_mcast_group4/6), else its family's VRRP group. */
    static InetAddress group(InstanceConfig c) {
        InetAddress own = c.options().mcastGroup();
        return own != null ? own : c.wireId().family() == WireId.Family.IPV6 ? VRRP_GROUP6 : VRRP_GROUP;
    }

    /**
     * The advert an instance sends: its VIPs (all of the instance's family; excluded VIPs are never announced), and
     * for version 2 its PASS password padded to 8 bytes.
     */
    static Advert advertFor(InstanceConfig c, int priority) {
        List<InetAddress> addresses = new ArrayList<>(c.vips().size());
        for (VirtualAddress v : c.vips()) {
            addresses.add(v.address());
        }
        boolean pass = c.version() == 2 && c.authPass() != null;
        byte[] auth = pass ? Arrays.copyOf(c.authPass().getBytes(StandardCharsets.UTF_8), 8) : new byte[0];
        return new Advert(c.version(), c.vrid(), priority, c.intervalCs(), addresses, pass ? 1 : 0, auth);
    }

    /**
     * Builds an advert and a GARP or NA frame once without sending them, when an instance starts: a backup has
     * never run that code, and the first run of cold code (interpreted, classes loaded) delayed its first advert
     * after Master_Down by milliseconds.
     */
    static void warmUp(InstanceConfig c, InetAddress source) {
        try {
            InetAddress dst = destinations(c).get(0);
            byte[] payload = AdvertCodec.encode(advertFor(c, c.priority()), source, dst);
            boolean ipv6 = c.wireId().family() == WireId.Family.IPV6;
            byte[] mac = Frames.virtualMac(c.vrid(), ipv6);
            Frames.vrrp(mac, Frames.multicastMac(ipv6 ? VRRP_GROUP6 : VRRP_GROUP), source, dst, payload);
            for (Inet4Address vip : LinkUpdates.ipv4(c)) {
                Frames.gratuitousArp(mac, vip);
            }
            for (Inet6Address vip : LinkUpdates.ipv6(c)) {
                Ipv6Frames.neighborAdvert(mac, vip, false);
            }
        } catch (RuntimeException e) {
            log.debug("{}: warm-up skipped: {}", c.name(), e.toString());
        }
    }
}
