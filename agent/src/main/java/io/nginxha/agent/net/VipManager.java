package io.nginxha.agent.net;

import io.nginxha.agent.config.VirtualAddress;
import java.net.InetAddress;
import java.util.List;

/**
 * Puts virtual addresses on interfaces and takes them off. Both are idempotent: adding an address that is
 * there, or removing one that is not, succeeds.
 */
public interface VipManager {

    /** @return false if the address could not be added (the reason is logged) */
    boolean add(String dev, InetAddress address, int prefix, String label);

    /**
     * Adds {@code vip} with its keepalived options (brd, scope, preferred_lft). Managers that cannot set them
     * add the plain address; the netlink one sends them.
     */
    default boolean add(String dev, VirtualAddress vip) {
        return add(dev, vip.address(), vip.prefix(), vip.label());
    }

    /** @return false if the address could not be removed (the reason is logged) */
    boolean remove(String dev, InetAddress address, int prefix);

    /** The addresses on {@code dev} now, primary and secondary, IPv4 and IPv6. */
    List<Assigned> list(String dev);

    /** An address as the kernel has it. */
    record Assigned(InetAddress address, int prefix, String label) { }
}
