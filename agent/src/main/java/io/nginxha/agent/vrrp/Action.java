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

    /**
     * The effective priority changed (tracking); keepalived's notify_priority_changes writes it to the notify
     * FIFOs. Nothing is sent for it: the next advert carries the new priority.
     */
    record PriorityChanged(int from, int to) implements Action { }

    /**
     * As master, heard an advert of a lower priority (a router that became master through a partition): keepalived
     * writes MASTER_RX_LOWER_PRI to the notify FIFOs and runs notify_master_rx_lower_pri.
     */
    record LowerPriorityMasterHeard(java.net.InetAddress source, int priority) implements Action { }

    /** An advert was discarded by the instance (wrong password, address list, interval...); counted in metrics. */
    record AdvertDropped(DropReason reason, String detail) implements Action { }
}
