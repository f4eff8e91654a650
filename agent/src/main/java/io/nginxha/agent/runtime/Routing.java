package io.nginxha.agent.runtime;

import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.RoutingEntry;
import io.nginxha.agent.config.StaticNetwork;
import io.nginxha.agent.config.VirtualAddress;
import io.nginxha.agent.net.RouteManager;
import io.nginxha.agent.net.VipManager;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes and rules of the agent at the edge, as keepalived 2.2.7 handles them (vrrp.c, vrrp_daemon.c):
 * an instance's virtual routes, then its virtual rules, go on after its VIPs when it becomes master and come off
 * (rules first) before them when it leaves; the static addresses, routes and rules go on at start, before the
 * instances, and come off (rules, routes, addresses) at a clean stop, after the instances have let go.
 */
final class Routing {
    private static final Logger log = LoggerFactory.getLogger(Routing.class);

    /** What an add left undone, and the last reason. */
    record Failed(List<RoutingEntry> entries, String why) {
        boolean none() {
            return entries.isEmpty();
        }
    }

    private final RouteManager routes;
    private final VipManager vips;

    Routing(RouteManager routes, VipManager vips) {
        this.routes = routes;
        this.vips = vips;
    }

    /** At start, before the instances: leftover virtual rules off, then the static entries on. */
    void starting(io.nginxha.agent.config.AgentConfig config) {
        removeLeftoverRules(config.instances());
        addStatic(config.statics());
    }

    /** Adds each entry in order; what failed comes back for the caller to retry and report. */
    Failed add(List<RoutingEntry> entries) {
        List<RoutingEntry> failed = new ArrayList<>(0);
        String why = null;
        for (RoutingEntry e : entries) {
            RouteManager.Result r = result(() -> routes.add(e));
            if (!r.ok()) {
                failed.add(e);
                why = r.error();
            }
        }
        return new Failed(failed, why);
    }

    /** Removes the entries in reverse order (rules before the routes they may lead to); failures are logged. */
    void remove(String owner, List<RoutingEntry> entries) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            RoutingEntry e = entries.get(i);
            RouteManager.Result r = result(() -> routes.remove(e));
            if (!r.ok()) {
                log.error("{}: {}", owner, r.error());
            }
        }
    }

    /**
     * Static entries at start. keepalived logs what the kernel refuses and goes on, the routes and rules being
     * independent of the VRRP state; so does the agent, with each failure at ERROR. Returns how many failed.
     */
    int addStatic(StaticNetwork statics) {
        int failures = 0;
        // keepalived removes leftover static rules before adding them (addresses and routes are just added again)
        remove("static (leftover)", List.copyOf(statics.rules()));
        for (VirtualAddress a : statics.addresses()) {
            boolean ok;
            try {
                ok = vips.add(a.dev(), a);
            } catch (RuntimeException e) {
                ok = false;
            }
            if (!ok) {
                failures++;
                log.error("static_ipaddress: adding {} failed", a);
            }
        }
        Failed f = add(statics.routing());
        for (RoutingEntry e : f.entries()) {
            log.error("static: adding {} failed", e);
        }
        if (!f.none()) {
            log.error("static: last reason: {}", f.why());
        }
        return failures + f.entries().size();
    }

    /**
     * At start, the virtual rules a killed agent may have left, as keepalived removes them at start (its virtual
     * routes it leaves: they come off when the instance next leaves master). A rule not there is no failure.
     */
    void removeLeftoverRules(List<InstanceConfig> instances) {
        for (InstanceConfig ic : instances) {
            remove(ic.name() + " (leftover)", List.copyOf(ic.virtualRules()));
        }
    }

    /** Static entries at a clean stop, as keepalived removes them: rules, routes, then addresses. */
    void removeStatic(StaticNetwork statics) {
        remove("static", statics.routing());
        for (VirtualAddress a : statics.addresses()) {
            try {
                if (!vips.remove(a.dev(), a.address(), a.prefix())) {
                    log.error("static_ipaddress: removing {} failed", a);
                }
            } catch (RuntimeException e) {
                log.error("static_ipaddress: removing {} failed: {}", a, e.toString());
            }
        }
    }

    /** A manager that throws is a failed change, not a stopped loop. */
    private static RouteManager.Result result(java.util.function.Supplier<RouteManager.Result> call) {
        try {
            RouteManager.Result r = call.get();
            return r == null ? new RouteManager.Result("no result from the route manager") : r;
        } catch (RuntimeException e) {
            return new RouteManager.Result(e.toString());
        }
    }

    /**
     * A reload: what to take off (in {@code before}, not in {@code after}) and what to put on (the reverse),
     * compared without where they were written. keepalived deletes the dropped entries and re-adds the rest.
     */
    record Change(List<RoutingEntry> removed, List<RoutingEntry> added) {
        boolean none() {
            return removed.isEmpty() && added.isEmpty();
        }
    }

    static Change change(List<RoutingEntry> before, List<RoutingEntry> after) {
        List<RoutingEntry> b = before.stream().map(RoutingEntry::withoutSource).toList();
        List<RoutingEntry> a = after.stream().map(RoutingEntry::withoutSource).toList();
        List<RoutingEntry> removed = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            if (!a.contains(b.get(i))) {
                removed.add(before.get(i));
            }
        }
        List<RoutingEntry> added = new ArrayList<>();
        for (int i = 0; i < after.size(); i++) {
            if (!b.contains(a.get(i))) {
                added.add(after.get(i));
            }
        }
        return new Change(removed, added);
    }

    /** Applies a reload's change for {@code owner}; failures are logged (the next takeover adds them again). */
    void apply(String owner, Change change) {
        remove(owner, change.removed());
        Failed f = add(change.added());
        for (RoutingEntry e : f.entries()) {
            log.error("{}: reload: adding {} failed: {}", owner, e, f.why());
        }
    }

    /**
     * A reload kept {@code before} as {@code after}: when it holds its VIPs (master) its changed virtual routes and
     * rules are applied now, without an election; otherwise its next takeover adds the new set.
     */
    void reconfigured(InstanceConfig before, InstanceConfig after, boolean held) {
        if (held) {
            apply(after.name(), change(before.virtualRouting(), after.virtualRouting()));
        }
    }

    /** The routes and rules of masters a reload retired that no master holds after it come off. */
    void retired(List<InstanceConfig> heldBefore, List<InstanceConfig> heldAfter) {
        List<RoutingEntry> after = new ArrayList<>();
        heldAfter.forEach(ic -> after.addAll(ic.virtualRouting()));
        for (InstanceConfig ic : heldBefore) {
            remove(ic.name(), change(ic.virtualRouting(), after).removed());
        }
    }

    static String describe(List<RoutingEntry> entries) {
        StringBuilder b = new StringBuilder();
        for (RoutingEntry e : entries) {
            b.append(b.length() == 0 ? "" : ", ").append(e);
        }
        return b.toString();
    }
}
