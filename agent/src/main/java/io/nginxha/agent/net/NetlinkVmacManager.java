package io.nginxha.agent.net;

import io.nginxha.agent.net.NetlinkSocket.NetlinkException;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.NetworkInterface;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link VmacManager} over rtnetlink and /proc/sys, with keepalived 2.2.7's kernel settings (vrrp_if_config.c):
 * on the macvlan arp_ignore=1 (answer ARP only for its own addresses: the VIPs), accept_local=1 (hear a peer's
 * adverts), rp_filter=0 (receive on an interface without an address of its own) and promote_secondaries=1; on the
 * base arp_ignore=1 and arp_filter=1 (the base must not answer for the VIPs with its own MAC) and arp_announce=2
 * (see {@link #ON_BASE}), remembered and
 * restored when its last macvlan goes. IPv6 is turned off on the macvlan before it comes up: an IPv4 VMAC must
 * not send router or neighbour solicitations or MLD reports from the virtual MAC on the backup too (keepalived
 * does the same). It is brought up with allmulticast, so it hears 224.0.0.18 without the agent joining the group:
 * a join would send IGMP reports from the virtual MAC on every host, and the switch would follow the backup's.
 * While any IPv4 macvlan is there, net.ipv4.conf.all.rp_filter is 0 as keepalived has it ({@link RpFilter}).
 * An IPv6 macvlan ({@link #createIpv6}) gets keepalived's IPv6 steps instead and none of the ARP settings.
 */
public final class NetlinkVmacManager implements VmacManager {
    private static final Logger log = LoggerFactory.getLogger(NetlinkVmacManager.class);
    private static final int ENODEV = 19;
    private static final Map<String, Integer> ON_VMAC = settings("arp_ignore", 1, "accept_local", 1,
            "rp_filter", 0, "promote_secondaries", 1);
    /**
     * keepalived's two, and arp_announce=2, which keepalived does not set: the master's replies to a client leave
     * by the base (the route to the client is there), and when the base asks ARP for the client it would give the
     * VIP as its sender with the base's MAC, which moves the client's entry for the VIP off the virtual MAC (seen
     * in the lab). With 2 the base asks with its own address.
     */
    private static final Map<String, Integer> ON_BASE = settings("arp_ignore", 1, "arp_filter", 1,
            "arp_announce", 2);

    private final NetlinkVipManager.Opener opener;
    private final Sysctls sysctls;
    private final RpFilter rpFilter;
    /** The IPv4 macvlans, which need all.rp_filter=0 while any is there. */
    private final java.util.Set<String> ipv4 = new java.util.HashSet<>();
    private NetlinkSocket socket;
    /** Macvlans made, by name, with their base. */
    private final Map<String, String> made = new LinkedHashMap<>();
    /** The base's settings before its first macvlan, to restore after its last. */
    private final Map<String, Map<String, Integer>> savedBase = new HashMap<>();

    public NetlinkVmacManager() {
        this(NetlinkSocket::open, Sysctls.PROC);
    }

    NetlinkVmacManager(NetlinkVipManager.Opener opener, Sysctls sysctls) {
        this.opener = opener;
        this.sysctls = sysctls;
        this.rpFilter = new RpFilter(sysctls);
    }

    @Override
    public synchronized Result create(String name, String base, byte[] mac) {
        return make(name, base, mac, (s, vmac) -> {
            String why = configure(name, base);
            if (why == null) {
                up(s, vmac);
            }
            return why;
        });
    }

    /**
     * keepalived's order for IPv6 (netlink_link_add_vmac): disable_ipv6=0, addrgenmode none, up, then the
     * link-local address (NODAD, /64). No ARP settings: they are IPv4's.
     */
    @Override
    public synchronized Result createIpv6(String name, String base, byte[] mac, Inet6Address source,
                                          boolean withLinkLocal) {
        return make(name, base, mac, (s, vmac) -> {
            try {
                if (sysctls.read("net/ipv6/conf/" + name + "/disable_ipv6") == null) {
                    return "the kernel has no IPv6 on " + name + " (net.ipv6.conf." + name + ".disable_ipv6 is "
                            + "missing)";
                }
                sysctls.write("net/ipv6/conf/" + name + "/disable_ipv6", 0);
            } catch (IOException e) {
                return "turning IPv6 on for the macvlan " + name + " failed: " + e.getMessage()
                        + " (the agent needs /proc/sys/net writable: see vrrp-agent.service)";
            }
            s.request(VmacMessages.addrGenModeNone(s.nextSequence(), vmac.index()),
                    "turning address generation off on " + name);
            up(s, vmac);
            if (withLinkLocal) {
                VmacMessages.LinkInfo baseLink = link(s, base);
                Inet6Address ll = VmacLinkLocal.choose(source, baseLinkLocal(base),
                        baseLink == null ? null : baseLink.mac());
                s.request(NetlinkMessages.address(NetlinkMessages.RTM_NEWADDR, s.nextSequence(), vmac.index(), ll,
                        64, null), "adding " + ll.getHostAddress() + " to " + name);
                log.info("{}: link-local {} for adverts", name, ll.getHostAddress());
            }
            return null;
        });
    }

    /** The family's part of making a VMAC once the macvlan exists: null when done, else why not. */
    private interface Setup {
        String apply(NetlinkSocket s, VmacMessages.LinkInfo vmac) throws IOException;
    }

    private Result make(String name, String base, byte[] mac, Setup setup) {
        try {
            NetlinkSocket s = socket();
            VmacMessages.LinkInfo baseLink = link(s, base);
            if (baseLink == null) {
                return Result.failed("no interface " + base + " to put the macvlan " + name + " on");
            }
            VmacMessages.LinkInfo existing = link(s, name);
            if (existing != null && !existing.isMacvlan()) {
                return Result.failed("interface " + name + " exists and is not a macvlan ("
                        + (existing.kind() == null ? "a device" : existing.kind()) + "); the agent leaves it alone");
            }
            if (existing != null) {
                log.warn("{}: removing the macvlan left by an agent that did not stop cleanly, to make it anew",
                        name);
                s.request(VmacMessages.deleteLink(s.nextSequence(), existing.index()), "removing " + name);
            }
            s.request(VmacMessages.newMacvlan(s.nextSequence(), baseLink.index(), name, mac), "creating " + name);
            made.put(name, base);
            VmacMessages.LinkInfo vmac = link(s, name);
            if (vmac == null) {
                return Result.failed("the macvlan " + name + " vanished right after it was made");
            }
            String why = setup.apply(s, vmac);
            if (why != null) {
                delete(name);
                return Result.failed(why);
            }
            log.info("{}: macvlan on {} with MAC {} is up", name, base, Macs.format(mac));
            return Result.OK;
        } catch (IOException e) {
            if (made.containsKey(name)) {
                delete(name);
            }
            return Result.failed("making the macvlan " + name + " on " + base + " failed: " + e.getMessage());
        }
    }

    private static void up(NetlinkSocket s, VmacMessages.LinkInfo vmac) throws IOException {
        int flags = NetlinkMessages.IFF_UP | VmacMessages.IFF_ALLMULTI;
        s.request(VmacMessages.setFlags(s.nextSequence(), vmac.index(), flags, flags),
                "bringing " + vmac.name() + " up");
    }

    /** The base's own link-local address, or null when it has none. */
    private static Inet6Address baseLinkLocal(String base) throws IOException {
        NetworkInterface nic = NetworkInterface.getByName(base);
        if (nic == null) {
            return null;
        }
        return nic.inetAddresses().filter(a -> a instanceof Inet6Address && a.isLinkLocalAddress())
                .map(a -> (Inet6Address) a).findFirst().orElse(null);
    }

    /** The kernel settings, or why they could not be made. */
    private String configure(String name, String base) {
        try {
            ipv4.add(name);
            rpFilter.clear(); // before the macvlan's own rp_filter=0, which needs all.rp_filter=0 to count
            // no IPv6 on an IPv4 VMAC; a kernel without IPv6 has nothing to turn off
            if (sysctls.read("net/ipv6/conf/" + name + "/disable_ipv6") != null) {
                sysctls.write("net/ipv6/conf/" + name + "/disable_ipv6", 1);
            }
            for (var e : ON_VMAC.entrySet()) {
                sysctls.write(ipv4(name, e.getKey()), e.getValue());
            }
            if (!savedBase.containsKey(base)) {
                Map<String, Integer> before = new LinkedHashMap<>();
                for (String key : ON_BASE.keySet()) {
                    before.put(key, sysctls.read(ipv4(base, key)));
                }
                savedBase.put(base, before);
                for (var e : ON_BASE.entrySet()) {
                    if (!e.getValue().equals(before.get(e.getKey()))) {
                        sysctls.write(ipv4(base, e.getKey()), e.getValue());
                    }
                }
            }
            return null;
        } catch (IOException e) {
            return "setting the kernel's ARP settings for the macvlan " + name + " failed: " + e.getMessage()
                    + " (the agent needs /proc/sys/net writable: see vrrp-agent.service)";
        }
    }

    @Override
    public synchronized Result delete(String name) {
        String base = made.remove(name);
        Result out = Result.OK;
        try {
            NetlinkSocket s = socket();
            VmacMessages.LinkInfo link = link(s, name);
            if (link != null && link.isMacvlan()) {
                s.request(VmacMessages.deleteLink(s.nextSequence(), link.index()), "removing " + name);
                log.info("{}: macvlan removed", name);
            }
        } catch (IOException e) {
            out = Result.failed("removing the macvlan " + name + " failed: " + e.getMessage());
        }
        if (base != null && !made.containsValue(base)) {
            restore(base);
        }
        if (ipv4.remove(name) && ipv4.isEmpty()) {
            rpFilter.restore();
        }
        return out;
    }

    private void restore(String base) {
        Map<String, Integer> before = savedBase.remove(base);
        if (before == null) {
            return;
        }
        for (var e : before.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            try {
                sysctls.write(ipv4(base, e.getKey()), e.getValue());
            } catch (IOException ex) {
                log.warn("{}: restoring {} to {} failed: {}", base, e.getKey(), e.getValue(), ex.getMessage());
            }
        }
    }

    /** The link by name, or null when there is none. */
    private static VmacMessages.LinkInfo link(NetlinkSocket s, String name) throws IOException {
        List<NetlinkMessages.Message> reply;
        try {
            reply = s.request(NetlinkMessages.linkByName(s.nextSequence(), name), "looking up " + name);
        } catch (NetlinkException e) {
            if (e.errno() == ENODEV) {
                return null;
            }
            throw e;
        }
        if (reply.isEmpty() || reply.get(0).type() != NetlinkMessages.RTM_NEWLINK) {
            throw new IOException("looking up " + name + ": no answer");
        }
        return VmacMessages.linkInfo(reply.get(0));
    }

    private static String ipv4(String dev, String key) {
        return "net/ipv4/conf/" + dev + "/" + key;
    }

    private NetlinkSocket socket() throws IOException {
        if (socket == null) {
            socket = opener.open();
        }
        return socket;
    }

    private static Map<String, Integer> settings(Object... pairs) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], (Integer) pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(out);
    }
}
