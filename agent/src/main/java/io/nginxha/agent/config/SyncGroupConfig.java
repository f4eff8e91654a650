package io.nginxha.agent.config;

import java.util.List;

/**
 * One {@code vrrp_sync_group}: instances that change state together. Its track_script, track_interface and
 * track_file are not kept here: the loader adds them to every member (as keepalived does), so they are in the
 * members' {@link InstanceConfig}s.
 *
 * @param name          group name
 * @param members       names of its vrrp_instances, as written in {@code group { }}
 * @param notifications the group's notify_master/backup/fault/stop (run as written) and notify (run with
 *                      {@code GROUP NAME STATE 0} appended), and smtp_alert
 * @param source        where the group was declared
 */
public record SyncGroupConfig(String name, List<String> members, NotifyConfig notifications, Source source) {
    public SyncGroupConfig {
        members = List.copyOf(members);
    }
}
