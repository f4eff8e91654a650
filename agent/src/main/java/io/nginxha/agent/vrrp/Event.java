package io.nginxha.agent.vrrp;

import java.net.InetAddress;

/** Everything that can happen to an instance. Time is passed beside the event, never read inside the core. */
public sealed interface Event {

    /**
     * The agent starts the instance (leave Initialize).
     *
     * @param holdUntilNanos vrrp_startup_delay: until then a backup's down timer only starts counting at this time
     *                       (keepalived's vrrp_delayed_start_time), so no instance becomes master before it; the
     *                       earliest long for none
     */
    record Startup(long holdUntilNanos) implements Event {
        public Startup() {
            this(Long.MIN_VALUE);
        }

        /** Started at {@code now} with a vrrp_startup_delay of {@code delayMs} (0 for none). */
        public static Startup delayed(long delayMs, long now) {
            return delayMs > 0 ? new Startup(now + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(delayMs))
                    : new Startup();
        }
    }

    /**
     * An advert for this instance's VRID that passed the packet-level checks (TTL, version, checksum).
     * The instance itself still checks authentication, addresses and interval against its config.
     */
    record AdvertReceived(InetAddress source, Advert advert) implements Event { }

    /** The instance's earliest deadline ({@link Instance#nextDeadline()}) has been reached. */
    record TimerFired() implements Event { }

    /** Tracked checks changed the effective priority (base priority plus weights, already clamped 1..254). */
    record PriorityChanged(int effectivePriority, String reason) implements Event { }

    /** A tracked check that has no weight failed (enter FAULT) or recovered (leave FAULT). */
    record FaultChanged(boolean faulty, String reason) implements Event { }

    /**
     * Instead of {@link Startup}, for an instance that replaces one of the same VRID on the same interface after a
     * config reload: with {@code asMaster} it continues as master at once (adverts, VIPs and GARPs, no election,
     * so the peer never sees a gap); otherwise it starts as {@link Startup} does.
     */
    record Resume(boolean asMaster, String reason) implements Event {
        /** After a reload. */
        public Resume(boolean asMaster) {
            this(asMaster, "config reloaded: continuing as master");
        }
    }

    /**
     * The instance's vrrp_sync_group moves it with the other members (keepalived vrrp_sync.c): to MASTER with
     * them, to BACKUP with them, or to FAULT because one of them is in fault (held there until none is).
     */
    record SyncTo(VrrpState state, String reason) implements Event { }

    /**
     * Someone else removed {@code address}/{@code prefix} from {@code dev} (netlink RTM_DELADDR); a master whose
     * tracked VIP it was leaves for BACKUP ({@link VipLoss}). Without a scope: compared with the configured VIPs
     * as written. The prefix counts: the agent's own removal of an old /24 after a reload made the VIP a /32
     * leaves the VIP in place, and an IPv4 address with another prefix is another address to the kernel.
     */
    record VipRemoved(String dev, InetAddress address, int prefix) implements Event { }

    /** The agent is stopping: resign with priority 0 if master. */
    record Shutdown() implements Event { }
}
