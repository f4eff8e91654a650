package io.nginxha.agent.vrrp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A vrrp_sync_group as a pure decision: after each step of one member, which members must be moved where so they
 * all move together, as keepalived 2.2.7 does (vrrp_sync.c, and the sync paths of vrrp_scheduler.c and vrrp.c):
 * <ul>
 *   <li>a member in fault of its own puts the group and every member in FAULT (a master resigns with priority 0);
 *       they stay there until no member has a fault of its own, then all go to BACKUP together;</li>
 *   <li>a master that steps down to BACKUP (it heard a higher priority) takes the other masters to BACKUP;</li>
 *   <li>a backup whose down timer ran out becomes master only when every other member wants master too (its own
 *       timer also ran out), or the group is master already; then every member becomes master at once. Until
 *       then it stays BACKUP and waits another Master_Down_Interval ("prefer backup to avoid thrashing").</li>
 * </ul>
 * No clock, no I/O: the caller passes the members as they are now and carries the orders out (each order is a
 * {@link Event.SyncTo} for that member's {@link Instance}, whose step is then reported here again; a move the
 * group already made is not made twice, so this settles).
 */
public final class SyncGroup {

    /** The reason of the group changes a reload makes ({@code runtime.SyncGroups}); the notifier tells them apart. */
    public static final String RELOADED = "config reloaded";

    /** A member as the group sees it. */
    public record Member(VrrpState state, boolean wantsMaster, boolean ownFault) {
        public static Member of(Instance i) {
            return new Member(i.state(), i.wantsMaster(), i.ownFault());
        }
    }

    /** Move {@code member}: step its instance with {@code event}. */
    public record Order(String member, Event.SyncTo event) { }

    /**
     * What one member's step means for the group.
     *
     * @param orders      members to move, in the group's order
     * @param groupChange the group's own state change (its notify scripts run), null when it did not change
     * @param waiting     why a member that wants master is held in BACKUP, null when none is
     */
    public record Decision(List<Order> orders, StateChange groupChange, String waiting) {
        public Decision {
            orders = List.copyOf(orders);
        }

        static final Decision NONE = new Decision(List.of(), null, null);
    }

    private final String name;
    private final List<String> members;
    private VrrpState state;

    /** A group that starts with its members (state INIT until all have started). */
    public SyncGroup(String name, List<String> members) {
        this(name, members, VrrpState.INIT);
    }

    /** A group rebuilt by a reload, in the state its running members are in. */
    public SyncGroup(String name, List<String> members, VrrpState state) {
        this.name = name;
        this.members = List.copyOf(members);
        this.state = state;
    }

    public String name() {
        return name;
    }

    public List<String> members() {
        return members;
    }

    public VrrpState state() {
        return state;
    }

    /**
     * The group's state for members found running as {@code view} (after a reload): FAULT if one has a fault of
     * its own, MASTER if all are master, INIT while one has not started, else BACKUP.
     */
    public static VrrpState stateOf(List<Member> view) {
        if (view.stream().anyMatch(Member::ownFault)) {
            return VrrpState.FAULT;
        }
        if (view.stream().allMatch(m -> m.state() == VrrpState.MASTER)) {
            return VrrpState.MASTER;
        }
        return view.stream().anyMatch(m -> m.state() == VrrpState.INIT) ? VrrpState.INIT : VrrpState.BACKUP;
    }

    /**
     * After {@code member} was stepped and returned {@code actions}: the moves that keep the group together.
     *
     * @param view every member as it is now (after that step), by name
     */
    public Decision after(String member, List<Action> actions, Map<String, Member> view, long now) {
        if (!members.contains(member)) {
            return Decision.NONE;
        }
        if (members.stream().allMatch(n -> view.get(n).state() == VrrpState.INIT)) {
            // Stopping (or not started at all): the group's notify_stop when the last member has stopped.
            return state == VrrpState.INIT || actions.stream().noneMatch(a -> a instanceof Action.Transition)
                    ? Decision.NONE : move(VrrpState.INIT, List.of(), "every member stopped", now);
        }
        List<String> faulty = members.stream().filter(n -> view.get(n).ownFault()).toList();
        if (!faulty.isEmpty()) {
            // vrrp_sync_fault; every member is held, also those in fault already (they leave only with the group).
            return state == VrrpState.FAULT ? Decision.NONE
                    : move(VrrpState.FAULT, members, String.join(", ", faulty) + " in fault", now);
        }
        if (state == VrrpState.FAULT) {
            // try_up_instance: the last member to recover takes the group to BACKUP (vrrp_sync_backup).
            return move(VrrpState.BACKUP, members, "no member in fault any more", now);
        }
        if (state == VrrpState.INIT) {
            // vrrp_init_state notifies a group that starts in BACKUP, once every member has started.
            boolean starting = members.stream().anyMatch(n -> view.get(n).state() == VrrpState.INIT);
            return starting ? Decision.NONE : move(stateOf(members.stream().map(view::get).toList()), List.of(),
                    "every member started", now);
        }
        Action.Transition t = transition(actions);
        if (t != null && t.from() == VrrpState.MASTER && t.to() == VrrpState.BACKUP) {
            if (state == VrrpState.BACKUP) {
                return Decision.NONE;
            }
            List<String> masters = others(member).stream()
                    .filter(n -> view.get(n).state() != VrrpState.BACKUP).toList();
            return move(VrrpState.BACKUP, masters, member + " left MASTER: " + t.reason(), now);
        }
        Action.MasterWanted wanted = actions.stream().filter(a -> a instanceof Action.MasterWanted)
                .map(a -> (Action.MasterWanted) a).findFirst().orElse(null);
        boolean becameMaster = t != null && t.to() == VrrpState.MASTER;
        if (wanted == null && !becameMaster) {
            return Decision.NONE;
        }
        if (state == VrrpState.MASTER) {
            return wanted == null ? Decision.NONE : new Decision(List.of(order(member, VrrpState.MASTER,
                    "the group is MASTER")), null, null);
        }
        List<String> notReady = others(member).stream().filter(n -> !view.get(n).wantsMaster()).toList();
        if (wanted != null && !notReady.isEmpty()) {
            // vrrp_sync_can_goto_master: wait for the others rather than thrash.
            return new Decision(List.of(), null, member + " wants MASTER (" + wanted.reason() + ") but "
                    + String.join(", ", notReady) + " not yet: staying BACKUP");
        }
        // A member that became master by itself (continuing as master after a reload) takes the others along.
        String why = wanted != null ? "every member wants MASTER (" + member + ": " + wanted.reason() + ")"
                : member + " became MASTER: " + t.reason();
        List<String> toMove = members.stream().filter(n -> view.get(n).state() != VrrpState.MASTER).toList();
        return move(VrrpState.MASTER, toMove, why, now);
    }

    private Decision move(VrrpState to, List<String> who, String why, long now) {
        StateChange change = new StateChange(state, to, why, now);
        state = to;
        List<Order> orders = new ArrayList<>();
        for (String n : who) {
            orders.add(order(n, to, why));
        }
        return new Decision(orders, change, null);
    }

    private Order order(String member, VrrpState to, String why) {
        return new Order(member, new Event.SyncTo(to, "sync group " + name + ": " + why));
    }

    private List<String> others(String member) {
        return members.stream().filter(n -> !n.equals(member)).toList();
    }

    private static Action.Transition transition(List<Action> actions) {
        Action.Transition last = null;
        for (Action a : actions) {
            if (a instanceof Action.Transition t) {
                last = t;
            }
        }
        return last;
    }
}
