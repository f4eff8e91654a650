package io.nginxha.agent.runtime;

import io.nginxha.agent.announce.AnnounceAction;
import io.nginxha.agent.announce.AnnounceEvent;
import io.nginxha.agent.announce.AnnounceGroup;
import io.nginxha.agent.announce.AnnounceState;
import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.AnnounceConfig;
import io.nginxha.agent.config.RouteConfig;
import io.nginxha.agent.config.VirtualAddress;
import io.nginxha.agent.net.RouteManager;
import io.nginxha.agent.net.VipManager;
import io.nginxha.agent.os.Liveness;
import io.nginxha.agent.status.AnnounceStatus;
import io.nginxha.agent.vrrp.Event;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge of the announce mode: runs the {@link AnnounceGroup}s on one thread of their own (so the VRRP loop and
 * {@link Agent} stay as they are), and carries out their actions over rtnetlink. Holding a group puts its VIPs on
 * the loopback as host addresses; zebra sees each one as a connected route, and bgpd's {@code redistribute
 * connected} (limited by a prefix-list to exactly these VIPs) announces it. Releasing takes them off, and bgpd
 * withdraws. Draining swaps each address for a local route in the local table: the kernel still accepts the VIP
 * (requests the routers send while they converge are served), but zebra neither reads that table nor
 * redistributes it, so the routers have already been told to go elsewhere.
 *
 * <p>What the edge could not do comes back to the group as an event (a failed add withdraws and is retried), never
 * as a log line and a wrong state. The thread beats its {@link Liveness} heartbeat, so a dead announce thread stops
 * the systemd watchdog as a dead capture thread does.
 */
