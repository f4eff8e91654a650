package io.nginxha.agent.runtime;

import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.net.PacketTransport;
import io.nginxha.agent.status.InstanceCounters;
import io.nginxha.agent.vrrp.Action;
import io.nginxha.agent.vrrp.Event;
import io.nginxha.agent.vrrp.Instance;
import io.nginxha.agent.vrrp.VrrpState;
import java.util.List;

/**
 * One virtual router running here: the pure {@link Instance} and what the edge keeps beside it. This class is the
 * only owner of that mutable state; the loop's thread alone calls it, except {@link #publishedState()}, which
 * other threads may read.
 */
final class Router {
    private InstanceConfig config;
    private final Instance instance;
    private final String syncGroup;
    private final PacketTransport transport;
    private final InstanceCounters counters = new InstanceCounters();
    /**
     * Bumped when leaving MASTER or retiring, so what is still scheduled from that mastership (GARPs, retries of a
     * failed VIP add) is not done.
     */
    private long mastership;
    private final FaultSources faults = new FaultSources();
    /** Whether our VIPs are on the interface, as far as the last Add/RemoveVips knows. */
    private boolean vipsHeld;
    /** The state as of the last transition, for threads other than the loop's. */
    private volatile VrrpState publishedState;

    Router(InstanceConfig config, PacketTransport transport) {
        this(config, transport, null);
    }

    /** @param syncGroup the vrrp_sync_group it is a member of (it then asks its group before mastership), or null */
    Router(InstanceConfig config, PacketTransport transport, String syncGroup) {
        this.config = config;
        this.syncGroup = syncGroup;
        this.instance = new Instance(config, transport.sourceAddress(), syncGroup != null);
        this.transport = transport;
        this.publishedState = instance.state();
    }

    /** Feeds the core; throws what the core throws (the loop logs it and drops the event). */
    List<Action> step(Event event, long now) {
        return instance.step(event, now);
    }

    String name() {
        return config.name();
    }

    InstanceConfig config() {
        return config;
    }

    /** The sync group it was built as a member of, or null. */
    String syncGroup() {
        return syncGroup;
    }

    /** A reload kept this virtual router: only its tracking and notify settings may differ. */
    void reconfigure(InstanceConfig same) {
        config = same;
    }

    Instance instance() {
        return instance;
    }

    PacketTransport transport() {
        return transport;
    }

    InstanceCounters counters() {
        return counters;
    }

    boolean vipsHeld() {
        return vipsHeld;
    }

    void vipsAdded() {
        vipsHeld = true;
    }

    /** Called before the removals are tried: once we start removing them, we no longer claim them. */
    void vipsReleased() {
        vipsHeld = false;
    }

    long mastership() {
        return mastership;
    }

    FaultSources faults() {
        return faults;
    }

    void transitioned(VrrpState from, VrrpState to) {
        publishedState = to;
        counters.transition(from, to);
        if (from == VrrpState.MASTER) {
            mastership++;
        }
    }

    /** Taken off the loop by a reload: what it still has scheduled must not be done. */
    void retired() {
        mastership++;
    }

    /** Whether the VIP retries and GARPs scheduled in {@code term} still apply: the same mastership goes on. */
    boolean stillMaster(long term) {
        return mastership == term && instance.state() == VrrpState.MASTER;
    }

    VrrpState publishedState() {
        return publishedState;
    }
}
