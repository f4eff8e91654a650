package io.nginxha.agent.net;

import io.nginxha.agent.config.FirewallConfig;
import java.net.InetAddress;
import java.util.Set;

/**
 * Drops traffic to the VIPs of masters without accept mode, as keepalived 2.2.7 does with its nftables tables
 * (vrrp_nftables.c). {@link #apply} is declarative: it makes the rules block exactly the addresses given, so a
 * caller that lost track (a failed call, a reload) puts things right by applying again what it wants.
 */
public interface Firewall {

    /**
     * One address to drop traffic to and from. {@code iface} matters for an IPv6 link-local address only, matched
     * with its interface, by name when {@code byName} (keepalived's vips_link_local_name) else by index.
     */
    record Blocked(InetAddress address, String iface, boolean byName) { }

    /** What a call did: {@code ok}, or why not (nft's own message); the rules are then as before the call. */
    record Result(boolean ok, String detail) {
        public static final Result OK = new Result(true, "");

        public static Result failed(String detail) {
            return new Result(false, detail);
        }
    }

    /** Makes the tables of {@code config} drop exactly {@code blocked}; none removes the tables. */
    Result apply(FirewallConfig config, Set<Blocked> blocked);

    /** For an agent with no firewall edge (tests): every call fails, so no instance runs as if it had rules. */
    Firewall NONE = (config, blocked) -> blocked.isEmpty() ? Result.OK
            : Result.failed("no firewall edge in this agent");
}
