package io.nginxha.agent.vrrp;

import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.VirtualAddress;
import java.net.InetAddress;
import java.util.List;

/**
 * A master's VIP removed by someone else ({@link Event.VipRemoved}), as keepalived 2.2.7 handles an RTM_DELADDR of
 * one (address_is_ours and set_vrrp_backup in keepalived_netlink.c): an address of its virtual_ipaddress or
 * virtual_ipaddress_excluded, on the interface the instance put it on, without {@code no_track}, makes a master
 * leave for BACKUP with priority 0 (vrrp_state_leave_master with advF) and take its other VIPs off, and its down
 * timer is the skew time only, "a quick transition back to master": alone on the LAN it is master again, with
 * every VIP, after skew time; with a live peer the peer takes over on the priority 0 advert. Anything else (a
 * backup, an address not its own, a no_track one) changes nothing.
 */
final class VipLoss {
    private VipLoss() { }

    static void apply(Instance i, InstanceConfig config, Event.VipRemoved removed, long now, List<Action> actions) {
        if (i.state() != VrrpState.MASTER || !tracked(config, removed.dev(), removed.address(), removed.prefix())) {
            return;
        }
        actions.add(new Action.SendAdvert(0));
        actions.add(new Action.RemoveVips());
        i.enterBackup("VIP " + removed.address().getHostAddress() + " was removed from " + removed.dev()
                + " by someone else", i.skewNanos(), now, actions);
    }

    /** True when {@code address/prefix} on {@code dev} is one of the instance's managed VIPs and not no_track. */
    static boolean tracked(InstanceConfig config, String dev, InetAddress address, int prefix) {
        for (VirtualAddress v : config.managedVips()) {
            if (v.address().equals(address) && v.prefix() == prefix && config.deviceOf(v).equals(dev)) {
                return !v.noTrack();
            }
        }
        return false;
    }
}
