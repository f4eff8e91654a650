package io.nginxha.agent.runtime;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.SyncGroupConfig;
import io.nginxha.agent.vrrp.Action;
import io.nginxha.agent.vrrp.Event;
import io.nginxha.agent.vrrp.StateChange;
import io.nginxha.agent.vrrp.SyncGroup;
import io.nginxha.agent.vrrp.VrrpState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running vrrp_sync_groups, on the loop's thread: after each step of a member, asks its pure {@link SyncGroup}
 * what the others must do, steps them (through the loop's own step, so their actions run at the edge as any
 * other), logs the group's state change and tells the listeners (the notifier runs the group's scripts).
 */
final class SyncGroups {
    private static final Logger log = LoggerFactory.getLogger(SyncGroups.class);

    /** Told of each change of a group's state, on the loop's thread; must return quickly. */
    @FunctionalInterface
    interface Listener {
        void changed(SyncGroupConfig group, VrrpState from, VrrpState to, String reason);
    }

    private final Map<String, SyncGroup> byMember = new HashMap<>();
    private final Map<String, SyncGroupConfig> configs = new LinkedHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /** The sync group {@code instance} is in by {@code config}, or null (its instance is built as a member). */
    static String groupOf(AgentConfig config, String instance) {
        SyncGroupConfig g = config.syncGroupOf(instance);
        return g == null ? null : g.name();
    }

    /**
     * The groups of {@code config}; a group that was running keeps its state when its running members agree with
     * it (a reload), a new one takes the state its members are in (INIT before the start) and is announced.
     */
    void configure(AgentConfig config, Routers routers, long now) {
        Map<String, SyncGroup> before = new HashMap<>();
        byMember.values().forEach(g -> before.put(g.name(), g));
        byMember.clear();
        configs.clear();
        for (SyncGroupConfig gc : config.syncGroups()) {
            List<SyncGroup.Member> view = new ArrayList<>();
            for (String m : gc.members()) {
                Router r = routers.get(m);
                view.add(r == null ? new SyncGroup.Member(VrrpState.INIT, false, false)
                        : SyncGroup.Member.of(r.instance()));
            }
            VrrpState state = SyncGroup.stateOf(view);
            SyncGroup group = new SyncGroup(gc.name(), gc.members(), state);
            SyncGroup old = before.get(gc.name());
            VrrpState was = old == null ? VrrpState.INIT : old.state();
            configs.put(gc.name(), gc);
            gc.members().forEach(m -> byMember.put(m, group));
            if (state != was && state != VrrpState.INIT) {
                announce(gc, new StateChange(was, state, SyncGroup.RELOADED, now));
            }
        }
    }

    /** The group {@code instance} is in, or null. */
    String groupOf(String instance) {
        SyncGroup g = byMember.get(instance);
        return g == null ? null : g.name();
    }

    void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** After {@code router} was stepped with the result {@code actions}: moves the other members as its group says. */
    /** A member the group moves, with the event that moves it; the loop steps it. */
    record Move(Router member, Event event) { }

    /**
     * The members to move, and the group's own announcement, to be run once they have moved: keepalived
     * (vrrp_sync_master/backup/fault) moves the members, then notifies the group, so a notify FIFO reads the
     * members' lines before the group's.
     */
    record Moves(List<Move> moves, Runnable announce) {
        static final Moves NONE = new Moves(List.of(), () -> { });
    }

    Moves after(Router router, List<Action> actions, Routers routers, long now) {
        SyncGroup group = byMember.get(router.name());
        if (group == null) {
            return Moves.NONE;
        }
        Map<String, SyncGroup.Member> view = new HashMap<>();
        for (String m : group.members()) {
            Router r = routers.get(m);
            view.put(m, r == null ? new SyncGroup.Member(VrrpState.INIT, false, false)
                    : SyncGroup.Member.of(r.instance()));
        }
        SyncGroup.Decision d = group.after(router.name(), actions, view, now);
        if (d.waiting() != null) {
            log.info("sync group {}: {}", group.name(), d.waiting());
        }
        SyncGroupConfig gc = configs.get(group.name());
        StateChange change = d.groupChange();
        Runnable announce = change == null ? () -> { } : () -> announce(gc, change);
        List<Move> moves = new java.util.ArrayList<>();
        for (SyncGroup.Order o : d.orders()) {
            Router member = routers.get(o.member());
            if (member != null) {
                moves.add(new Move(member, o.event()));
            }
        }
        return new Moves(moves, announce);
    }

    private void announce(SyncGroupConfig gc, StateChange c) {
        log.info("sync group {} {} -> {}: {}", gc.name(), c.from(), c.to(), c.reason());
        for (Listener l : listeners) {
            try {
                l.changed(gc, c.from(), c.to(), c.reason());
            } catch (RuntimeException e) {
                log.error("sync group {}: a listener failed", gc.name(), e);
            }
        }
    }
}