public final class AnnounceService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AnnounceService.class);
    private static final long BEAT_MS = 1000;
    /** RTN_LOCAL, RT_SCOPE_HOST and the local table: a route the kernel answers for, as for its own addresses. */
    private static final int TYPE_LOCAL = 2;
    private static final int SCOPE_HOST = 254;
    private static final long TABLE_LOCAL = 255;

    private final VipManager vips;
    private final RouteManager routes;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private final Liveness.Heartbeat heartbeat;
    private final long epochOffsetMs;
    private final Map<String, AnnounceGroup> groups = new LinkedHashMap<>();
    /** Groups whose VIPs are drain routes now (so a release also takes those off). */
    private final Set<String> drained = new HashSet<>();
    private final Map<String, Integer> holdFailures = new HashMap<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile Set<String> names;
    private volatile long maxDrainMs;
    private volatile List<AnnounceStatus> statuses = List.of();
    private ScheduledFuture<?> timer;
    private boolean stopping;

    public AnnounceService(List<AnnounceConfig> configs, VipManager vips, RouteManager routes, Clock clock,
                           Liveness liveness) {
        this.vips = vips;
        this.routes = routes;
        this.clock = clock;
        this.epochOffsetMs = System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(clock.nanoTime());
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "announce");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        this.thread = t;
        this.heartbeat = liveness == null ? null : liveness.register("announce", BEAT_MS * 5);
        long now = clock.nanoTime();
        configs.forEach(c -> groups.put(c.name(), new AnnounceGroup(c, now)));
        this.maxDrainMs = maxDrain(configs);
        this.names = Set.copyOf(groups.keySet());
        publish();
        if (heartbeat != null) {
            thread.scheduleAtFixedRate(heartbeat::beat, 0, BEAT_MS, TimeUnit.MILLISECONDS);
        }
        if (groups.isEmpty()) {
            stopped.complete(null);
        }
        // A killed agent may have left drain routes (it was draining): the host would go on accepting the VIPs
        // unannounced. Removing one that is not there is no failure.
        submit(() -> groups.values().forEach(g -> {
            drained.add(g.name());
            releaseDrainRoutes(g);
        }));
    }

    /** The longest drain_time of the groups: a stop is over within it (plus the steps' own time). Any thread. */
    public long maxDrainMs() {
        return maxDrainMs;
    }

    private static long maxDrain(java.util.Collection<AnnounceConfig> configs) {
        return configs.stream().mapToLong(AnnounceConfig::drainMs).max().orElse(0);
    }

    /** Whether {@code name} is an announce group (the trackers' verdicts for it come here, not to the VRRP loop). */
    public boolean has(String name) {
        return names.contains(name);
    }

    /**
     * The trackers' inject: verdicts for an announce group come here ({@link Event.FaultChanged} is its health;
     * it has no priority, so a {@link Event.PriorityChanged} means nothing to it), the rest goes to the instances.
     */
    public java.util.function.BiConsumer<String, Event> routing(java.util.function.BiConsumer<String, Event> instances) {
        return (name, event) -> {
            if (!has(name)) {
                instances.accept(name, event);
            } else if (event instanceof Event.FaultChanged f) {
                health(name, !f.faulty(), f.reason());
            }
        };
    }

    /** From any thread: the trackers' verdict for {@code group}. */
    public void health(String group, boolean healthy, String reason) {
        submit(() -> {
            AnnounceGroup g = groups.get(group);
            if (g != null) {
                step(g, new AnnounceEvent.Health(healthy, reason));
            }
        });
    }

    /** From any thread: withdraws and drains every group; completes once all have let go. */
    public CompletableFuture<Void> stop() {
        submit(() -> {
            stopping = true;
            for (AnnounceGroup g : List.copyOf(groups.values())) {
                step(g, new AnnounceEvent.Stop());
            }
            checkStopped();
        });
        return stopped;
    }

    /**
     * A reload (called on the VRRP loop after it applied the config, before the trackers tell the groups their
     * verdicts): new groups start waiting for a verdict, removed ones let go at once, kept ones keep their state
     * and an announced one gets its added VIPs on and its dropped VIPs off.
     */
    public void reload(AgentConfig next) {
        Map<String, AnnounceConfig> wanted = new LinkedHashMap<>();
        next.announce().forEach(c -> wanted.put(c.name(), c));
        Set<String> union = new HashSet<>(names);
        union.addAll(wanted.keySet());
        names = Set.copyOf(union); // the verdicts for new groups that follow must already come here
        maxDrainMs = Math.max(maxDrainMs, maxDrain(wanted.values()));
        submit(() -> {
            if (stopping) {
                return;
            }
            long now = clock.nanoTime();
            for (String name : List.copyOf(groups.keySet())) {
                if (!wanted.containsKey(name)) {
                    AnnounceGroup g = groups.remove(name);
                    release(g);
                    log.info("announce {}: removed by the reload, VIPs released", name);
                }
            }
            for (AnnounceConfig c : wanted.values()) {
                AnnounceGroup g = groups.get(c.name());
                if (g == null) {
                    groups.put(c.name(), new AnnounceGroup(c, now));
                    log.info("announce {}: added by the reload, waiting for its checks", c.name());
                } else if (!g.config().withoutSource().equals(c.withoutSource())) {
                    AnnounceConfig before = g.config();
                    g.reconfigure(c);
                    if (g.state().announced()) {
                        changeVips(g, before, c);
                    }
                }
            }
            names = Set.copyOf(groups.keySet());
            rearm();
            publish();
        });
    }

    /** The groups as of their last step; safe from any thread. */
    public List<AnnounceStatus> statuses() {
        return statuses;
    }

    private void submit(Runnable task) {
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("announce: a step failed", e); // the thread goes on with the next input
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("announce: closed, {} dropped", task);
        }
    }

    private void step(AnnounceGroup g, AnnounceEvent event) {
        List<AnnounceAction> actions = g.step(event, clock.nanoTime());
        for (AnnounceAction a : actions) {
            execute(g, a);
        }
        rearm();
        publish();
        checkStopped(); // after publish: whoever waits for the stop then sees STOPPED in the status too
    }

    private void execute(AnnounceGroup g, AnnounceAction a) {
        if (a instanceof AnnounceAction.Hold) {
            String failed = hold(g.config());
            if (failed != null) {
                holdFailures.merge(g.name(), 1, Integer::sum);
                step(g, new AnnounceEvent.HoldFailed(failed));
            }
        } else if (a instanceof AnnounceAction.Release) {
            release(g);
        } else if (a instanceof AnnounceAction.Drain) {
            drain(g);
        } else if (a instanceof AnnounceAction.Stopped) {
            log.info("announce {}: let go", g.name()); // the stop completes once every group has, after publish()
        } else if (a instanceof AnnounceAction.Changed c) {
            log.info("announce {}: {} -> {}: {}", g.name(), c.from(), c.to(), c.reason());
        } else {
            throw new AssertionError("no handler for announce action " + a);
        }
    }

    /** Puts every VIP on; returns why one failed, or null. */
    private String hold(AnnounceConfig c) {
        String failed = null;
        for (VirtualAddress v : c.vips()) {
            boolean ok;
            try {
                ok = vips.add(c.iface(), v);
            } catch (RuntimeException e) {
                ok = false;
            }
            if (!ok) {
                failed = "adding " + v.address().getHostAddress() + "/" + v.prefix() + " to " + c.iface()
                        + " failed";
            }
        }
        return failed;
    }

    private void release(AnnounceGroup g) {
        AnnounceConfig c = g.config();
        for (VirtualAddress v : c.vips()) {
            removeAddress(c, v);
        }
        releaseDrainRoutes(g);
    }

    private void releaseDrainRoutes(AnnounceGroup g) {
        if (drained.remove(g.name())) {
            for (VirtualAddress v : g.config().vips()) {
                RouteManager.Result r = routes.remove(localRoute(v));
                if (!r.ok()) {
                    log.error("announce {}: {}", g.name(), r.error());
                }
            }
        }
    }

    /** The drain route first, then the address off: at no moment does the host refuse the VIP. */
    private void drain(AnnounceGroup g) {
        AnnounceConfig c = g.config();
        drained.add(g.name());
        for (VirtualAddress v : c.vips()) {
            RouteManager.Result r = routes.add(localRoute(v));
            if (!r.ok()) {
                log.warn("announce {}: {}; {} is withdrawn without draining", g.name(), r.error(),
                        v.address().getHostAddress());
            }
            removeAddress(c, v);
        }
    }

    /** A failure is logged: the address left on keeps the route announced, which the log says; the next release tries again. */
    private void removeAddress(AnnounceConfig c, VirtualAddress v) {
        boolean ok;
        try {
            ok = vips.remove(c.iface(), v.address(), v.prefix());
        } catch (RuntimeException e) {
            ok = false;
        }
        if (!ok) {
            log.error("announce {}: {} could not be removed from {}: the routers may still be sent here",
                    c.name(), v.address().getHostAddress(), c.iface());
        }
    }

    private void changeVips(AnnounceGroup g, AnnounceConfig before, AnnounceConfig after) {
        Set<String> keep = new HashSet<>();
        after.vips().forEach(v -> keep.add(v.withoutSource().toString()));
        for (VirtualAddress v : before.vips()) {
            if (!keep.contains(v.withoutSource().toString()) || !before.iface().equals(after.iface())) {
                removeAddress(before, v);
            }
        }
        String failed = hold(after);
        if (failed != null) {
            holdFailures.merge(g.name(), 1, Integer::sum);
            step(g, new AnnounceEvent.HoldFailed(failed));
        }
    }

    static RouteConfig localRoute(VirtualAddress v) {
        boolean v6 = v.address() instanceof Inet6Address;
        return new RouteConfig(v6, v.address(), v.prefix(), null, v.dev(), null, TABLE_LOCAL, null, SCOPE_HOST,
                TYPE_LOCAL, true, false, null);
    }

    private void checkStopped() {
        if (stopping && groups.values().stream().allMatch(g -> g.state() == AnnounceState.STOPPED)) {
            stopped.complete(null);
        }
    }

    /** One timer for the earliest deadline of all groups. */
    private void rearm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        long now = clock.nanoTime();
        long earliest = Long.MAX_VALUE;
        for (AnnounceGroup g : groups.values()) {
            long d = g.nextDeadline();
            if (d != Long.MAX_VALUE && (earliest == Long.MAX_VALUE || d - earliest < 0)) {
                earliest = d;
            }
        }
        if (earliest != Long.MAX_VALUE) {
            timer = thread.schedule(this::fireDue, Math.max(0, earliest - now), TimeUnit.NANOSECONDS);
        }
    }

    private void fireDue() {
        long now = clock.nanoTime();
        for (AnnounceGroup g : List.copyOf(groups.values())) {
            long d = g.nextDeadline();
            if (d != Long.MAX_VALUE && d - now <= 0) {
                step(g, new AnnounceEvent.TimerFired());
            }
        }
        rearm();
    }

    private void publish() {
        List<AnnounceStatus> out = new ArrayList<>();
        for (AnnounceGroup g : groups.values()) {
            out.add(new AnnounceStatus(g.name(), g.config().iface(),
                    g.config().vips().stream().map(v -> v.address().getHostAddress() + "/" + v.prefix()).toList(),
                    g.state().name(), g.state().announced(), g.cause(), g.reason(),
                    epochOffsetMs + TimeUnit.NANOSECONDS.toMillis(g.sinceNanos()), g.announcements(),
                    g.withdrawals(), holdFailures.getOrDefault(g.name(), 0)));
        }
        statuses = List.copyOf(out);
    }

    /** Stops the thread without releasing anything (a stop that should release goes through {@link #stop}). */
    @Override
    public void close() {
        thread.shutdownNow();
        if (heartbeat != null) {
            heartbeat.ended();
        }
    }
}
