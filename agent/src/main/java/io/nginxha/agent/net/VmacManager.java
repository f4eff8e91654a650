package io.nginxha.agent.net;

/**
 * Makes and removes the macvlan interfaces of keepalived's use_vmac: one per instance, on the instance's interface,
 * with the VRRP virtual MAC, so that clients keep the VIP's neighbour entry across a failover. Failures are
 * results, never exceptions: the caller decides what an instance without its VMAC does.
 */
public interface VmacManager {

    /**
     * Makes the macvlan {@code name} on {@code base} with {@code mac} (private mode) and brings it up, with the
     * kernel settings a VMAC needs on it and on its base. A macvlan of that name that is there already (left by
     * an agent that did not stop cleanly) is removed and made again; an interface of that name that is not a
     * macvlan is left alone and the result is a failure.
     */
    Result create(String name, String base, byte[] mac);

    /**
     * The macvlan of an IPv6 instance, as keepalived 2.2.7 makes it (vrrp_vmac.c): IPv6 on, no address made by the
     * kernel from the virtual MAC (addrgenmode none: RFC 5798 7.4, adverts must not come from it), up, then the
     * link-local address adverts are sent from: {@code source} (unicast_src_ip) when given, else the base's own
     * link-local address, else the EUI-64 one of the base's MAC. None of the IPv4 ARP settings are made.
     * {@code withLinkLocal} false (vmac_xmit_base: adverts use the base) leaves the address out, as keepalived.
     */
    default Result createIpv6(String name, String base, byte[] mac, java.net.Inet6Address source,
                              boolean withLinkLocal) {
        return Result.failed("IPv6 VMACs are not supported by this agent");
    }

    /** Removes a macvlan {@link #create} made, and restores its base's settings; one that is gone already is fine. */
    Result delete(String name);

    /** What a change came to: ok, or why not. */
    record Result(boolean ok, String failure) {
        public static final Result OK = new Result(true, null);

        public static Result failed(String why) {
            return new Result(false, why);
        }
    }

    /** For agents that cannot have VMACs (tests without them): every create fails and says so. */
    VmacManager NONE = new VmacManager() {
        @Override
        public Result create(String name, String base, byte[] mac) {
            return Result.failed("this agent was started without VMAC support");
        }

        @Override
        public Result delete(String name) {
            return Result.OK;
        }
    };
}
