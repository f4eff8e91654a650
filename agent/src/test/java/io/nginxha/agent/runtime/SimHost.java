package io.nginxha.agent.runtime;

import io.nginxha.agent.check.SimChecks;
import io.nginxha.agent.check.Trackers;
import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.ConfigException;
import io.nginxha.agent.config.ConfigLoader;
import io.nginxha.agent.net.PacketTransport;
import io.nginxha.agent.net.RouteManager;
import io.nginxha.agent.net.VmacManager;
import io.nginxha.agent.notify.Notifier;
import io.nginxha.agent.notify.SimNotifier;
import io.nginxha.agent.os.Liveness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One simulated host: the real {@link Agent} (its loop, reload, action runner, intake and gate, watchdog), the real
 * {@link Trackers} with simulated children, over a fake kernel (the VIPs on eth0; a netlink that can refuse, throw
 * or hang), a fake capture (that can fail or die) and its own clock origin. The loop runs one pass whenever the real
 * loop would wake: an input queued, a deadline due, or a second without either. systemd is modelled too: an agent
 * that has not fed the watchdog for {@link #WATCHDOG_SEC} is killed and started again {@link #RESTART_SEC} later.
 */
final class SimHost {
    static final long WATCHDOG_SEC = 10; // vrrp-agent.service
    static final long RESTART_SEC = 2;
    /** PcapTransport.MAX_TROUBLE_MS: how long a failing capture may fail before the agent counts as deaf. */
    static final long CAPTURE_TROUBLE_NANOS = 6_000 * SimWorld.MS;
    /** The bound checked: an agent that can work feeds the watchdog at least once a second. */
    static final long MAX_FEED_GAP = SimWorld.SECOND;

    enum Capture { ALIVE, FAILING, DEAD }

    final SimWorld world;
    final int index;
    final String name;
    final InetAddress address;
    final long clockOffset;
    final Path file;
    /** The config file as it is meant to be (a bad or half-written one is put back right after its SIGHUP). */
    String text;
    /** The VIPs on eth0 and the netlink that changes them. */
    final SimKernel kernel = new SimKernel(this);
    boolean sendFails;
    Capture capture = Capture.ALIVE;
    long captureSince;
    /** The vrrp_script's children and the tracker's thread. */
    final SimChildren children = new SimChildren(this);

    boolean running;
    boolean powered = true;
    int life;
    Agent agent;
    Trackers trackers;
    Liveness liveness;
    Notifier notifier;
    /** Whether the agent's process lives (an orderly stop ends it only once the notifier has drained). */
    boolean process;
    /** Whether the last SIGHUP's file was read and accepted (a half-written one must not be). */
    boolean lastReloadAccepted;
    private SimTransport transport;
    long stuckUntil = Long.MIN_VALUE;
    long lastFed;
    /** Feeding is not expected before this (the loop was stuck, the capture failed, the agent just started). */
    long excusedUntil;
    private long wakeAt = Long.MAX_VALUE;
    private long wakeToken;
    final List<String> violations = new ArrayList<>();
    /** Consumer of each finished pass (the test's per-pass invariants). */
    Consumer<SimHost> afterPass = h -> { };
    long restarts;

    SimHost(SimWorld world, int index, String name, InetAddress address, long clockOffset, Path file, String text) {
        this.world = world;
        this.index = index;
        this.name = name;
        this.address = address;
        this.clockOffset = clockOffset;
        this.file = file;
        this.text = text;
    }

    long clock() {
        return world.now() + clockOffset;
    }

    // ---- lifecycle ----

    /** systemd starts the agent: the config as the file has it, the kernel as it is. */
    void start() {
        world.current = this;
        life++;
        write(text);
        AgentConfig config;
        try {
            config = ConfigLoader.load(file);
        } catch (ConfigException e) {
            throw new AssertionError(name + ": the good config does not load: " + e.problems(), e);
        }
        liveness = new Liveness(this::clock);
        agent = new Agent(config, (iface, family, src, peers) -> transport = new SimTransport(this),
                kernel.netlink(), VmacManager.NONE, RouteManager.NONE, this::clock, liveness);
        agent.reloadFrom(() -> {
            AgentConfig next = ConfigLoader.load(file);
            lastReloadAccepted = true;
            return next;
        });
        int l = life;
        process = true;
        notifier = SimNotifier.create(config, stateFile(), task -> world.after(SimWorld.MS, () -> {
            if (life == l && process) {
                task.run(); // the notify thread, a millisecond behind the loop
            }
        }));
        agent.addTransitionListener(notifier::transition);
        agent.addReloadListener((next, fresh) -> notifier.reload(next));
        trackers = SimChecks.trackers(config, (instance, event) -> {
            agent.inject(instance, event);
            wake(world.now());
        }, (cfg, check, reloading) -> children.make(cfg, check, l));
        agent.addReloadListener(trackers::reload);
        trackers.watchedBy(liveness); // as Main wires them
        notifier.watchedBy(liveness);
        running = true;
        capture = Capture.ALIVE;
        children.thread = Capture.ALIVE;
        stuckUntil = Long.MIN_VALUE;
        lastFed = world.now();
        excusedUntil = world.now();
        world.log(this, "agent starts (kernel has " + names(kernel.addresses) + ")");
        trackers.start();
        try {
            agent.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        watchdogCheck(l);
        wake(world.now());
    }

    /** The agent is gone without a word: kill -9, or systemd's SIGABRT after a watchdog timeout. VIPs stay. */
    void kill(String why) {
        if (!running) {
            return;
        }
        running = false;
        process = false;
        trackers.close();
        world.log(this, "agent killed: " + why);
    }

    void powerOff() {
        kill("power-off");
        powered = false;
        kernel.powerOff();
        try {
            Files.deleteIfExists(stateFile()); // /run is a tmpfs
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        world.log(this, "host off");
    }

    void powerOn() {
        powered = true;
        world.log(this, "host on");
        start();
    }

    /** SIGTERM: the loop resigns and removes the VIPs; the host stays up. */
    void stop() {
        if (running) {
            world.log(this, "SIGTERM");
            agent.requestShutdown();
            wake(world.now());
        }
    }

    /** SIGHUP with the file as {@code content}; the file is then put back as it is meant to be. */
    void reload(String content) {
        if (!running) {
            return;
        }
        write(content);
        world.current = this;
        lastReloadAccepted = false;
        agent.requestReload(); // reads and validates on the signal thread, queues it for the loop
        write(text);
        wake(world.now());
    }

    Path stateFile() {
        return file.resolveSibling(name + ".state.json");
    }

    /** The state the state file gives for {@code instance}, or null when it has none. */
    String stateFileSays(String instance) {
        try {
            if (!Files.exists(stateFile())) {
                return null;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + instance + "\": \\{\"state\": \"(\\w+)\"")
                    .matcher(Files.readString(stateFile()));
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- the loop ----

    void wake(long at) {
        if (!running) {
            return;
        }
        long t = Math.max(at, stuckUntil);
        if (wakeAt <= t && wakeAt >= world.now()) {
            return; // an earlier pass is already due
        }
        wakeAt = t;
        long token = ++wakeToken;
        int l = life;
        world.at(t, () -> {
            if (token == wakeToken && life == l && running) {
                wakeAt = Long.MAX_VALUE;
                pass();
            }
        });
    }

    /** One pass of the loop, as {@code Agent.run} makes it: handle what is queued, fire what is due, feed. */
    private void pass() {
        if (world.now() < stuckUntil) {
            wake(stuckUntil);
            return;
        }
        world.passes++;
        world.current = this;
        agent.snapshot(); // an input, so the loop's poll never waits: the simulation decides when it wakes
        agent.runOnce();
        if (stopped()) {
            return;
        }
        if (world.now() < stuckUntil) {
            // a netlink call hung: the pass ends (and the watchdog hears of it) only when the call returns
            int l = life;
            world.at(stuckUntil, () -> {
                if (life == l && running) {
                    endPass();
                }
            });
        } else {
            endPass();
        }
    }

    private void endPass() {
        String starved = agent.checkWatchdog();
        if (starved == null) {
            fed();
        } else {
            starved(starved);
        }
        afterPass.accept(this);
        // when the real loop wakes next: the earliest deadline, or after its longest wait (Agent.runOnce)
        long deadline = agent.earliestDeadline();
        long next = world.now() + Agent.MAX_WAIT_NANOS;
        if (deadline != Long.MAX_VALUE && deadline - clock() < Agent.MAX_WAIT_NANOS) {
            next = world.now() + Math.max(0, deadline - clock());
        }
        wake(Math.max(next, world.now() + 1000)); // a deadline missed by a pass must not spin the simulation
    }

    private boolean stopped() {
        try {
            if (agent.awaitStopped(0, java.util.concurrent.TimeUnit.NANOSECONDS)) {
                running = false;
                trackers.close();
                world.log(this, "agent stopped (kernel has " + names(kernel.addresses) + ")");
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    // ---- the watchdog, as systemd sees it ----

    /** Whether the agent can hear and act now, so that it must be feeding the watchdog. */
    String cannotHearOrAct() {
        if (world.now() < stuckUntil) {
            return "the loop is stuck in a netlink call";
        }
        if (capture == Capture.DEAD) {
            return "its capture thread died";
        }
        if (capture == Capture.FAILING && world.now() - captureSince > CAPTURE_TROUBLE_NANOS) {
            return "its capture has failed since " + captureSince / 1e9;
        }
        String tracker = children.cannotWork();
        if (tracker != null) {
            return tracker;
        }
        return null;
    }

    private void fed() {
        String why = cannotHearOrAct();
        if (why != null) {
            violations.add("the watchdog was fed although " + why);
        }
        long gap = world.now() - Math.max(lastFed, excusedUntil);
        if (gap > MAX_FEED_GAP + SimWorld.MS) {
            violations.add("the watchdog went " + gap / 1e6 + " ms without being fed while the agent could work");
        }
        lastFed = world.now();
        watchdogCheck(life);
    }

    private void starved(String reason) {
        String why = cannotHearOrAct();
        if (why == null) {
            violations.add("the watchdog was not fed (" + reason + ") although nothing it relies on has failed past its bound");
        }
        excusedUntil = world.now();
    }

    /** systemd's WatchdogSec: a check at the last feed plus the limit. */
    private void watchdogCheck(int l) {
        long fedAt = lastFed;
        world.at(fedAt + WATCHDOG_SEC * SimWorld.SECOND + 1, () -> {
            if (life == l && running && lastFed == fedAt) {
                restarts++;
                kill("systemd: watchdog timeout (not fed for " + WATCHDOG_SEC + " s)");
                world.after(RESTART_SEC * SimWorld.SECOND, () -> {
                    if (powered && !running && life == l) {
                        start();
                    }
                });
            }
        });
    }

    // ---- faults at the edge ----

    void captureFails(boolean failing) {
        if (!running || capture == Capture.DEAD) {
            return;
        }
        if (failing && capture == Capture.ALIVE) {
            capture = Capture.FAILING;
            captureSince = world.now();
            if (transport != null && transport.heartbeat != null) {
                transport.heartbeat.trouble("PcapNativeException: recvfrom: Network is down (simulated)");
            }
            world.log(this, "capture fails on every read");
        } else if (!failing && capture == Capture.FAILING) {
            capture = Capture.ALIVE;
            excusedUntil = Math.max(excusedUntil, world.now());
            if (transport != null && transport.heartbeat != null) {
                transport.heartbeat.fine();
            }
            world.log(this, "capture works again");
            wake(world.now());
        }
    }

    /** The capture thread dies (an Error escapes its loop): a thread that ended, bound to its heartbeat. */
    void captureDies() {
        if (!running || capture == Capture.DEAD || transport == null || transport.heartbeat == null) {
            return;
        }
        Liveness.Heartbeat beat = transport.heartbeat;
        Thread t = new Thread(beat::beat, "sim-capture-" + name);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        capture = Capture.DEAD;
        captureSince = world.now();
        world.log(this, "capture thread dies (OutOfMemoryError)");
    }

    /** A packet on the wire reaches this host's capture (or does not: off, dead, failing). */
    void receive(PacketTransport.ReceivedPacket p) {
        if (!running || transport == null || transport.listener == null || capture != Capture.ALIVE) {
            return;
        }
        transport.listener.received(p);
        wake(world.now());
    }

    static String names(Set<InetAddress> set) {
        return set.stream().map(InetAddress::getHostAddress).toList().toString();
    }
}
