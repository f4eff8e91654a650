package io.nginxha.agent.announce;

/** What the edge is to do for a group; carried out in the order given. */
public sealed interface AnnounceAction {
    /** Put the VIPs on the interface as host addresses: FRR's redistribute connected announces them. */
    record Hold() implements AnnounceAction { }

    /** Take the VIPs off (and any drain routes): the routers withdraw them and the host stops accepting. */
    record Release() implements AnnounceAction { }

    /**
     * Withdraw from the routers but keep accepting: the addresses come off (so zebra and bgpd withdraw) and each VIP
     * becomes a local route in the local table, which the kernel answers but zebra does not redistribute.
     */
    record Drain() implements AnnounceAction { }

    /** The group has let go after a stop: the agent may exit once every group says so. */
    record Stopped() implements AnnounceAction { }

    /** The group's state changed (for logs, status and metrics). */
    record Changed(AnnounceState from, AnnounceState to, String reason) implements AnnounceAction { }
}
