package io.nginxha.agent.vrrp;

import java.util.List;

/**
 * What a member does when its sync group moves it ({@link Event.SyncTo}), as keepalived 2.2.7's vrrp_sync.c moves
 * the other members of a group: kept beside {@link Instance} so the state machine stays one screen of states.
 */
final class SyncedMoves {
    private SyncedMoves() { }

    static void apply(Instance i, Event.SyncTo sync, long now, List<Action> actions) {
        VrrpState state = i.state();
        String reason = sync.reason();
        switch (sync.state()) {
            case MASTER -> {
                // vrrp_sync_master: vrrp_state_goto_master on every member not yet master.
                if (state == VrrpState.BACKUP) {
                    i.becomeMaster(reason, now, actions);
                }
            }
            case BACKUP -> {
                // vrrp_sync_backup: a master leaves without resigning (no priority 0: the peer group is taking
                // over already); a member the group held in FAULT comes back unless its own fault remains.
                if (state == VrrpState.MASTER) {
                    actions.add(new Action.RemoveVips());
                    i.enterBackup(reason, i.masterDownNanos(), now, actions);
                } else if (state == VrrpState.FAULT || state == VrrpState.INIT) {
                    i.syncHold(false);
                    if (state == VrrpState.FAULT && !i.ownFault()) {
                        i.enterBackup(reason, i.masterDownNanos(), now, actions);
                    }
                }
            }
            case FAULT -> {
                // vrrp_sync_fault: a master resigns with priority 0 so the peer group takes over fast.
                i.syncHold(true);
                if (state == VrrpState.MASTER) {
                    actions.add(new Action.SendAdvert(0));
                    actions.add(new Action.RemoveVips());
                }
                if (state == VrrpState.MASTER || state == VrrpState.BACKUP) {
                    i.disarmAll();
                    i.transition(VrrpState.FAULT, reason, now, actions);
                }
            }
            case INIT -> throw new IllegalArgumentException("a sync group never moves a member to INIT");
            default -> throw new AssertionError("no sync move to " + sync.state());
        }
    }
}
