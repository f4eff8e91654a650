package io.nginxha.agent;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.ConfigException;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.net.PacketTransport;
import io.nginxha.agent.net.VipManager;
import io.nginxha.agent.status.AgentStatus;
import io.nginxha.agent.status.InstanceCounters;
import io.nginxha.agent.vrrp.Action;
import io.nginxha.agent.vrrp.DropReason;
import io.nginxha.agent.vrrp.Event;
import io.nginxha.agent.vrrp.Instance;
import io.nginxha.agent.vrrp.VrrpState;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 * at the edge ({@link ActionRunner}). A failing action is logged and the loop goes on.
 */
public final class Agent {
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
    private final VipManager vips;
    private final Clock clock;
    private final BlockingQueue<Input> inputs = new LinkedBlockingQueue<>();
    private final Transports transports;
    private final Map<String, Slot> byName = new LinkedHashMap<>();
    private final AdvertIntake intake;
    private final long startedEpochMs = System.currentTimeMillis();
    private final Map<String, VrrpState> states = new ConcurrentHashMap<>();
    private final TaskQueue scheduled = new TaskQueue();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ActionRunner actions;
    private final SystemdNotifier systemd = SystemdNotifier.fromEnvironment();
    private final List<ReloadListener> reloadListeners = new CopyOnWriteArrayList<>();
    private long lastNow = Long.MIN_VALUE;
    private boolean stopping;

    /** One instance with what the loop needs beside it. */
    static final class Slot {
        /** Swapped by a reload that keeps the instance (tracking or notify settings changed). */
        InstanceConfig config;
        final Instance instance;
        final PacketTransport transport;
        /** Bumped when leaving MASTER, so GARPs still scheduled from that mastership are not sent. */
        long garpGeneration;
        final InstanceCounters counters = new InstanceCounters();
        /** Whether our VIPs are on the interface, as far as the last Add/RemoveVips knows. */
        boolean vipsHeld;

        Slot(InstanceConfig config, Instance instance, PacketTransport transport) {
            this.config = config;
            this.instance = instance;
            this.transport = transport;
        }
    }


    public Agent(AgentConfig config, TransportFactory transportFactory, VipManager vips, Clock clock) {
        this.config = config;
        this.transports = new Transports(transportFactory,
                (index, p) -> inputs.add(new Input.Packet(index, p, clock.nanoTime())));
        this.vips = vips;
        this.clock = clock;
        this.intake = new AdvertIntake(transports, this::step);
        this.actions = new ActionRunner(vips, this::schedule, intake::count, states);
    }

    /** Starts, then runs the loop until a shutdown request has been handled. Returns the exit status. */
    public int run() throws IOException {
        try {
            start();
            systemd.ready(byName.size());
            while (!stopping) {
                runOnce();
                systemd.loopAlive();
            }
            return 0;
        } finally {
            stopped.countDown(); // also when start-up failed, so the shutdown hook does not wait in vain
        }
    }

    /**
     * Removes VIPs a killed agent left behind, opens the transports, creates the instances and steps
     * them into the election. Throws if an interface cannot be opened (nothing is left open then).
     */
    void start() throws IOException {
        actions.removeLeftoverVips(config.instances());
        try {
            for (InstanceConfig ic : config.instances()) {
                PacketTransport t = transports.get(transports.indexFor(ic));
                byName.put(ic.name(), new Slot(ic, new Instance(ic, t.sourceAddress()), t));
            }
        } catch (IOException | RuntimeException e) {
            transports.closeAll();
            throw e;
        }
        transports.reindex(byName.values());
        long now = now(clock.nanoTime());
        for (Slot slot : byName.values()) {
            states.put(slot.config.name(), slot.instance.state());
            step(slot, new Event.Startup(), now);
        }
        log.info("started {} VRRP instance(s): {}", byName.size(), String.join(", ", byName.keySet()));
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
        for (Slot slot : byName.values()) {
            earliest = earlier(earliest, slot.instance.nextDeadline());
        }
        long task = scheduled.nextDeadline();
        return task == Long.MAX_VALUE ? earliest : earlier(earliest, task);
    }

    private static long earlier(long a, long b) {
        if (a == Long.MAX_VALUE) {
            return b;
        }
        return b == Long.MAX_VALUE || a - b < 0 ? a : b;
    }

