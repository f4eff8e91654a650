package io.nginxha.agent.notify;

import io.nginxha.agent.vrrp.VrrpState;

/**
 * The lines keepalived 2.2.7 writes to its notify FIFOs (vrrp_notify.c notify_fifo): {@code TYPE "NAME" STATE
 * PRIORITY} and a newline, TYPE being INSTANCE or GROUP (a group's priority is always 0), STATE one of MASTER,
 * BACKUP, FAULT, STOP, or for an instance the events MASTER_RX_LOWER_PRI (a master heard a lower priority's
 * advert), MASTER_PRIORITY and BACKUP_PRIORITY (its effective priority changed, with notify_priority_changes).
 */
final class FifoLines {
    private FifoLines() { }

    static String instance(String name, VrrpState state, int priority) {
        return line("INSTANCE", name, Notifier.word(state), priority);
    }

    static String group(String name, VrrpState state) {
        return line("GROUP", name, Notifier.word(state), 0);
    }

    /** keepalived send_instance_priority_notifies: MASTER_PRIORITY in MASTER, BACKUP_PRIORITY in any other state. */
    static String priority(String name, VrrpState state, int priority) {
        return line("INSTANCE", name, state == VrrpState.MASTER ? "MASTER_PRIORITY" : "BACKUP_PRIORITY", priority);
    }

    static String lowerPriorityMaster(String name, int priority) {
        return line("INSTANCE", name, "MASTER_RX_LOWER_PRI", priority);
    }

    static String line(String type, String name, String state, int priority) {
        return type + " \"" + name + "\" " + state + " " + priority + "\n";
    }
}
