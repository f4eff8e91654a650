package io.nginxha.agent.runtime;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.net.PacketTransport;
import io.nginxha.agent.net.VipManager;
import io.nginxha.agent.net.VmacManager;
import io.nginxha.agent.os.Liveness;
import io.nginxha.agent.os.Signals;
import io.nginxha.agent.status.AgentStatus;
import io.nginxha.agent.vrrp.Action;
import io.nginxha.agent.vrrp.DropReason;
import io.nginxha.agent.vrrp.Event;
import io.nginxha.agent.vrrp.VrrpState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Event TIMER_FIRED = new Event.TimerFired(); // a value without fields: one for every firing

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
    private final Watchdog watchdog;
    private final ActionRunner actions;
    private final List<ReloadListener> reloadListeners = new CopyOnWriteArrayList<>();
    private final SyncGroups syncGroups = new SyncGroups();
    private final List<Input> batch = new ArrayList<>();
    private final Stepper stepper;
    private final LoopLag lag = new LoopLag();
    private Runnable started = () -> { };
    private long lastNow = Long.MIN_VALUE;
    private boolean stopping;

    public Agent(AgentConfig config, TransportFactory transportFactory, VipManager vips, Clock clock) {
        this(config, transportFactory, vips, VmacManager.NONE, clock);
    }

    /** With {@code vmacs} making the macvlans of the use_vmac instances. */
    public Agent(AgentConfig config, TransportFactory transportFactory, VipManager vips, VmacManager vmacs,
                 Clock clock) {
        this(config, transportFactory, vips, vmacs, clock, new Liveness(clock::nanoTime));
    }

    /** {@code liveness}: the threads besides the loop's that the agent relies on; the watchdog is fed only while all live. */
    public Agent(AgentConfig config, TransportFactory transportFactory, VipManager vips, VmacManager vmacs,
                 Clock clock, Liveness liveness) {
        this(config, transportFactory, vips, vmacs, io.nginxha.agent.net.RouteManager.NONE, clock, liveness);
    }

    /** With {@code routes} installing the virtual and static routes and rules. */
    public Agent(AgentConfig config, TransportFactory transportFactory, VipManager vips, VmacManager vmacs,
                 io.nginxha.agent.net.RouteManager routes, Clock clock, Liveness liveness) {
        this.watchdog = new Watchdog(liveness);
        this.config = config;
        this.routers = new Routers(transportFactory,
                (index, p) -> offer(index, p), vmacs);
        this.clock = clock;
        this.intake = new AdvertIntake(routers, drops);
        this.actions = new ActionRunner(vips, routes, drops);
        this.stepper = new Stepper(routers, actions, syncGroups);
    }

    /**
     * Where the drop rules of instances without accept mode go (nftables in production); call before {@link #run}.
     * Without it such an instance cannot hold its VIPs (its adds fail, then it goes to FAULT).
     */
    public void useFirewall(io.nginxha.agent.net.Firewall firewall) {
        actions.acceptMode().edge(firewall);
    }

    /** Starts, then runs the loop until a shutdown request has been handled. Returns the exit status. */
    public int run() throws IOException {
        try {
            start();
            started.run();
            watchdog.ready(routers.all().size());
            while (!stopping) {
                runOnce();
                watchdog.loopPassed();
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
        actions.acceptMode().start(config.global().firewall(), config.instances());
        actions.routing().starting(config); // before the instances, as keepalived
        try {
            for (InstanceConfig ic : config.instances()) {
                routers.add(routers.create(ic, routers.transportFor(ic), SyncGroups.groupOf(config, ic.name())));
            }
        } catch (IOException | RuntimeException e) {
            routers.closeAll();
            throw e;
        }
        long now = now(clock.nanoTime());
        actions.promoteSecondaries().sync(config.instances()); // before the VIPs go on, as keepalived
        syncGroups.configure(config, routers, now);
        for (Router router : routers.all()) {
            stepper.step(router, wereMaster.contains(router.name())
                    ? new Event.Resume(true, "its VIPs were still on the interface: continuing as master")
                    : Event.Startup.delayed(config.global().startupDelayMs(), now), now);
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
                batch.add(first);
                inputs.drainTo(batch);
                for (int i = 0; i < batch.size(); i++) { // no iterator: this is the advert path
                    lag.record(clock.nanoTime() - batch.get(i).atNanos());
                    handle(batch.get(i));
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handle(new Input.Stop(clock.nanoTime()));
        }
        if (!stopping) {
            long t = clock.nanoTime();
            if (deadline != Long.MAX_VALUE && t - deadline >= 0) {
                lag.record(t - deadline);
            }
            fireDue(now(t));
        }
    }

    long earliestDeadline() {
        long earliest = Long.MAX_VALUE;
        List<Router> all = routers.list(); // indexed loops here and below: no iterator on the advert path
        for (int i = 0; i < all.size(); i++) {
            earliest = earlier(earliest, all.get(i).instance().nextDeadline());
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
        List<Router> all = routers.list();
        for (int r = 0; r < all.size(); r++) {
            Router router = all.get(r);
            // A correct instance moves its deadline on; the bound only stops a buggy one from spinning the loop.
            for (int i = 0; i < 8; i++) {
                long d = router.instance().nextDeadline();
                if (d == Long.MAX_VALUE || d - now > 0) {
                    break;
                }
                stepper.step(router, TIMER_FIRED, now);
            }
        }
        actions.runDue(now);
        stepper.applyVerdicts(now);
    }

    private void handle(Input in) {
        long now = now(in.atNanos());
        if (in instanceof Input.Packet p) {
            gate.taken();
            AdvertIntake.Delivery d = intake.route(p);
            if (d != null) {
                stepper.step(d.router(), d.event(), now);
            }
        } else if (in instanceof Input.ForInstance f) {
            Router router = routers.get(f.instance());
            if (router == null) {
                log.warn("event {} for unknown instance {}", f.event(), f.instance());
            } else if (f.event() instanceof Event.FaultChanged fault) {
                // The trackers' verdict is one source of fault among others: merged before the core hears it.
                stepper.stepIfAny(router, router.faults().set(FaultSources.Source.TRACKING, fault.faulty(), fault.reason()),
                        now);
            } else {
                stepper.step(router, f.event(), now);
            }
        } else if (in instanceof Input.ForEveryInstance e) {
            routers.all().forEach(r -> stepper.step(r, e.event(), now));
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
     * Carries out the reload plan on the loop's thread ({@link ReloadRun}: interfaces first, so a failure leaves
     * the old config running untouched). The listeners are told of the instances made anew, also when none were.
     */
    private void reload(AgentConfig next, long now) {
        ReloadRun run;
        try {
            run = ReloadRun.begin(routers, actions, next);
        } catch (IOException | RuntimeException e) {
            log.error("reload rejected, the running config stays: cannot open an interface: {}", e.toString());
            return;
        }
        actions.routing().apply("static", Routing.change(config.statics().routing(), next.statics().routing()));
        config = next;
        syncGroups.configure(next, routers, now); // members may have changed; else only the groups' notify settings
        actions.promoteSecondaries().sync(next.instances()); // before new instances add VIPs
        for (ReloadRun.Start start : run.starts()) {
            stepper.step(start.router(), start.event(), now);
        }
        run.finish();
        actions.acceptMode().reloaded(next.global().firewall(),
                routers.all().stream().filter(Router::vipsHeld).map(Router::config).toList());
        tellReloaded(next, run.fresh());
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
        return StatusSnapshots.of(routers.all(), syncGroups::groupOf, config.global().routerId(), startedEpochMs, drops.unattributed(),
                lag.snapshot(), now);
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
        watchdog.stopping();
        for (Router router : routers.all()) {
            stepper.step(router, new Event.Shutdown(), now);
        }
        actions.routing().removeStatic(config.statics()); // after the instances let go, as keepalived
        actions.acceptMode().close();
        actions.promoteSecondaries().sync(List.of());
        stopping = true;
        actions.cancelScheduled();
        routers.closeAll();
        stopped.countDown();
    }

    /** Why the watchdog was not fed after this pass, or null (tests: {@link #runOnce} alone does not feed it). */
    String checkWatchdog() {
        return watchdog.loopPassed();
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

    /**
     * The edge of keepalived's VIP tracking ({@code AddressMonitor}): someone removed {@code address} from
     * {@code iface}; each instance's core decides whether it was its VIP (Event.VipRemoved).
     */
    public void addressRemoved(String iface, java.net.InetAddress address, int prefix) {
        inputs.add(new Input.ForEveryInstance(new Event.VipRemoved(iface, address, prefix), clock.nanoTime()));
    }

    /** Adds a listener for state changes (the notifier); call before {@link #run}. */
    public void addTransitionListener(TransitionListener listener) {
        actions.addTransitionListener(listener);
    }

    /** Adds a listener for sync group state changes (the notifier's group scripts); call before {@link #run}. */
    public void addSyncGroupListener(SyncGroupListener listener) {
        syncGroups.addListener(listener::changed);
    }

    /** Run on the loop's thread once the instances have started, before the first pass; call before {@link #run}. */
    public void whenStarted(Runnable r) {
        this.started = r;
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
