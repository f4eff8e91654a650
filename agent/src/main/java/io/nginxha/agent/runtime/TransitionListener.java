package io.nginxha.agent.runtime;

import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.vrrp.VrrpState;

/** Told of each state change on the loop's thread; must return quickly (notifications queue their work). */
@FunctionalInterface
public interface TransitionListener {
    void changed(InstanceConfig instance, VrrpState from, VrrpState to, int effectivePriority, String reason);

    /** The effective priority changed (the notify FIFOs' MASTER_PRIORITY / BACKUP_PRIORITY). */
    default void priorityChanged(InstanceConfig instance, VrrpState state, int effectivePriority) { }

    /** As master, heard a lower priority's advert (MASTER_RX_LOWER_PRI). */
    default void lowerPriorityMaster(InstanceConfig instance, int effectivePriority) { }

    /** A reload removed the instance, which was in {@code state} (keepalived's DELETED, by default FAULT). */
    default void deleted(InstanceConfig instance, VrrpState state, int effectivePriority) { }
}
