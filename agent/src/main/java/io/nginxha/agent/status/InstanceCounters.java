package io.nginxha.agent.status;

import io.nginxha.agent.vrrp.DropReason;
import java.util.EnumMap;
import java.util.Map;

/**
 * One instance's counters since start. Touched only by the agent's loop thread (the endpoint reads copies the
 * loop makes), so plain fields suffice.
 */
public final class InstanceCounters {
    private long advertsSent;
    private long advertsReceived;
    private long becameMaster;
    private long releasedMaster;
    private long transitions;
    private long priorityZeroSent;
    private long vipAddFailures;
    private long firewallFailures;
    private final Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);

    public void advertSent(int priority) {
        advertsSent++;
        if (priority == 0) {
            priorityZeroSent++;
        }
    }

    public void advertReceived() {
        advertsReceived++;
    }

    public void transition(io.nginxha.agent.vrrp.VrrpState from, io.nginxha.agent.vrrp.VrrpState to) {
        transitions++;
        if (to == io.nginxha.agent.vrrp.VrrpState.MASTER) {
            becameMaster++;
        } else if (from == io.nginxha.agent.vrrp.VrrpState.MASTER) {
            releasedMaster++;
        }
    }

    /** One attempt to add the instance's addresses that left at least one of them off the interface. */
    public void vipAddFailed() {
        vipAddFailures++;
    }

    /** One nft call for the instance's drop rules (accept mode off) that failed. */
    public void firewallFailed() {
        firewallFailures++;
    }

    public void dropped(DropReason reason) {
        drops.merge(reason, 1L, Long::sum);
    }

    /** An immutable copy, safe to hand to another thread. */
    public Counts snapshot() {
        return new Counts(advertsSent, advertsReceived, becameMaster, releasedMaster, transitions, priorityZeroSent,
                vipAddFailures, firewallFailures, Map.copyOf(drops));
    }

    /** Counter values at one moment. {@code drops} lacks the reasons never seen. */
    public record Counts(long advertsSent, long advertsReceived, long becameMaster, long releasedMaster,
                         long transitions, long priorityZeroSent, long vipAddFailures, long firewallFailures,
                         Map<DropReason, Long> drops) {
        public long drops(DropReason reason) {
            return drops.getOrDefault(reason, 0L);
        }
    }
}
