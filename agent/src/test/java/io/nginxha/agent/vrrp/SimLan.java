package io.nginxha.agent.vrrp;

import io.nginxha.agent.config.InstanceConfig;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * A simulated LAN for the VRRP core: a fake clock, an event queue, and routers that each run one {@link Instance}.
 * Adverts reach every other live router after a seeded random delay; the edge is reduced to bookkeeping of who
 * holds the VIPs. Faults can be injected: lossy, slow, duplicating links, cut links (partitions), crashes, kills,
 * frozen hosts, reloads, tracking changes. Everything is driven by the seed, so a run replays exactly.
 *
 * <p>Each router has its own monotonic clock ({@code global + clockOffset}): hosts' clocks have unrelated origins
 * (even negative ones, as {@code System.nanoTime} allows), and a suspended host's clock stops while it sleeps.
 */
final class SimLan {
    private static final int TRACE_LINES = 200;
    private final Random random;
    private final long maxDelayNanos;
    private final PriorityQueue<Scheduled> queue =
            new PriorityQueue<>(Comparator.comparingLong(Scheduled::at).thenComparingLong(Scheduled::seq));
    private final List<Router> routers = new ArrayList<>();
    private final ArrayDeque<String> trace = new ArrayDeque<>();
    private final Set<Long> cutLinks = new HashSet<>();
    private Conditions conditions = Conditions.HEALTHY;
    private Runnable afterEachEvent = () -> { };
    private long disturbedUntil;
    private long now;
    private long seq;

    SimLan(Random random, long maxDelayNanos) {
        this.random = random;
        this.maxDelayNanos = maxDelayNanos;
    }

    private record Scheduled(long at, long seq, Runnable task) { }

    /**
     * What happens to an advert on the wire, on top of the normal delivery jitter.
     *
     * @param loss        probability that a copy is lost
     * @param duplication probability that it is delivered twice
     * @param extraDelay  up to this much more delay (reorders adverts once it exceeds the advert interval)
     */
    record Conditions(double loss, double duplication, long extraDelay) {
        static final Conditions HEALTHY = new Conditions(0, 0, 0);
    }

    /** One host on the LAN; its instance is replaced when it restarts. */
    final class Router {
        final String name;
        final InetAddress address;
        final InstanceConfig config;
        final int index;
        Instance instance;
        boolean alive;
        boolean holdsVips;
        long becameMasterAt = -1;
        long clockOffset;
        private boolean killed;
        private boolean frozen;
        private boolean clockStops;
        private long frozenAt;
        private boolean resuming;
        private final List<Event> buffered = new ArrayList<>();
        private long scheduledTimer = Long.MAX_VALUE;

        Router(String name, InetAddress address, InstanceConfig config, int index) {
            this.name = name;
            this.address = address;
            this.config = config;
            this.index = index;
        }

        VrrpState state() {
            return alive ? instance.state() : VrrpState.INIT;
        }

        int priority() {
            return instance.effectivePriority();
        }

        long localNow() {
            return now + clockOffset;
        }

        @Override
        public String toString() {
            return name + "(" + address.getHostAddress() + ", prio " + (instance == null ? config.priority()
                    : priority()) + (config.preempt() ? "" : " nopreempt") + ", " + state()
                    + (holdsVips ? ", VIPs" : "") + (frozen ? ", frozen" : "") + (killed ? ", killed" : "") + ")";
        }
    }

    Router add(String name, InetAddress address, InstanceConfig config) {
        Router router = new Router(name, address, config, routers.size());
        routers.add(router);
        return router;
    }

    List<Router> routers() {
        return routers;
    }

    long now() {
        return now;
    }

    /** Runs after every event, with the clock at the event's time: where invariants are checked. */
    void afterEachEvent(Runnable check) {
        afterEachEvent = check;
    }

    /** The last time a fault began or ended, or a packet sent under a fault arrived. */
    long disturbedUntil() {
        return disturbedUntil;
    }

    /** No fault in force: clean links, no cut, nobody frozen, no killed agent awaiting its restart. */
    boolean healthy() {
        return conditions.equals(Conditions.HEALTHY) && cutLinks.isEmpty()
                && routers.stream().noneMatch(r -> r.frozen || r.killed);
    }

