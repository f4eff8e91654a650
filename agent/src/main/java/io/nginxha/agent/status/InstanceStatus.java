package io.nginxha.agent.status;

import io.nginxha.agent.vrrp.VrrpState;
import java.util.List;

/**
 * What {@code /status} and {@code /metrics} show of one instance, copied on the agent's loop.
 *
 * @param name                   instance name
 * @param iface                  interface it advertises on
 * @param vrid                   virtual router id
 * @param state                  current state
 * @param basePriority           configured priority
 * @param effectivePriority      priority after tracking
 * @param masterAddress          the master's address (ours while master), null when none heard yet
 * @param vips                   configured VIPs, {@code addr/prefix}
 * @param vipsHeld               whether this host holds them now
 * @param lastTransitionEpochMs  wall-clock time of the last transition, 0 if none
 * @param lastTransitionFrom     state before it, null if none
 * @param lastTransitionReason   why it happened, null if none
 * @param trackedScripts         names of the vrrp_scripts it tracks (their results come from a {@link CheckReporter})
 * @param counts                 counters since start
 * @param syncGroup              the vrrp_sync_group it is a member of, null when none
 */
public record InstanceStatus(String name, String iface, int vrid, VrrpState state, int basePriority,
                             int effectivePriority, String masterAddress, List<String> vips, boolean vipsHeld,
                             long lastTransitionEpochMs, VrrpState lastTransitionFrom, String lastTransitionReason,
                             List<String> trackedScripts, InstanceCounters.Counts counts, String syncGroup) {
    public InstanceStatus {
        vips = List.copyOf(vips);
        trackedScripts = List.copyOf(trackedScripts);
    }

    /** Not in a sync group. */
    public InstanceStatus(String name, String iface, int vrid, VrrpState state, int basePriority,
                          int effectivePriority, String masterAddress, List<String> vips, boolean vipsHeld,
                          long lastTransitionEpochMs, VrrpState lastTransitionFrom, String lastTransitionReason,
                          List<String> trackedScripts, InstanceCounters.Counts counts) {
        this(name, iface, vrid, state, basePriority, effectivePriority, masterAddress, vips, vipsHeld,
                lastTransitionEpochMs, lastTransitionFrom, lastTransitionReason, trackedScripts, counts, null);
    }
}
