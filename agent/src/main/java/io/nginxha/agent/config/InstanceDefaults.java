package io.nginxha.agent.config;

/**
 * The global_defs switches that are defaults of every vrrp_instance (keepalived copies them into each instance
 * that does not set its own).
 *
 * @param strict           vrrp_strict: the instances' strict_mode
 * @param skipCheckAdvAddr vrrp_skip_check_adv_addr: the instances' skip_check_adv_addr
 * @param lowerPrioNoAdvert vrrp_lower_prio_no_advert: the instances' lower_prio_no_advert
 * @param mcastGroup4      vrrp_mcast_group4, null for 224.0.0.18
 * @param mcastGroup6      vrrp_mcast_group6, null for ff02::12
 */
public record InstanceDefaults(boolean strict, boolean skipCheckAdvAddr, boolean lowerPrioNoAdvert,
                               java.net.InetAddress mcastGroup4, java.net.InetAddress mcastGroup6) {
    public static final InstanceDefaults DEFAULTS = new InstanceDefaults(false, false, false);

    public InstanceDefaults(boolean strict, boolean skipCheckAdvAddr, boolean lowerPrioNoAdvert) {
        this(strict, skipCheckAdvAddr, lowerPrioNoAdvert, null, null);
    }
}
