package io.nginxha.agent.status;

import io.nginxha.agent.vrrp.DropReason;
import java.util.List;
import java.util.Map;

/**
 * The whole agent at one moment: its instances, drops that could not be tied to an instance, and the checks.
 *
 * @param routerId      global router_id
 * @param startedEpochMs when the agent started
 * @param instances     per instance
 * @param unattributedDrops adverts dropped before an instance could be found (unknown VRID, undecodable)
 * @param checks        latest check results by script name
 * @param loopLag       how late the loop acted on its timers and inputs, since start
 * @param announce      the vip_announce groups
 */
public record AgentStatus(String routerId, long startedEpochMs, List<InstanceStatus> instances,
                          Map<DropReason, Long> unattributedDrops, Map<String, CheckReporter.CheckResult> checks,
                          LoopLagStatus loopLag, List<AnnounceStatus> announce) {
    public AgentStatus {
        loopLag = loopLag == null ? LoopLagStatus.NONE : loopLag;
        announce = announce == null ? List.of() : List.copyOf(announce);
        instances = List.copyOf(instances);
        unattributedDrops = Map.copyOf(unattributedDrops);
        checks = Map.copyOf(checks);
    }

    /** Without announce groups (the loop adds them with {@link #withAnnounce}). */
    public AgentStatus(String routerId, long startedEpochMs, List<InstanceStatus> instances,
                       Map<DropReason, Long> unattributedDrops, Map<String, CheckReporter.CheckResult> checks,
                       LoopLagStatus loopLag) {
        this(routerId, startedEpochMs, instances, unattributedDrops, checks, loopLag, List.of());
    }

    /** Without a loop-lag histogram or announce groups (tests, and status made outside the loop). */
    public AgentStatus(String routerId, long startedEpochMs, List<InstanceStatus> instances,
                       Map<DropReason, Long> unattributedDrops, Map<String, CheckReporter.CheckResult> checks) {
        this(routerId, startedEpochMs, instances, unattributedDrops, checks, LoopLagStatus.NONE, List.of());
    }

    public AgentStatus withChecks(Map<String, CheckReporter.CheckResult> latest) {
        return new AgentStatus(routerId, startedEpochMs, instances, unattributedDrops, latest, loopLag, announce);
    }

    public AgentStatus withAnnounce(List<AnnounceStatus> groups) {
        return new AgentStatus(routerId, startedEpochMs, instances, unattributedDrops, checks, loopLag, groups);
    }
}
