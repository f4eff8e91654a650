package io.nginxha.agent.announce;

/** Where an announce group stands; only {@link #ANNOUNCED} and {@link #DRAINING} hold the VIPs. */
public enum AnnounceState {
    /** Started, no verdict from the checks yet: nothing held. */
    WAITING,
    /** Healthy: the VIPs are on the interface, so FRR announces them. */
    ANNOUNCED,
    /** Unhealthy (or the VIPs could not be added): the VIPs are off, the routers withdraw the routes. */
    WITHDRAWN,
    /** Healthy again after a withdraw, but not for the whole hold-down yet: still withdrawn. */
    HELD_DOWN,
    /** Stopping: withdrawn from the routers but still accepting on the VIPs until the drain time is over. */
    DRAINING,
    /** Stopped: nothing held; the agent may exit and nginx may stop. */
    STOPPED;

    /** Whether the routers are meant to send this host traffic for the VIPs. */
    public boolean announced() {
        return this == ANNOUNCED;
    }
}
