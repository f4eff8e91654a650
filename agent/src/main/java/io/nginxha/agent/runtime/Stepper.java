package io.nginxha.agent.runtime;

import io.nginxha.agent.vrrp.Action;
import io.nginxha.agent.vrrp.Event;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One step of a router on the loop's thread and what follows from it: its actions carried out at the edge, the
 * members of its sync group moved with it, and the edge's verdicts on VIPs fed back as faults. The loop
 * ({@link Agent}) is its only caller; kept apart so that the loop's class holds the loop and this the step.
 */
final class Stepper {
    private static final Logger log = LoggerFactory.getLogger(Agent.class); // the loop's messages, as before
    private final Routers routers;
    private final ActionRunner actions;
    private final SyncGroups syncGroups;

    Stepper(Routers routers, ActionRunner actions, SyncGroups syncGroups) {
        this.routers = routers;
        this.actions = actions;
        this.syncGroups = syncGroups;
    }

    void step(Router router, Event event, long now) {
        List<Action> out;
        try {
            out = router.step(event, now);
        } catch (RuntimeException e) {
            log.error("{}: the state machine failed on {}", router.name(), event, e);
            return;
        }
        for (int i = 0; i < out.size(); i++) {
            actions.execute(router, out.get(i), now);
        }
        SyncGroups.Moves moves = syncGroups.after(router, out, routers, now);
        for (int i = 0; i < moves.moves().size(); i++) {
            step(moves.moves().get(i).member(), moves.moves().get(i).event(), now); // the others move with this one
        }
        moves.announce().run(); // then the group's notifications, as keepalived
        applyVerdicts(now);
    }

    void stepIfAny(Router router, Event event, long now) {
        if (event != null) {
            step(router, event, now);
        }
    }

    /** What the edge found out about the routers' VIPs; a router a reload retired meanwhile is not stepped. */
    void applyVerdicts(long now) {
        List<ActionRunner.VipFault> verdicts = actions.takeVerdicts();
        for (int i = 0; i < verdicts.size(); i++) {
            ActionRunner.VipFault v = verdicts.get(i);
            if (routers.get(v.router().name()) == v.router()) {
                stepIfAny(v.router(), v.router().faults().set(FaultSources.Source.VIPS, v.faulty(), v.reason()), now);
            }
        }
    }
}