    private void fireDue(long now) {
        for (Slot slot : byName.values()) {
            // A correct instance moves its deadline on; the bound only stops a buggy one from spinning the loop.
            for (int i = 0; i < 8; i++) {
                long d = slot.instance.nextDeadline();
                if (d == Long.MAX_VALUE || d - now > 0) {
                    break;
                }
                step(slot, new Event.TimerFired(), now);
            }
        }
        scheduled.runDue(now);
    }

    private void handle(Input in) {
        long now = now(in.atNanos());
        if (in instanceof Input.Packet p) {
            intake.received(p, now);
        } else if (in instanceof Input.ForInstance f) {
            Slot slot = byName.get(f.instance());
            if (slot == null) {
                log.warn("event {} for unknown instance {}", f.event(), f.instance());
            } else {
                step(slot, f.event(), now);
            }
        } else if (in instanceof Input.Snapshot q) {
            q.reply().complete(snapshot(now));
        } else if (in instanceof Input.Reload r && !stopping) { // a reload queued behind SIGTERM is moot
            reload(r.config(), now);
        } else if (in instanceof Input.Stop) {
            shutdown(now);
        }
    }

    private void reload(AgentConfig next, long now) {
        Set<String> fresh = Reloader.apply(this, next, now);
        if (fresh == null) {
            return;
        }
        for (ReloadListener l : reloadListeners) {
            try {
                l.reloaded(next, fresh);
            } catch (RuntimeException e) {
                log.error("reload: applying it to {} failed", l, e);
            }
        }
    }

    private AgentStatus snapshot(long now) {
        return StatusSnapshots.of(byName.values(), config.global().routerId(), startedEpochMs, intake.unattributed(), now);
    }

    // ---- used by Reloader, on the loop's thread ----

    Map<String, Slot> slotsByName() {
        return byName;
    }

    PacketTransport transport(int index) {
        return transports.get(index);
    }

    /** The index of the transport an instance uses, opening and starting one when none has its key yet. */
    int transportFor(InstanceConfig ic) throws IOException {
        return transports.indexFor(ic);
    }

    /** Rebuilds the per-transport VRID maps from the current slots. */
    void reindex() {
        transports.reindex(byName.values());
        states.keySet().retainAll(byName.keySet());
    }

    void replaceConfig(AgentConfig next) {
        config = next;
    }

    void startInstance(Slot slot, Event event, long now) {
        states.put(slot.config.name(), slot.instance.state());
        step(slot, event, now);
    }

    VipManager vips() {
        return vips;
    }

    private void shutdown(long now) {
        if (stopping) {
            return;
        }
        log.info("stopping: resigning mastership and removing virtual addresses");
        systemd.stopping();
        for (Slot slot : byName.values()) {
            step(slot, new Event.Shutdown(), now);
        }
        stopping = true;
        scheduled.clear();
        transports.closeAll();
        stopped.countDown();
    }

    void step(Slot slot, Event event, long now) {
        List<Action> out;
        try {
            out = slot.instance.step(event, now);
        } catch (RuntimeException e) {
            log.error("{}: the state machine failed on {}", slot.config.name(), event, e);
            return;
        }
        for (Action action : out) {
            actions.execute(slot, action, now);
        }
    }

    private void schedule(long atNanos, Runnable task) {
        scheduled.at(atNanos, task);
    }

    /** Time never goes backwards for an instance, even when an input stamped earlier is handled late. */
    private long now(long candidate) {
        if (lastNow == Long.MIN_VALUE || candidate - lastNow > 0) {
            lastNow = candidate;
        }
        return lastNow;
    }

    // ---- thread-safe entry points for other threads ----

    /** Asks the loop to stop (SIGTERM); {@link #awaitStopped} waits for the resignation to be done. */
    public void requestShutdown() {
        inputs.add(new Input.Stop(clock.nanoTime()));
    }

    /** Where {@link #requestReload} reads the config; without one, SIGHUP is logged and ignored. */
    public void reloadFrom(ConfigSource source) {
        this.configSource = source;
    }

    /** SIGHUP: reads and validates the config on the calling thread ({@link Reloader#load}), then queues it. */
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
        return intake.totals();
    }

    /** The state of each instance as of its last transition. */
    public Map<String, VrrpState> states() {
        return Map.copyOf(states);
    }
}
