package io.nginxha.agent.runtime;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.ConfigException;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.net.PacketTransport;
import io.nginxha.agent.net.VipManager;
import io.nginxha.agent.os.Liveness;
import io.nginxha.agent.os.Signals;
import io.nginxha.agent.os.SystemdNotifier;
import io.nginxha.agent.status.AgentStatus;
import io.nginxha.agent.vrrp.Action;
import io.nginxha.agent.vrrp.DropReason;
import io.nginxha.agent.vrrp.Event;
import io.nginxha.agent.vrrp.VrrpState;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's one event loop. Other threads (packet capture, signals, later the checks) only put
 * {@link Input}s on a queue; this loop alone touches the {@link Instance}s, so the core needs no locks.
 * Each pass waits for an input or the earliest deadline, feeds the instances and executes their actions
 * at the edge ({@link ActionRunner}). A failing action is logged and the loop goes on. The loop is the one caller
 * of everything it serves: the intake returns what it routed, the reload plan is pure, and this class carries both
 * out; {@link Routers} owns the table of running routers.
 */
public final class Agent implements Signals.Target {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Where SIGHUP reads the config again; the file given on the command line in production. */
    @FunctionalInterface
    public interface ConfigSource {
        AgentConfig load() throws ConfigException;
    }

    /** Opens the packet transport for an interface; {@code PcapTransport::open} in production. */
    @FunctionalInterface
    public interface TransportFactory {
        PacketTransport open(String iface, InetAddress unicastSource, List<InetAddress> unicastPeers)
                throws IOException;
    }

    /** Told of each state change on the loop's thread; must return quickly (notifications queue their work). */
    @FunctionalInterface
    public interface TransitionListener {
        void changed(InstanceConfig instance, VrrpState from, VrrpState to, int effectivePriority, String reason);
    }

    /**
     * Told on the loop's thread after a reload was applied, with the instances it made anew (the others kept
     * running); the trackers and the notifier apply their part of the new config here.
     */
    @FunctionalInterface
    public interface ReloadListener {
        void reloaded(AgentConfig next, Set<String> freshInstances);
    }

    private AgentConfig config;
    private volatile ConfigSource configSource;
    private final Clock clock;
    private final BlockingQueue<Input> inputs = new LinkedBlockingQueue<>();
    private final Routers routers;
    private final DropCounters drops = new DropCounters();
    private final PacketGate gate = new PacketGate();
    private final AdvertIntake intake;
    private final long startedEpochMs = System.currentTimeMillis();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Liveness liveness;
    /** Why the watchdog is no longer fed, null while it is. */
    private String starved;
    private final ActionRunner actions;
    private final VipManager vips;
    private final SystemdNotifier systemd = SystemdNotifier.fromEnvironment();
    private final List<ReloadListener> reloadListeners = new CopyOnWriteArrayList<>();
    private long lastNow = Long.MIN_VALUE;
    private boolean stopping;

    public Agent(AgentConfig config, TransportFactory transportFactory, VipManager vips, Clock clock) {
        this(config, transportFactory, vips, clock, new Liveness(clock::nanoTime));
    }

    /** {@code liveness}: the threads besides the loop's that the agent relies on; the watchdog is fed only while all live. */
    public Agent(AgentConfig config, TransportFactory transportFactory, VipManager vips, Clock clock,
                 Liveness liveness) {
        this(config, transportFactory, vips, io.nginxha.agent.net.RouteManager.NONE, clock, liveness);
    }

    /** With the manager of virtual and static routes and rules. */
    public Agent(AgentConfig config, TransportFactory transportFactory, VipManager vips,
                 io.nginxha.agent.net.RouteManager routes, Clock clock) {
        this(config, transportFactory, vips, routes, clock, new Liveness(clock::nanoTime));
    }

    public Agent(AgentConfig config, TransportFactory transportFactory, VipManager vips,
                 io.nginxha.agent.net.RouteManager routes, Clock clock, Liveness liveness) {
        this.liveness = liveness;
        this.config = config;
        this.vips = vips;
        this.routers = new Routers(transportFactory,
                (index, p) -> offer(index, p));
        this.clock = clock;
        this.intake = new AdvertIntake(routers, drops);
        this.actions = new ActionRunner(vips, routes, drops);
    }

