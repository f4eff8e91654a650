package io.nginxha.agent.runtime;

import io.nginxha.agent.net.VipManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A simulated host's kernel as far as the agent changes it: the addresses on eth0 (they survive the agent's death,
 * not a power-off) and the netlink calls that add and remove them, which a fault makes refuse (EPERM), throw (a
 * socket error) or hang (the loop stuck in the call; it succeeds late).
 */
final class SimKernel {
    enum Netlink { OK, REFUSE, THROW, HANG }

    private final SimHost host;
    /** The VIPs on eth0, as the kernel has them. */
    final Set<InetAddress> addresses = new LinkedHashSet<>();
    Netlink adds = Netlink.OK;
    Netlink removes = Netlink.OK;
    long hangNanos;

    SimKernel(SimHost host) {
        this.host = host;
    }

    void powerOff() {
        addresses.clear();
    }

    boolean prompt() {
        return adds == Netlink.OK && removes == Netlink.OK;
    }

    /** What the agent's VipManager talks to (NetlinkVipManager in production). */
    VipManager netlink() {
        return new VipManager() {
            @Override public boolean add(String dev, InetAddress a, int prefix, String label) {
                if (!call("add " + a.getHostAddress(), adds)) {
                    return false;
                }
                addresses.add(a);
                return true;
            }

            @Override public boolean remove(String dev, InetAddress a, int prefix) {
                if (!call("remove " + a.getHostAddress(), removes)) {
                    return false;
                }
                addresses.remove(a);
                return true;
            }

            @Override public List<Assigned> list(String dev) {
                return addresses.stream().map(a -> new Assigned(a, 24, null)).toList();
            }
        };
    }

    /** Whether a netlink call succeeds; a hanging one succeeds late, the loop stuck in it meanwhile. */
    private boolean call(String what, Netlink mode) {
        SimWorld world = host.world;
        switch (mode) {
            case OK -> {
                world.log(host, "netlink " + what);
                return true;
            }
            case REFUSE -> {
                world.log(host, "netlink " + what + ": refused (EPERM)");
                return false;
            }
            case THROW -> {
                world.log(host, "netlink " + what + ": socket error");
                throw new UncheckedIOException(new IOException("netlink: No buffer space available (simulated)"));
            }
            case HANG -> {
                host.stuckUntil = Math.max(host.stuckUntil, world.now() + hangNanos);
                host.excusedUntil = Math.max(host.excusedUntil, host.stuckUntil); // a stuck loop cannot feed
                world.log(host, "netlink " + what + ": hangs for " + hangNanos / 1e6 + " ms");
                return true;
            }
            default -> throw new AssertionError(mode);
        }
    }
}
