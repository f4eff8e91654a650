package io.nginxha.agent.config;

/**
 * An instance's protocol switches, resolved as keepalived 2.2.7 resolves them in vrrp_complete_instance (strict
 * mode forces several of them; {@link StrictRules}).
 *
 * @param strict               strict_mode (or vrrp_strict): RFC 3768/5798 behaviour only
 * @param accept               accept mode: a master that is not the address owner accepts traffic to its VIPs;
 *                             off (no_accept, or strict mode without 'accept') means drop rules while master
 * @param higherPrioSendAdvert a master stepping down for a higher priority sends adverts as it goes (the agent's
 *                             default; strict mode clears it)
 * @param lowerPrioNoAdvert    a master hearing a lower priority does not answer with an advert (strict sets it)
 * @param skipCheckAdvAddr     a backup does not check the addresses of adverts from the master it already follows
 * @param mcastGroup           the multicast group of its adverts (mcast_dst_ip, else vrrp_mcast_group4/6); null
 *                             for the family's VRRP group, 224.0.0.18 or ff02::12
 * @param promoteSecondaries   promote_secondaries: the interface's setting of that name is on while it runs
 */
public record VrrpOptions(boolean strict, boolean accept, boolean higherPrioSendAdvert, boolean lowerPrioNoAdvert,
                          boolean skipCheckAdvAddr, java.net.InetAddress mcastGroup, boolean promoteSecondaries) {
    /** keepalived's defaults outside strict mode (with the agent's step-down adverts). */
    public static final VrrpOptions DEFAULTS = new VrrpOptions(false, true, true, false, false);

    /** In the family's own VRRP group. */
    public VrrpOptions(boolean strict, boolean accept, boolean higherPrioSendAdvert, boolean lowerPrioNoAdvert,
                       boolean skipCheckAdvAddr) {
        this(strict, accept, higherPrioSendAdvert, lowerPrioNoAdvert, skipCheckAdvAddr, null, false);
    }

    public VrrpOptions(boolean strict, boolean accept, boolean higherPrioSendAdvert, boolean lowerPrioNoAdvert,
                       boolean skipCheckAdvAddr, java.net.InetAddress mcastGroup) {
        this(strict, accept, higherPrioSendAdvert, lowerPrioNoAdvert, skipCheckAdvAddr, mcastGroup, false);
    }

    public VrrpOptions withAccept(boolean value) {
        return new VrrpOptions(strict, value, higherPrioSendAdvert, lowerPrioNoAdvert, skipCheckAdvAddr, mcastGroup,
                promoteSecondaries);
    }

    public VrrpOptions withMcastGroup(java.net.InetAddress group) {
        return new VrrpOptions(strict, accept, higherPrioSendAdvert, lowerPrioNoAdvert, skipCheckAdvAddr, group,
                promoteSecondaries);
    }

    public VrrpOptions withPromoteSecondaries(boolean value) {
        return new VrrpOptions(strict, accept, higherPrioSendAdvert, lowerPrioNoAdvert, skipCheckAdvAddr, mcastGroup,
                value);
    }
}
