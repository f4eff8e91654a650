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
