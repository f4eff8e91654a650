package io.nginxha.agent.config;

import java.util.List;

/**
 * keepalived's notify scripts; each is a command line split into words, or empty when not set.
 *
 * @param priorityChanges notify_priority_changes: whether changes of the effective priority go to the notify FIFOs
 *                        (MASTER_PRIORITY / BACKUP_PRIORITY lines); null when not written, so the sync group's and
 *                        then global_defs' vrrp_notify_priority_changes apply, as in keepalived (vrrp.c)
 */
public record NotifyConfig(List<String> master, List<String> backup, List<String> fault, List<String> stop,
                           List<String> any, boolean smtpAlert, Boolean priorityChanges) {
    public static final NotifyConfig NONE = new NotifyConfig(List.of(), List.of(), List.of(), List.of(), List.of(), false);

    public NotifyConfig {
        master = List.copyOf(master);
        backup = List.copyOf(backup);
        fault = List.copyOf(fault);
        stop = List.copyOf(stop);
        any = List.copyOf(any);
    }

    /** Without notify_priority_changes, the shape callers had before it was added. */
    public NotifyConfig(List<String> master, List<String> backup, List<String> fault, List<String> stop,
                        List<String> any, boolean smtpAlert) {
        this(master, backup, fault, stop, any, smtpAlert, null);
    }

    /**
     * Whether {@code instance}'s priority changes are written to the FIFOs: its own notify_priority_changes, else
     * its sync group's, else vrrp_notify_priority_changes (keepalived vrrp_complete_instance).
     */
    public static boolean priorityChanges(AgentConfig config, InstanceConfig instance) {
        if (instance.notifications().priorityChanges() != null) {
            return instance.notifications().priorityChanges();
        }
        SyncGroupConfig group = config.syncGroupOf(instance.name());
        if (group != null && group.notifications().priorityChanges() != null) {
            return group.notifications().priorityChanges();
        }
        return config.global().fifos().priorityChanges();
    }
}
