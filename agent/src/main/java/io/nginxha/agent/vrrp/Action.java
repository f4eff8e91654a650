package io.nginxha.agent.vrrp;

/** What the core asks the edge to do. The edge executes them in order. */
public sealed interface Action {

    /** Send one advert with this priority (0 when resigning) and the instance's configured addresses. */
    record SendAdvert(int priority) implements Action { }

    /** Add the instance's virtual addresses to its interface. */
    record AddVips() implements Action { }

    /** Remove the instance's virtual addresses from its interface. */
    record RemoveVips() implements Action { }

    /**
     * Send {@code count} gratuitous ARPs (or unsolicited NAs) for every virtual address, spaced by the
     * configured garp interval. The count differs by cause: becoming master, refresh, or a lower-priority advert.
     */
    record SendGarp(int count) implements Action { }

    /** The instance changed state; the edge logs it at INFO and runs notifications. */
    record Transition(VrrpState from, VrrpState to, String reason) implements Action { }

    /**
     * A sync group member's down timer ran out: it would become master, but stays BACKUP (its timer re-armed) until
     * its group ({@link SyncGroup}) moves every member to MASTER together.
     */
    record MasterWanted(String reason) implements Action { }

    /** An advert was discarded by the instance (wrong password, address list, interval...); counted in metrics. */
    record AdvertDropped(DropReason reason, String detail) implements Action { }
}