    /** Starts, then runs the loop until a shutdown request has been handled. Returns the exit status. */
    public int run() throws IOException {
        try {
            start();
            systemd.ready(routers.all().size());
            while (!stopping) {
                runOnce();
                feedWatchdog();
            }
            return 0;
        } finally {
            stopped.countDown(); // also when start-up failed, so the shutdown hook does not wait in vain
        }
    }

    /**
     * Looks at the VIPs a killed agent left behind (continuing as master where all are there), opens the
     * transports, creates the instances and steps them into the election. Throws if an interface cannot be opened (nothing is left open then).
     */
    void start() throws IOException {
        Set<String> wereMaster = actions.adoptLeftoverVips(config.instances());
        actions.routing().removeLeftoverRules(config.instances());
        // static addresses, routes and rules before the instances, as keepalived (whatever their state)
        actions.routing().addStatic(config.statics(), vips);
        try {
            for (InstanceConfig ic : config.instances()) {
                routers.add(routers.create(ic, routers.transportFor(ic)));
            }
        } catch (IOException | RuntimeException e) {
            routers.closeAll();
            throw e;
        }
        long now = now(clock.nanoTime());
        for (Router router : routers.all()) {
            step(router, wereMaster.contains(router.name())
                    ? new Event.Resume(true, "its VIPs were still on the interface: continuing as master")
                    : new Event.Startup(), now);
        }
        log.info("started {} VRRP instance(s): {}", routers.all().size(),
                String.join(", ", routers.all().stream().map(Router::name).toList()));
    }

