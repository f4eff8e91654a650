package io.nginxha.agent.cli;

import io.nginxha.agent.check.ProcessTracker;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.notify.Notifier;
import io.nginxha.agent.os.Liveness;
import io.nginxha.agent.runtime.Agent;
import io.nginxha.agent.vrrp.VrrpState;
import java.util.function.Function;

/** The adapters between the layers that cannot see each other: the notifier and the loop, trackers and liveness. */
final class Wiring {
    private Wiring() { }

    /** The loop's notifications (state changes, priority changes, lower-priority adverts) to the notifier. */
    static io.nginxha.agent.runtime.TransitionListener listener(Notifier notifier) {
        return new io.nginxha.agent.runtime.TransitionListener() {
            @Override
            public void changed(InstanceConfig i, VrrpState from, VrrpState to, int priority, String reason) {
                notifier.transition(i, from, to, priority, reason);
            }

            @Override
            public void priorityChanged(InstanceConfig i, VrrpState state, int priority) {
                notifier.priorityChanged(i, state, priority);
            }

            @Override
            public void lowerPriorityMaster(InstanceConfig i, int priority) {
                notifier.lowerPriorityMaster(i, priority);
            }

            @Override
            public void deleted(InstanceConfig i, VrrpState state, int priority) {
                notifier.deleted(i, state, priority);
            }
        };
    }

    /** A polling tracker's heartbeat in {@code liveness}: one that hangs would leave its check frozen. */
    static Function<String, ProcessTracker.Heartbeat> heartbeats(Liveness liveness) {
        return name -> {
            Liveness.Heartbeat beat = liveness.register("tracker " + name, ProcessTracker.MAX_SILENCE_MS);
            return new ProcessTracker.Heartbeat() {
                @Override
                public void beat() {
                    beat.beat();
                }

                @Override
                public void ended() {
                    beat.ended();
                }
            };
        };
    }
}
