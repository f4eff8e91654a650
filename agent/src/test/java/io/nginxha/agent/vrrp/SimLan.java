package io.nginxha.agent.vrrp;

import io.nginxha.agent.config.InstanceConfig;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A simulated LAN for the VRRP core: a fake clock, an event queue, and routers that each run one {@link Instance}.
 * Adverts reach every other live router after a seeded random delay; the edge is reduced to bookkeeping of who
 * holds the VIPs. Everything is driven by the seed, so a run replays exactly.
 */
final class SimLan {
    private final Random random;
    private final long maxDelayNanos;
    private final PriorityQueue<Scheduled> queue =
            new PriorityQueue<>(Comparator.comparingLong(Scheduled::at).thenComparingLong(Scheduled::seq));
    private final List<Router> routers = new ArrayList<>();
    private final List<String> trace = new ArrayList<>();
    private long now;
    private long seq;

    SimLan(Random random, long maxDelayNanos) {
        this.random = random;
        this.maxDelayNanos = maxDelayNanos;
    }

    private record Scheduled(long at, long seq, Runnable task) { }

    /** One host on the LAN; its instance is replaced when it restarts after a crash. */
    final class Router {
        final String name;
        final InetAddress address;
        final InstanceConfig config;
        Instance instance;
        boolean alive;
        boolean holdsVips;
        long becameMasterAt = -1;
        private long scheduledTimer = Long.MAX_VALUE;

        Router(String name, InetAddress address, InstanceConfig config) {
            this.name = name;
            this.address = address;
            this.config = config;
        }

        VrrpState state() {
            return alive ? instance.state() : VrrpState.INIT;
        }

        int priority() {
            return instance.effectivePriority();
        }

        @Override
        public String toString() {
            return name + "(" + address.getHostAddress() + ", prio " + (instance == null ? config.priority()
                    : priority()) + ", " + state() + (holdsVips ? ", VIPs" : "") + ")";
        }
    }

    Router add(String name, InetAddress address, InstanceConfig config) {
        Router router = new Router(name, address, config);
        routers.add(router);
        return router;
    }

    List<Router> routers() {
        return routers;
    }

    long now() {
        return now;
    }

    /** The last {@code lines} lines of what happened, for failure messages. */
    String trace(int lines) {
        return String.join("\n", trace.subList(Math.max(0, trace.size() - lines), trace.size()));
    }

    void start(Router router, long at) {
        schedule(at, () -> {
            router.instance = new Instance(router.config, router.address);
            router.alive = true;
            router.becameMasterAt = -1;
            router.scheduledTimer = Long.MAX_VALUE;
            log(router, "starts");
            apply(router, new Event.Startup());
        });
    }

    /** Power-off: no resignation, and the VIPs vanish with the host. */
    void crash(Router router, long at) {
        schedule(at, () -> {
            router.alive = false;
            router.holdsVips = false;
            log(router, "crashes");
        });
    }

    void changePriority(Router router, int priority, long at) {
        schedule(at, () -> {
            if (router.alive) {
                log(router, "priority -> " + priority);
                apply(router, new Event.PriorityChanged(priority, "simulated tracking"));
            }
        });
    }

    void runUntil(long until) {
        while (!queue.isEmpty() && queue.peek().at() <= until) {
            Scheduled next = queue.poll();
            now = next.at();
            next.task().run();
        }
        now = until;
    }

    private void schedule(long at, Runnable task) {
        queue.add(new Scheduled(at, seq++, task));
    }

    private void apply(Router router, Event event) {
        for (Action action : router.instance.step(event, now)) {
            if (action instanceof Action.SendAdvert send) {
                broadcast(router, advertOf(router.config, send.priority()));
            } else if (action instanceof Action.AddVips) {
                if (router.holdsVips) {
                    throw new AssertionError(router + " added VIPs it already holds at " + now);
                }
                router.holdsVips = true;
            } else if (action instanceof Action.RemoveVips) {
                router.holdsVips = false;
            } else if (action instanceof Action.Transition transition) {
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
        // Stale entries (the deadline moved, or the router restarted) find a different instance or deadline.
        schedule(deadline, () -> {
            if (router.alive && router.instance == instance && instance.nextDeadline() <= now) {
                apply(router, new Event.TimerFired());
            }
        });
    }

    private void broadcast(Router sender, Advert advert) {
        for (Router receiver : routers) {
            if (receiver == sender) {
                continue;
            }
            long delay = (long) (random.nextDouble() * maxDelayNanos);
            schedule(now + delay, () -> {
                if (receiver.alive) {
                    apply(receiver, new Event.AdvertReceived(sender.address, advert));
                }
            });
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
        trace.add(String.format("%12.6f s %s %s", now / 1e9, router.name, what));
    }
}