    /** One pass: wait for an input or the earliest deadline, handle what is there, fire due timers. */
    void runOnce() {
        long now = clock.nanoTime();
        long deadline = earliestDeadline();
        long wait = deadline == Long.MAX_VALUE ? MAX_WAIT_NANOS : Math.min(MAX_WAIT_NANOS, deadline - now);
        try {
            Input first = wait <= 0 ? inputs.poll() : inputs.poll(wait, TimeUnit.NANOSECONDS);
            if (first != null) {
                List<Input> batch = new ArrayList<>();
                batch.add(first);
                inputs.drainTo(batch);
                for (Input in : batch) {
                    handle(in);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handle(new Input.Stop(clock.nanoTime()));
        }
        if (!stopping) {
            fireDue(now(clock.nanoTime()));
        }
    }

    private long earliestDeadline() {
        long earliest = Long.MAX_VALUE;
        for (Router router : routers.all()) {
            earliest = earlier(earliest, router.instance().nextDeadline());
        }
        long task = actions.nextDeadline();
        return task == Long.MAX_VALUE ? earliest : earlier(earliest, task);
    }

    private static long earlier(long a, long b) {
        if (a == Long.MAX_VALUE) {
            return b;
        }
        return b == Long.MAX_VALUE || a - b < 0 ? a : b;
    }

    private void fireDue(long now) {
        for (Router router : routers.all()) {
            // A correct instance moves its deadline on; the bound only stops a buggy one from spinning the loop.
            for (int i = 0; i < 8; i++) {
                long d = router.instance().nextDeadline();
                if (d == Long.MAX_VALUE || d - now > 0) {
                    break;
                }
                step(router, new Event.TimerFired(), now);
            }
        }
        actions.runDue(now);
        applyVerdicts(now);
    }

    private void handle(Input in) {
        long now = now(in.atNanos());
        if (in instanceof Input.Packet p) {
            gate.taken();
            AdvertIntake.Delivery d = intake.route(p);
            if (d != null) {
                step(d.router(), d.event(), now);
            }
        } else if (in instanceof Input.ForInstance f) {
            Router router = routers.get(f.instance());
            if (router == null) {
                log.warn("event {} for unknown instance {}", f.event(), f.instance());
            } else if (f.event() instanceof Event.FaultChanged fault) {
                // The trackers' verdict is one source of fault among others: merged before the core hears it.
                stepIfAny(router, router.faults().set(FaultSources.Source.TRACKING, fault.faulty(), fault.reason()),
                        now);
            } else {
                step(router, f.event(), now);
            }
        } else if (in instanceof Input.Snapshot q) {
            q.reply().complete(snapshot(now));
        } else if (in instanceof Input.Reload r) {
            if (!stopping) { // a reload queued behind SIGTERM is moot
                reload(r.config(), now);
            }
        } else if (in instanceof Input.Stop) {
            shutdown(now);
        } else {
            throw new AssertionError("no handler for input " + in);
        }
    }

    /**
     * Carries out the reload plan on the loop's thread. Interfaces are opened first, so a failure there leaves the
     * old config running untouched; VIPs are only removed when no instance that holds its VIPs after the reload
     * has them. The listeners are told of the instances made anew, also when there are none.
     */
    private void reload(AgentConfig next, long now) {
        Map<String, Reloader.Known> running = new LinkedHashMap<>();
        for (Router r : routers.all()) {
            running.put(r.name(), known(r));
        }
        Reloader.Plan plan = Reloader.plan(running, next);
        Map<String, Integer> transportOf = new HashMap<>();
        try {
            for (InstanceConfig ic : plan.started()) {
                transportOf.put(ic.name(), routers.transportFor(ic));
            }
        } catch (IOException | RuntimeException e) {
            log.error("reload rejected, the running config stays: cannot open an interface: {}", e.toString());
            return;
        }
        for (InstanceConfig ic : next.instances()) {
            if (plan.kept().contains(ic.name())) {
                Router kept = routers.get(ic.name());
                actions.routing().reconfigured(kept.config(), ic, kept.vipsHeld());
                kept.reconfigure(ic); // the same virtual router; tracking, notify or routes may differ
            }
        }
        actions.routing().apply("static", Routing.change(config.statics().routing(), next.statics().routing()));
        config = next;
        if (plan.started().isEmpty() && plan.retired().isEmpty()) {
            log.info("reload: no instance changed");
            tellReloaded(next, Set.of());
            return;
        }
        List<Reloader.Known> heldBefore = new ArrayList<>();
        for (String name : plan.retired()) {
            Router old = routers.remove(name);
            old.retired();
            if (old.vipsHeld()) {
                heldBefore.add(known(old));
            }
            if (plan.resign().contains(name)) {
                actions.resign(old);
            }
        }
        Set<String> fresh = new LinkedHashSet<>();
        for (InstanceConfig ic : plan.started()) {
            routers.add(routers.create(ic, transportOf.get(ic.name())));
            fresh.add(ic.name());
        }
        for (String name : fresh) {
            step(routers.get(name), new Event.Resume(plan.resumeAsMaster().contains(name)), now);
        }
        List<Reloader.Known> heldAfter = routers.all().stream().filter(Router::vipsHeld).map(Agent::known).toList();
        actions.routing().retired(heldBefore.stream().map(Reloader.Known::config).toList(),
                heldAfter.stream().map(Reloader.Known::config).toList());
        for (Reloader.Vip vip : Reloader.orphanedVips(heldBefore, heldAfter)) {
            log.info("reload: removing {} from {}, no longer held by a master instance",
                    vip.address().address().getHostAddress(), vip.dev());
            actions.removeVip(vip.dev(), vip.address());
        }
        log.info("reload: {} unchanged, {} retired {}, {} started {} (continuing as master: {})", plan.kept().size(),
                plan.retired().size(), plan.retired(), plan.started().size(), fresh, plan.resumeAsMaster());
        tellReloaded(next, Set.copyOf(fresh));
    }

    private static Reloader.Known known(Router r) {
        return new Reloader.Known(r.config(), r.instance().state(), r.vipsHeld());
    }

    private void tellReloaded(AgentConfig next, Set<String> fresh) {
        for (ReloadListener l : reloadListeners) {
            try {
                l.reloaded(next, fresh);
            } catch (RuntimeException e) {
                log.error("reload: applying it to {} failed", l, e);
            }
        }
    }

    private AgentStatus snapshot(long now) {
        return StatusSnapshots.of(routers.all(), config.global().routerId(), startedEpochMs, drops.unattributed(),
                now);
    }

    /** The routers by name, as the loop sees them (tests compare identities across a reload). */
    Map<String, Router> routersByName() {
        Map<String, Router> out = new LinkedHashMap<>();
        routers.all().forEach(r -> out.put(r.name(), r));
        return out;
    }

    private void shutdown(long now) {
        if (stopping) {
            return;
        }
        log.info("stopping: resigning mastership and removing virtual addresses");
        systemd.stopping();
        for (Router router : routers.all()) {
            step(router, new Event.Shutdown(), now);
        }
        actions.routing().removeStatic(config.statics(), vips); // after the instances let go, as keepalived
        stopping = true;
        actions.cancelScheduled();
        routers.closeAll();
        stopped.countDown();
    }

    /**
     * Tells systemd the agent is alive, only while every thread it relies on is: the loop being fine is not enough
     * when it can no longer hear the wire or learn a check's result. systemd restarts an agent that stops saying so.
     */
    private void feedWatchdog() {
        Optional<String> stalled = liveness.stalled();
        if (stalled.isEmpty()) {
            if (starved != null) {
                log.info("watchdog: fed again ({} recovered)", starved);
                starved = null;
            }
            systemd.loopAlive();
        } else if (!stalled.get().equals(starved)) {
            starved = stalled.get();
            log.error("watchdog: no longer fed, so systemd restarts the agent: {}", starved);
        }
    }

    /** Why the watchdog was last not fed, or null (tests: {@link #runOnce} does not feed it; {@link #run} does). */
    String checkWatchdog() {
        feedWatchdog();
        return starved;
    }

    private void step(Router router, Event event, long now) {
        List<Action> out;
        try {
            out = router.step(event, now);
        } catch (RuntimeException e) {
            log.error("{}: the state machine failed on {}", router.name(), event, e);
            return;
        }
        for (Action action : out) {
            actions.execute(router, action, now);
        }
        applyVerdicts(now);
    }

    private void stepIfAny(Router router, Event event, long now) {
        if (event != null) {
            step(router, event, now);
        }
    }

    /** What the edge found out about the routers' VIPs; a router a reload retired meanwhile is not stepped. */
    private void applyVerdicts(long now) {
        for (ActionRunner.VipFault v : actions.takeVerdicts()) {
            if (routers.get(v.router().name()) == v.router()) {
                stepIfAny(v.router(), v.router().faults().set(FaultSources.Source.VIPS, v.faulty(), v.reason()), now);
            }
        }
    }

    /** Time never goes backwards for an instance, even when an input stamped earlier is handled late. */
    private long now(long candidate) {
        if (lastNow == Long.MIN_VALUE || candidate - lastNow > 0) {
            lastNow = candidate;
        }
        return lastNow;
    }

    // ---- thread-safe entry points for other threads ----

    /** On a capture thread: queues a packet unless a bound of the gate turns it away (counted as an overload). */
    private void offer(int transport, PacketTransport.ReceivedPacket packet) {
        long now = clock.nanoTime();
        if (gate.admit(packet.source(), now)) {
            inputs.add(new Input.Packet(transport, packet, now));
        } else {
            drops.count(DropReason.OVERLOAD, "from " + packet.source().getHostAddress());
        }
    }

    /** Asks the loop to stop (SIGTERM); {@link #awaitStopped} waits for the resignation to be done. */
    @Override
    public void requestShutdown() {
        inputs.add(new Input.Stop(clock.nanoTime()));
    }

    /** Where {@link #requestReload} reads the config; without one, SIGHUP is logged and ignored. */
    public void reloadFrom(ConfigSource source) {
        this.configSource = source;
    }

    /** SIGHUP: reads and validates the config on the calling thread ({@link Reloader#load}), then queues it. */
    @Override
    public void requestReload() {
        AgentConfig next = Reloader.load(configSource);
        if (next != null) {
            inputs.add(new Input.Reload(next, clock.nanoTime()));
        }
    }

    /** The seam for the check package: hands a PriorityChanged or FaultChanged event to one instance. */
    public void inject(String instanceName, Event event) {
        inputs.add(new Input.ForInstance(instanceName, event, clock.nanoTime()));
    }

    /** Adds a listener for state changes (the notifier); call before {@link #run}. */
    public void addTransitionListener(TransitionListener listener) {
        actions.addTransitionListener(listener);
    }

    /** Adds a listener told after each applied reload; call before {@link #run}. */
    public void addReloadListener(ReloadListener listener) {
        reloadListeners.add(listener);
    }

    @Override
    public boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }

    /** A copy of every instance's state, made on the loop; completes within one pass of it. */
    public CompletableFuture<AgentStatus> snapshot() {
        CompletableFuture<AgentStatus> reply = new CompletableFuture<>();
        inputs.add(new Input.Snapshot(reply, clock.nanoTime()));
        return reply;
    }

    /** Dropped adverts by reason, since start. */
    public Map<DropReason, Long> dropCounts() {
        return drops.totals();
    }

    /** The state of each instance as of its last transition. */
    public Map<String, VrrpState> states() {
        return routers.states();
    }
}
