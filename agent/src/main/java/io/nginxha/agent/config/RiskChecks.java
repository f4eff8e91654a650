package io.nginxha.agent.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Warnings for settings that are legal but risky, found by {@code check-config} (the loader's own warnings come
 * first). They look at the host too (interfaces, file modes), so they are not part of loading: the agent must
 * start the same way whatever the host looks like at check time.
 */
public final class RiskChecks {
    /** keepalived's sample password, left in many production configs. */
    static final String SAMPLE_PASSWORD = "1111";

    private RiskChecks() { }

    /** Warnings about one host's config, each {@code file:line: message}. */
    public static List<String> of(AgentConfig config) {
        List<String> out = new ArrayList<>();
        Set<Path> filesWithPassword = new LinkedHashSet<>();
        for (InstanceConfig i : config.instances()) {
            if (SAMPLE_PASSWORD.equals(i.authPass())) {
                out.add(i.source() + ": vrrp_instance " + i.name() + " uses auth_pass 1111, keepalived's sample "
                        + "password; any host on the LAN can guess it");
            }
            if (i.authPass() != null) {
                filesWithPassword.add(i.source().file());
            }
            if (family(i) && i.unicastSrc() == null && interfaceWithoutLinkLocal(i.iface())) {
                out.add(i.source() + ": vrrp_instance " + i.name() + " is IPv6, but " + i.iface() + " has no IPv6 "
                        + "link-local address, the source of IPv6 adverts: the agent cannot start it (IPv6 off on "
                        + i.iface() + "?)");
            }
            if (family(i) && i.unicastPeers().isEmpty() && !i.vips().get(0).address().isLinkLocalAddress()) {
                VirtualAddress first = i.vips().get(0);
                out.add(first.source() + ": the first IPv6 VIP of vrrp_instance " + i.name() + " ("
                        + first.address().getHostAddress() + ") is not link-local; RFC 5798 5.2.9 wants the "
                        + "link-local address first, keepalived logs the same (as a configuration error with strict_mode, yet runs it)");
            }
            for (VirtualAddress vip : i.vips()) {
                String dev = i.deviceOf(vip);
                String subnets = subnetsIfOutside(dev, vip.address());
                if (subnets != null) {
                    out.add(vip.source() + ": VIP " + vip.address().getHostAddress() + " of vrrp_instance " + i.name()
                            + " is outside the subnets of " + dev + " (" + subnets + "); clients on " + dev
                            + " will not reach it without a route");
                }
            }
        }
        InstanceConfig dropping = config.instances().stream().filter(InstanceConfig::dropsTrafficToVips).findFirst()
                .orElse(null);
        if (dropping != null && findOnPath("nft", System.getenv("PATH")) == null) {
            out.add(dropping.source() + ": vrrp_instance " + dropping.name() + " has accept mode off (no_accept or "
                    + "strict mode), whose drop rules need nft, which is not on this host's PATH (install the "
                    + "nftables package): without it the instance cannot hold its VIPs (it goes to FAULT)");
        }
        for (TrackFileConfig f : config.trackFiles().values()) {
            Path dir = Path.of(f.path()).getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                out.add(f.source() + ": the directory " + dir + " of track_file " + f.name() + " does not exist on "
                        + "this host; the file cannot be watched and reads as 0");
            }
        }
        for (Path file : filesWithPassword) {
            if (readableByOthers(file)) {
                out.add(file + ":1: holds an auth_pass yet is readable by other users; chmod o-r " + file);
            }
        }
        return out;
    }

    /**
     * Compares this host's config with its peer's: instances pair up by VRID (interface names may differ between
     * hosts). Equal priorities leave the election to the higher IP address, so the master is an accident.
     */
    public static List<String> againstPeer(AgentConfig mine, AgentConfig peer) {
        List<String> out = new ArrayList<>();
        for (InstanceConfig i : mine.instances()) {
            for (InstanceConfig p : peer.instances()) {
                if (p.vrid() != i.vrid() || family(p) != family(i)) {
                    continue;
                }
                if (p.priority() == i.priority()) {
                    out.add(i.source() + ": vrrp_instance " + i.name() + " has priority " + i.priority()
                            + ", the same as " + p.name() + " at " + p.source() + "; the higher IP address wins, "
                            + "give the preferred master a higher priority");
                }
                Set<InetAddress> mineVips = addresses(i);
                if (!mineVips.equals(addresses(p))) {
                    out.add(i.source() + ": vrrp_instance " + i.name() + " has VIPs " + mineVips + " but "
                            + p.name() + " at " + p.source() + " has " + addresses(p)
                            + "; keepalived peers drop adverts whose address list differs");
                }
                if (p.intervalCs() != i.intervalCs() || p.version() != i.version()
                        || !java.util.Objects.equals(p.authPass(), i.authPass())) {
                    out.add(i.source() + ": vrrp_instance " + i.name() + " differs from " + p.name() + " at "
                            + p.source() + " in advert_int, version or auth_pass; the peers will drop each "
                            + "other's adverts and both become master");
                }
            }
        }
        return out;
    }

    /** True only for an interface that is on this host and has no fe80:: address; false when it is not here. */
    /** The executable {@code name} in one of {@code path}'s directories, or null. */
    static Path findOnPath(String name, String path) {
        for (String dir : (path == null ? "/usr/sbin:/usr/bin:/sbin:/bin" : path).split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    static boolean interfaceWithoutLinkLocal(String dev) {
        try {
            NetworkInterface nif = NetworkInterface.getByName(dev);
            return nif != null && nif.getInterfaceAddresses().stream()
                    .noneMatch(a -> a.getAddress() instanceof java.net.Inet6Address && a.getAddress().isLinkLocalAddress());
        } catch (SocketException e) {
            return false;
        }
    }

    private static boolean family(InstanceConfig i) {
        return !i.vips().isEmpty() && i.vips().get(0).address() instanceof java.net.Inet6Address;
    }

    private static Set<InetAddress> addresses(InstanceConfig i) {
        Set<InetAddress> out = new LinkedHashSet<>();
        i.vips().forEach(v -> out.add(v.address()));
        return out;
    }

    /** The interface's subnets when {@code vip} is in none of them; null when inside, or the interface is not here. */
    static String subnetsIfOutside(String dev, InetAddress vip) {
        NetworkInterface nif;
        try {
            nif = NetworkInterface.getByName(dev);
        } catch (SocketException e) {
            return null;
        }
        if (nif == null) {
            return null;
        }
        List<String> subnets = new ArrayList<>();
        for (InterfaceAddress a : nif.getInterfaceAddresses()) {
            if (a.getAddress().getClass() != vip.getClass() || a.getAddress().isLinkLocalAddress()) {
                continue;
            }
            if (sameSubnet(a.getAddress(), vip, a.getNetworkPrefixLength())) {
                return null;
            }
            subnets.add(a.getAddress().getHostAddress() + "/" + a.getNetworkPrefixLength());
        }
        // an interface without an address of the VIP's family says nothing about where the VIP belongs
        return subnets.isEmpty() ? null : String.join(", ", subnets);
    }

    static boolean sameSubnet(InetAddress a, InetAddress b, int prefix) {
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        if (x.length != y.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((x[bit / 8] & mask) != (y[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static boolean readableByOthers(Path file) {
        try {
            return Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
