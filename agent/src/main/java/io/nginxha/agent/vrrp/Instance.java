package io.nginxha.agent.vrrp;

import io.nginxha.agent.config.InstanceConfig;
import java.net.InetAddress;
import java.util.List;

/**
 * One VRRP instance as a pure state machine (RFC 5798 6.4, RFC 3768 6.4, plus keepalived's FAULT).
 * No sockets, threads or clock: the caller passes the time (monotonic nanoseconds) with every event,
 * executes the returned actions, and calls {@link #step} with {@link Event.TimerFired} when
 * {@link #nextDeadline()} is reached.
 */
public final class Instance {

    /**
     * @param config       the instance's configuration
     * @param primaryAddress this router's own address on the interface (the advert source, used for tie-breaks)
     */
    public Instance(InstanceConfig config, InetAddress primaryAddress) {
        throw new UnsupportedOperationException("state machine: being written");
    }

    public List<Action> step(Event event, long nowNanos) {
        throw new UnsupportedOperationException("state machine: being written");
    }

    /** Monotonic nanos of the next timer, or {@link Long#MAX_VALUE} when none is armed. */
    public long nextDeadline() {
        throw new UnsupportedOperationException();
    }

    public VrrpState state() {
        throw new UnsupportedOperationException();
    }
}
