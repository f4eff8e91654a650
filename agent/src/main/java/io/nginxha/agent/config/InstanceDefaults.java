package io.nginxha.agent.config;

/**
 * The global_defs switches that are defaults of every vrrp_instance (keepalived copies them into each instance
 * that does not set its own).
 *
 * @param strict           vrrp_strict: the instances' strict_mode
 * @param skipCheckAdvAddr vrrp_skip_check_adv_addr: the instances' skip_check_adv_addr
 * @param lowerPrioNoAdvert vrrp_lower_prio_no_advert: the instances' lower_prio_no_advert
 */
public record InstanceDefaults(boolean strict, boolean skipCheckAdvAddr, boolean lowerPrioNoAdvert) {
    public static final InstanceDefaults DEFAULTS = new InstanceDefaults(false, false, false);
}
