package io.nginxha.agent.runtime;

import io.nginxha.agent.os.Signals;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGTERM for an agent with announce groups: the groups withdraw and drain first, and only once they have let go is
 * the VRRP loop asked to stop, so the process exits (and systemd stops nginx, ordered after the agent) no sooner
 * than the routers have moved the clients away. Reloads go to the loop unchanged.
 */
public final class DrainingStop implements Signals.Target {
    /** Beyond the longest drain, how long the groups' own steps may take before the loop is stopped anyway. */
    private static final long SLACK_MS = 5000;
    private final Agent agent;
    private final AnnounceService announce;
    private final AtomicBoolean requested = new AtomicBoolean();

    public DrainingStop(Agent agent, AnnounceService announce) {
        this.agent = agent;
        this.announce = announce;
    }

    @Override
    public void requestShutdown() {
        if (requested.compareAndSet(false, true)) {
            // bounded: a stop that never completes (a bug) must not keep the agent from stopping
            announce.stop().orTimeout(announce.maxDrainMs() + SLACK_MS, TimeUnit.MILLISECONDS)
                    .whenComplete((done, failed) -> agent.requestShutdown());
        }
    }

    @Override
    public void requestReload() {
        agent.requestReload();
    }

    @Override
    public boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException {
        return agent.awaitStopped(timeout, unit);
    }
}
