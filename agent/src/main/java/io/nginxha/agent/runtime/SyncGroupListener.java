package io.nginxha.agent.runtime;

import io.nginxha.agent.config.SyncGroupConfig;
import io.nginxha.agent.vrrp.VrrpState;

/** Told of each change of a vrrp_sync_group's state, on the loop's thread; must return quickly. */
@FunctionalInterface
public interface SyncGroupListener {
    void changed(SyncGroupConfig group, VrrpState from, VrrpState to, String reason);
}