    /** The last {@code lines} lines of what happened, for failure messages. */
    String trace(int lines) {
        List<String> all = new ArrayList<>(trace);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Starts the agent; after a kill, it first removes the VIPs the dead process left (as Agent does). */
    void start(Router router, long at) {
        schedule(at, () -> {
            disturb();
            if (router.frozen) {
                // The host woke up first (a frozen host runs nothing); the old process's packets die with it.
                unfreeze(router);
                router.buffered.clear();
            }
            router.instance = new Instance(router.config, router.address);
            router.alive = true;
            router.killed = false;
            router.holdsVips = false;
            router.becameMasterAt = -1;
            router.scheduledTimer = Long.MAX_VALUE;
            log(router, "starts");
            apply(router, new Event.Startup());
        });
    }

    /** Power-off: no resignation, and the VIPs vanish with the host. */
    void crash(Router router, long at) {
        schedule(at, () -> {
            disturb();
            router.alive = false;
            router.frozen = false;
            router.killed = false;
            router.holdsVips = false;
            log(router, "crashes");
        });
    }

    /** kill -9 of the agent: no resignation, and the VIPs stay on the interface until it is started again. */
    void kill(Router router, long at) {
        schedule(at, () -> {
            disturb();
            router.alive = false;
            router.frozen = false;
            router.killed = true;
            log(router, "killed");
        });
    }

    /** Orderly stop: the instance resigns with priority 0. */
    void stop(Router router, long at) {
        schedule(at, () -> {
            if (router.alive && !router.frozen) {
                disturb();
                log(router, "stops");
                apply(router, new Event.Shutdown());
                router.alive = false;
            }
        });
    }

    /** A config reload that keeps the instance: a new one takes over, as master at once if the old one was. */
    void reload(Router router, long at) {
        schedule(at, () -> {
            if (router.alive && !router.frozen) {
                disturb();
                boolean asMaster = router.instance.state() == VrrpState.MASTER;
                router.instance = new Instance(router.config, router.address);
                router.scheduledTimer = Long.MAX_VALUE;
                router.resuming = asMaster;
                log(router, "reloads" + (asMaster ? " as master" : ""));
                apply(router, new Event.Resume(asMaster));
                router.resuming = false;
            }
        });
    }

    /**
     * The host stops running (SIGSTOP, a VM paused, a suspend) until {@link #thaw}; packets wait in its socket
     * buffer. With {@code clockStops} its monotonic clock does not advance meanwhile, as across a suspend.
     */
    void freeze(Router router, boolean clockStops, long at) {
        schedule(at, () -> {
            if (router.alive && !router.frozen) {
                disturb();
                router.frozen = true;
                router.clockStops = clockStops;
                router.frozenAt = now;
                log(router, clockStops ? "suspended" : "stopped");
            }
        });
    }

    void thaw(Router router, long at) {
        schedule(at, () -> {
            if (!router.frozen) {
                return;
            }
            disturb();
            unfreeze(router);
            log(router, "resumes with " + router.buffered.size() + " buffered adverts");
            List<Event> waiting = new ArrayList<>(router.buffered);
            router.buffered.clear();
            router.scheduledTimer = Long.MAX_VALUE;
            for (Event event : waiting) {
                if (router.alive) {
                    apply(router, event);
                }
            }
            if (router.alive) {
                armTimer(router);
            }
        });
    }

    private void unfreeze(Router router) {
        router.frozen = false;
        if (router.clockStops) {
            router.clockOffset -= now - router.frozenAt;
        }
    }

    void changePriority(Router router, int priority, long at) {
        schedule(at, () -> {
            if (router.alive && !router.frozen) {
                disturb();
                log(router, "priority -> " + priority);
                apply(router, new Event.PriorityChanged(priority, "simulated tracking"));
            }
        });
    }

    /** A tracked check without weight fails ({@code faulty}) or recovers. */
    void fault(Router router, boolean faulty, long at) {
        schedule(at, () -> {
            if (router.alive && !router.frozen) {
                disturb();
                log(router, faulty ? "check fails" : "check recovers");
                apply(router, new Event.FaultChanged(faulty, faulty ? "simulated check failed" : "simulated check ok"));
            }
        });
    }

    void conditions(Conditions next, long at) {
        schedule(at, () -> {
            disturb();
            conditions = next;
            note("network " + next);
        });
    }

    /** Cuts ({@code cut}) or restores the direction {@code from -> to}. */
    void link(Router from, Router to, boolean cut, long at) {
        schedule(at, () -> {
            disturb();
            boolean changed = cut ? cutLinks.add(linkKey(from, to)) : cutLinks.remove(linkKey(from, to));
            if (changed) {
                note("link " + from.name + " -> " + to.name + (cut ? " cut" : " restored"));
            }
        });
    }

    void runUntil(long until) {
        while (!queue.isEmpty() && queue.peek().at() <= until) {
            Scheduled next = queue.poll();
            now = next.at();
            next.task().run();
            afterEachEvent.run();
        }
        now = until;
    }

    private static long linkKey(Router from, Router to) {
        return ((long) from.index << 32) | to.index;
    }

    private void disturb() {
        disturbedUntil = Math.max(disturbedUntil, now);
    }

    private void schedule(long at, Runnable task) {
        queue.add(new Scheduled(Math.max(at, now), seq++, task));
    }

    private void apply(Router router, Event event) {
        for (Action action : router.instance.step(event, router.localNow())) {
            if (action instanceof Action.SendAdvert send) {
                broadcast(router, advertOf(router.config, send.priority()));
            } else if (action instanceof Action.AddVips) {
                if (router.holdsVips && !router.resuming) {
                    throw new AssertionError(router + " added VIPs it already holds at " + now);
                }
                router.holdsVips = true;
            } else if (action instanceof Action.RemoveVips) {
                router.holdsVips = false;
            } else if (action instanceof Action.Transition transition) {
                if (transition.reason() == null || transition.reason().isBlank()) {
                    throw new AssertionError(router.name + " " + transition + " without a reason at " + now);
                }
                if (transition.to() == VrrpState.MASTER) {
                    router.becameMasterAt = now;
                }
                log(router, transition.from() + " -> " + transition.to() + ": " + transition.reason());
            } else if (action instanceof Action.AdvertDropped dropped) {
                throw new AssertionError(router + " dropped a valid advert: " + dropped);
            }
        }
        armTimer(router);
    }

    private void armTimer(Router router) {
        Instance instance = router.instance;
        long deadline = instance.nextDeadline();
        if (deadline == Long.MAX_VALUE || deadline == router.scheduledTimer) {
            return;
        }
        router.scheduledTimer = deadline;
        long offset = router.clockOffset;
        // Stale entries (the deadline moved, the router restarted or froze) find a different instance,
        // offset or deadline; a frozen router's timers are looked at again when it thaws.
        schedule(deadline - offset, () -> {
            if (router.alive && !router.frozen && router.instance == instance && router.clockOffset == offset
                    && instance.nextDeadline() <= router.localNow()) {
                apply(router, new Event.TimerFired());
            }
        });
    }

    private void broadcast(Router sender, Advert advert) {
        Conditions sentUnder = conditions;
        boolean faulty = !sentUnder.equals(Conditions.HEALTHY);
        for (Router receiver : routers) {
            if (receiver == sender || cutLinks.contains(linkKey(sender, receiver))
                    || random.nextDouble() < sentUnder.loss()) {
                continue;
            }
            int copies = random.nextDouble() < sentUnder.duplication() ? 2 : 1;
            for (int copy = 0; copy < copies; copy++) {
                long at = now + (long) (random.nextDouble() * maxDelayNanos)
                        + (long) (random.nextDouble() * sentUnder.extraDelay());
                if (faulty) {
                    disturbedUntil = Math.max(disturbedUntil, at);
                }
                Event event = new Event.AdvertReceived(sender.address, advert);
                schedule(at, () -> deliver(receiver, event));
            }
        }
    }

    private void deliver(Router receiver, Event event) {
        if (!receiver.alive) {
            return;
        }
        if (receiver.frozen) {
            receiver.buffered.add(event);
        } else {
            apply(receiver, event);
        }
    }

    /** What the edge would put on the wire for {@code priority}. */
    static Advert advertOf(InstanceConfig config, int priority) {
        boolean pass = config.version() == 2 && config.authPass() != null;
        return new Advert(config.version(), config.vrid(), priority, config.intervalCs(),
                config.vips().stream().map(v -> v.address()).toList(), pass ? 1 : 0,
                pass ? config.authPass().getBytes(StandardCharsets.UTF_8) : null);
    }

    private void log(Router router, String what) {
        note(router.name + " " + what);
    }

    /** Keeps the recent past only: a failure message shows the last events, and long runs stay small. */
    private void note(String what) {
        if (trace.size() == TRACE_LINES) {
            trace.removeFirst();
        }
        trace.add(String.format("%12.6f s %s", now / 1e9, what));
    }
}
