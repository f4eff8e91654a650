package io.nginxha.agent.config;

import java.util.List;
import java.util.Map;

/**
 * keepalived's notify scripts; each is a command line split into words, or empty when not set.
 *
 * @param priorityChanges notify_priority_changes: whether changes of the effective priority go to the notify FIFOs
 *                        (MASTER_PRIORITY / BACKUP_PRIORITY lines); null when not written, so the sync group's and
 *                        then global_defs' vrrp_notify_priority_changes apply, as in keepalived (vrrp.c)
 * @param users           the user[:group] a script runs as, by its keyword ({@code notify_master /x.sh USER GROUP});
 *                        a script not named here runs as script_user
 * @param deleted         notify_deleted: an instance a reload removes is notified as DELETED (and this script, if
 *                        any, runs) instead of keepalived's default, FAULT; null when not written
 * @param masterRxLowerPri notify_master_rx_lower_pri: run when, as master, the instance hears a lower priority's
 *                        advert (a router that became master through a partition); empty for none
 */
public record NotifyConfig(List<String> master, List<String> backup, List<String> fault, List<String> stop,
                           List<String> any, boolean smtpAlert, Boolean priorityChanges, Map<String, String> users,
                           List<String> deleted, List<String> masterRxLowerPri) {
    public static final NotifyConfig NONE = new NotifyConfig(List.of(), List.of(), List.of(), List.of(), List.of(), false);

    public NotifyConfig {
        master = List.copyOf(master);
        backup = List.copyOf(backup);
        fault = List.copyOf(fault);
        stop = List.copyOf(stop);
        any = List.copyOf(any);
        users = users == null ? Map.of() : Map.copyOf(users);
        deleted = deleted == null ? null : List.copyOf(deleted);
        masterRxLowerPri = masterRxLowerPri == null ? List.of() : List.copyOf(masterRxLowerPri);
    }

    /** Without notify_deleted and notify_master_rx_lower_pri, the shape callers had before they were added. */
    public NotifyConfig(List<String> master, List<String> backup, List<String> fault, List<String> stop,
                        List<String> any, boolean smtpAlert, Boolean priorityChanges, Map<String, String> users) {
        this(master, backup, fault, stop, any, smtpAlert, priorityChanges, users, null, List.of());
    }

    /** Without per-script users, the shape callers had before they were added. */
    public NotifyConfig(List<String> master, List<String> backup, List<String> fault, List<String> stop,
                        List<String> any, boolean smtpAlert, Boolean priorityChanges) {
        this(master, backup, fault, stop, any, smtpAlert, priorityChanges, Map.of());
    }

    /** The user[:group] the script of {@code keyword} (notify_master...) runs as; null for script_user. */
    public String userOf(String keyword) {
        return users.get(keyword);
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
