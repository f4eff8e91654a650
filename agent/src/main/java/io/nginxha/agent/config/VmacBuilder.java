package io.nginxha.agent.config;

import java.nio.charset.StandardCharsets;

/**
 * Reads {@code use_vmac [NAME]} and {@code vmac_xmit_base} of one vrrp_instance into an {@link InstanceConfig.Vmac},
 * with keepalived 2.2.7's rules: the default name is {@code vrrp.VRID}; a name follows the kernel's rules for
 * interface names; unicast peers need adverts on the base interface, so keepalived turns vmac_xmit_base on there
 * (with a warning, as here). Where keepalived would carry on without the setting (a bad name, a MAC address of
 * one's own), the agent refuses: a VIP silently put on the base interface would defeat the operator's reason to
 * ask for a virtual MAC.
 */
final class VmacBuilder {
    /** IFNAMSIZ is 16 with the NUL: 15 bytes at most. */
    private static final int MAX_NAME_BYTES = 15;

    private final Values values;
    private final Problems problems;
    private Entry useVmac;
    private String name;
    private Entry xmitBase;

    VmacBuilder(Values values) {
        this.values = values;
        this.problems = values.problems();
    }

    /** True when {@code e} was one of the two keywords (read here). */
    boolean read(Entry e) {
        switch (e.key()) {
            case "use_vmac" -> useVmac(e);
            case "vmac_xmit_base" -> {
                if (values.noValue(e)) {
                    xmitBase = e;
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private void useVmac(Entry e) {
        if (e.block() != null) {
            problems.error(e.source(), "'use_vmac' takes an interface name, not a { } block");
            return;
        }
        useVmac = e;
        if (e.args().size() > 1) {
            problems.error(e.source(), "use_vmac takes at most an interface name in vrrp-agent, got '"
                    + String.join(" ", e.args()) + "'");
            return;
        }
        String arg = e.arg();
        if (arg == null) {
            return;
        }
        if (arg.contains(":")) {
            // keepalived reads a word with ':' as a MAC address (interface names cannot hold one)
            problems.error(e.source(), "use_vmac with a MAC address of its own ('" + arg + "') is not implemented; "
                    + "the agent uses the VRRP virtual MAC 00:00:5e:00:01:VRID, or 00:00:5e:00:02:VRID for IPv6 (remove the "
                    + "address)");
            return;
        }
        String invalid = invalidName(arg);
        if (invalid != null) {
            problems.error(e.source(), "use_vmac interface name '" + arg + "' " + invalid);
            return;
        }
        name = arg;
    }

    /** Why the kernel would refuse {@code n} as an interface name, or null. */
    static String invalidName(String n) {
        if (n.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return "is longer than " + MAX_NAME_BYTES + " bytes";
        }
        if (n.equals(".") || n.equals("..")) {
            return "is not a possible interface name";
        }
        for (char c : n.toCharArray()) {
            if (c == '/' || Character.isWhitespace(c)) {
                return "contains '" + c + "', which interface names cannot";
            }
        }
        return null;
    }

    /**
     * The instance's VMAC, or null without use_vmac. {@code iface} and {@code vrid} may be null when they are
     * missing (reported elsewhere).
     */
    InstanceConfig.Vmac build(String instance, String iface, Integer vrid, boolean unicast) {
        if (useVmac == null) {
            if (xmitBase != null) {
                problems.warn(xmitBase.source(), "vmac_xmit_base does nothing without use_vmac in vrrp_instance "
                        + instance + "; ignored");
            }
            return null;
        }
        String n = name != null ? name : vrid == null ? null : "vrrp." + vrid;
        if (n == null) {
            return null;
        }
        if (n.equals(iface)) {
            problems.error(useVmac.source(), "use_vmac interface name " + n + " is the interface of vrrp_instance "
                    + instance + " itself; the macvlan needs a name of its own");
            return null;
        }
        boolean base = xmitBase != null;
        if (unicast && !base) {
            problems.warn(useVmac.source(), "vrrp_instance " + instance + " has unicast peers: adverts are sent "
                    + "and received on " + iface + " (vmac_xmit_base), as keepalived does");
            base = true;
        }
        return new InstanceConfig.Vmac(n, base);
    }
}
