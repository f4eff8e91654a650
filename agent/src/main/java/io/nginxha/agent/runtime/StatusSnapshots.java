package io.nginxha.agent.runtime;

import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.status.AgentStatus;
import io.nginxha.agent.status.InstanceStatus;
import io.nginxha.agent.status.LoopLagStatus;
import io.nginxha.agent.vrrp.DropReason;
import io.nginxha.agent.vrrp.Instance;
import io.nginxha.agent.vrrp.StateChange;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Copies the loop's routers into the immutable {@link AgentStatus} the endpoint renders; runs on the loop. */
final class StatusSnapshots {
    private StatusSnapshots() { }

    static AgentStatus of(Collection<Router> routers, Function<String, String> syncGroupOf, String routerId, long startedEpochMs,
                          Map<DropReason, Long> unattributedDrops, LoopLagStatus loopLag, long nowNanos) {
        long wallNow = System.currentTimeMillis();
        List<InstanceStatus> out = new ArrayList<>();
        for (Router router : routers) {
            Instance i = router.instance();
            InstanceConfig c = router.config();
            StateChange last = i.lastTransition().orElse(null);
            out.add(new InstanceStatus(c.name(), c.iface(), c.vrid(), c.wireId().family().toString(), i.state(), c.priority(), i.effectivePriority(),
                    i.masterAddress().map(InetAddress::getHostAddress).orElse(null),
                    c.vips().stream().map(v -> v.address().getHostAddress() + "/" + v.prefix()).toList(),
                    router.vipsHeld(),
                    last == null ? 0 : wallNow - TimeUnit.NANOSECONDS.toMillis(nowNanos - last.atNanos()),
                    last == null ? null : last.from(), last == null ? null : last.reason(),
                    c.trackScripts().stream().map(InstanceConfig.Tracked::name).toList(),
                    router.counters().snapshot(), syncGroupOf.apply(c.name())));
        }
        return new AgentStatus(routerId, startedEpochMs, out, unattributedDrops, Map.of(), loopLag);
    }
}
