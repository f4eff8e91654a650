package io.nginxha.agent.runtime;

import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.VirtualAddress;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bursts a master sends so neighbours move a VIP to it: gratuitous ARPs for IPv4 addresses and unsolicited
 * Neighbor Advertisements for IPv6 ones. As in keepalived 2.2.7 ({@code vrrp_send_link_update}) one burst covers
 * the VIPs and the excluded VIPs of either family, and the garp_* counts and delays govern the NAs too; only the gap
 * between messages differs: vrrp_garp_interval for ARP, vrrp_gna_interval for NA. The later rounds of a burst wait
 * in the action runner's task queue, run by the loop when due; they are dropped once that mastership is over.
 */
final class LinkUpdates {
    private static final Logger log = LoggerFactory.getLogger(LinkUpdates.class);

    private final TaskQueue later;

    /** @param later the action runner's queue, which the loop runs */
    LinkUpdates(TaskQueue later) {
        this.later = later;
    }

    /** {@code count} rounds; the first goes out now, and throws if it fails, the others are scheduled. */
    void burst(Router router, long now, int count) throws IOException {
        InstanceConfig c = router.config();
        GarpConfig garp = c.garp() != null ? c.garp() : GarpConfig.DEFAULTS;
        int rounds = Math.max(1, count);
        List<Inet4Address> v4 = ipv4(c);
        List<Inet6Address> v6 = ipv6(c);
        IOException first = null;
        if (!v4.isEmpty()) {
            first = rounds(router, now, rounds, garp.intervalMs(), "gratuitous ARP",
                    () -> router.transport().sendGarp(v4));
        }
        if (!v6.isEmpty()) {
            IOException na = rounds(router, now, rounds, garp.gnaIntervalMs(), "unsolicited Neighbor Advertisement",
                    () -> router.transport().sendNeighborAdverts(v6));
            first = first != null ? first : na;
        }
        if (first != null) {
            throw first;
        }
    }

    private interface Send {
        void run() throws IOException;
    }

    /** The first round's failure, if any; later rounds log theirs (nobody waits for them). */
    private IOException rounds(Router router, long now, int rounds, int gapMs, String what, Send send) {
        IOException failure = null;
        long gap = Math.max(0, gapMs) * 1_000_000L;
        long term = router.mastership();
        for (int i = 0; i < rounds; i++) {
            if (i == 0 || gap == 0) {
                try {
                    send.run();
                } catch (IOException e) {
                    failure = failure != null ? failure : e;
                }
                continue;
            }
            later.at(now + i * gap, at -> {
                if (!router.stillMaster(term)) {
                    return; // no longer master: the address is someone else's now
                }
                try {
                    send.run();
                } catch (IOException e) {
                    log.warn("{}: {} failed: {}", router.name(), what, e.getMessage());
                }
            });
        }
        return failure;
    }

    /**
     * Plain loops, not streams: this runs first at a takeover, and a stream's lambdas are bootstrapped on their
     * first use, which cost milliseconds before the first advert and GARP (measured on the lab's capture).
     */
    static List<Inet4Address> ipv4(InstanceConfig c) {
        List<Inet4Address> out = new ArrayList<>(c.vips().size());
        for (VirtualAddress v : c.managedVips()) {
            if (v.address() instanceof Inet4Address a) {
                out.add(a);
            }
        }
        return out;
    }

    static List<Inet6Address> ipv6(InstanceConfig c) {
        List<Inet6Address> out = new ArrayList<>(c.vips().size());
        for (VirtualAddress v : c.managedVips()) {
            if (v.address() instanceof Inet6Address a) {
                out.add(a);
            }
        }
        return out;
    }
}
