package io.nginxha.agent.runtime;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.vrrp.Event;
import java.io.IOException;
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
 * One reload being carried out on the loop's thread, in the order that never drops a serving VIP: interfaces
 * opened first (a failure there leaves the old config running untouched), kept routers given their new tracking
 * and notify settings, retired ones taken off (resigning where their VRID leaves the wire), new ones added; the
 * loop then steps the new ones into their start ({@link #starts}), and {@link #finish} removes only the VIPs that
 * no router holding its VIPs has any more. It never steps a router itself: the loop stays the one caller.
 */
final class ReloadRun {
    private static final Logger log = LoggerFactory.getLogger(ReloadRun.class);

    /** The event that starts a router the reload made. */
    record Start(Router router, Event.Resume event) { }

    private final Routers routers;
    private final ActionRunner actions;
    private final Reloader.Plan plan;
    private final List<Reloader.Known> heldBefore = new ArrayList<>();
    private final Set<String> fresh = new LinkedHashSet<>();

    private ReloadRun(Routers routers, ActionRunner actions, Reloader.Plan plan) {
        this.routers = routers;
        this.actions = actions;
        this.plan = plan;
    }

    /** Plans {@code next} against the running routers and applies it up to the new routers' start. */
    static ReloadRun begin(Routers routers, ActionRunner actions, AgentConfig next) throws IOException {
        Map<String, Reloader.Known> running = new LinkedHashMap<>();
        for (Router r : routers.all()) {
            running.put(r.name(), known(r));
        }
        Reloader.Plan plan = Reloader.plan(running, next);
        Map<String, Integer> transportOf = new HashMap<>();
        for (InstanceConfig ic : plan.started()) {
            transportOf.put(ic.name(), routers.transportFor(ic)); // throws before anything changed
        }
        for (InstanceConfig ic : next.instances()) {
            if (plan.kept().contains(ic.name())) {
                Router kept = routers.get(ic.name());
                actions.routing().reconfigured(kept.config(), ic, kept.vipsHeld()); // a master's new routes, now
                kept.reconfigure(ic); // the same virtual router; tracking, notify or routes may differ
            }
        }
        ReloadRun run = new ReloadRun(routers, actions, plan);
        for (String name : plan.retired()) {
            Router old = routers.remove(name);
            old.retired();
            if (next.instances().stream().noneMatch(i -> i.wireId().equals(old.config().wireId()))) {
                // keepalived vrrp_exist: an instance is the same across a reload by its VRID, family and
                // interface, whatever its name; only one with none of those left is deleted
                actions.deleted(old);
            }
            if (old.vipsHeld()) {
                run.heldBefore.add(known(old));
            }
            if (plan.resign().contains(name)) {
                actions.resign(old);
            }
        }
        for (InstanceConfig ic : plan.started()) {
            routers.add(routers.create(ic, transportOf.get(ic.name()), SyncGroups.groupOf(next, ic.name())));
            run.fresh.add(ic.name());
        }
        return run;
    }

    /** Whether nothing but settings of kept routers changed. */
    boolean nothingChanged() {
        return plan.started().isEmpty() && plan.retired().isEmpty();
    }

    /** The new routers with the event that starts each: continuing as master, or an ordinary start. */
    List<Start> starts() {
        List<Start> out = new ArrayList<>();
        for (String name : fresh) {
            out.add(new Start(routers.get(name), new Event.Resume(plan.resumeAsMaster().contains(name))));
        }
        return out;
    }

    /** After the starts: takes down the VIPs no router holds any more, and says what the reload did. */
    void finish() {
        if (nothingChanged()) {
            log.info("reload: no instance changed");
            return;
        }
        List<Reloader.Known> heldAfter = routers.all().stream().filter(Router::vipsHeld).map(ReloadRun::known).toList();
        actions.routing().retired(heldBefore.stream().map(Reloader.Known::config).toList(),
                heldAfter.stream().map(Reloader.Known::config).toList());
        for (Reloader.Vip vip : Reloader.orphanedVips(heldBefore, heldAfter)) {
            log.info("reload: removing {} from {}, no longer held by a master instance",
                    vip.address().address().getHostAddress(), vip.dev());
            actions.removeVip(vip.dev(), vip.address());
        }
        log.info("reload: {} unchanged, {} retired {}, {} started {} (continuing as master: {})", plan.kept().size(),
                plan.retired().size(), plan.retired(), plan.started().size(), fresh, plan.resumeAsMaster());
    }

    /** The names of the routers made anew. */
    Set<String> fresh() {
        return Set.copyOf(fresh);
    }

    private static Reloader.Known known(Router r) {
        return new Reloader.Known(r.config(), r.instance().state(), r.vipsHeld(), r.syncGroup());
    }
}
