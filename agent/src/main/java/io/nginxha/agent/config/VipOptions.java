package io.nginxha.agent.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * The options after the address of a virtual_ipaddress / static_ipaddress line, as keepalived 2.2.7 reads them
 * (vrrp_ipaddress.c alloc_ipaddress): {@code dev}, {@code label}, {@code brd|broadcast ADDR|+|-}, {@code scope},
 * {@code no_track}, {@code preferred_lft N|forever}. keepalived skips an IPv6 address with a broadcast and ignores a
 * scope on one with an error; the agent refuses both. The other options keepalived knows are refused.
 */
final class VipOptions {
    private static final Map<String, String> REFUSED = Map.of(
            "peer", "point-to-point peer addresses are not implemented",
            "home", "IPv6 mobility home addresses are not implemented",
            "-nodad", "the agent always adds IPv6 VIPs without duplicate address detection, as keepalived does; "
                    + "remove the option",
            "mngtmpaddr", "IPv6 temporary address management is not implemented",
            "noprefixroute", "addresses without their prefix route are not implemented",
            "autojoin", "multicast autojoin addresses are not implemented",
            "use_vmac", "virtual MAC interfaces are not implemented yet",
            "track_group", "static track groups are not implemented");
    private static final Map<String, Integer> SCOPES = Map.of("global", 0, "universe", 0, "site", 200, "link", 253,
            "host", 254, "nowhere", 255);

    private final Values values;
    private final Problems problems;
    private final Entry line;
    private final String where;
    private final InetAddress address;
    private final int prefix;

    String dev;
    String label;
    InetAddress broadcast;
    int scope;
    boolean noTrack;
    Long preferredLft;

    VipOptions(Values values, Entry line, String where, InetAddress address, int prefix) {
        this.values = values;
        this.problems = values.problems();
        this.line = line;
        this.where = where;
        this.address = address;
        this.prefix = prefix;
    }

    /** Reads the options; false (reported) when one is bad or refused. */
    boolean read() {
        List<String> options = line.args();
        boolean v6 = address instanceof Inet6Address;
        for (int i = 0; i < options.size(); i++) {
            String option = options.get(i);
            if (option.equals("no_track")) {
                noTrack = true;
                continue;
            }
            if (REFUSED.containsKey(option)) {
                problems.error(line.source(), "'" + option + "' in " + where + " is not supported by vrrp-agent: "
                        + REFUSED.get(option));
                return false;
            }
            List<String> known = List.of("dev", "label", "brd", "broadcast", "scope", "preferred_lft");
            if (!known.contains(option)) {
                problems.error(line.source(), "unknown option '" + option + "' in " + where
                        + Values.suggestion(option, known));
                return false;
            }
            if (i + 1 >= options.size()) {
                problems.error(line.source(), "'" + option + "' in " + where + " needs a value");
                return false;
            }
            String v = options.get(++i);
            switch (option) {
                case "dev" -> dev = v;
                case "label" -> label = v;
                case "brd", "broadcast" -> {
                    if (v6 || !broadcast(v)) {
                        if (v6) {
                            problems.error(line.source(), "'" + option + "' in " + where + ": an IPv6 address has "
                                    + "no broadcast (keepalived skips this address)");
                        }
                        return false;
                    }
                }
                case "scope" -> {
                    Long s = SCOPES.containsKey(v) ? Long.valueOf(SCOPES.get(v)) : RouteParser.parseNumber(v);
                    if (s == null || s > 255) {
                        problems.error(line.source(), "scope in " + where + " must be global, site, link, host, "
                                + "nowhere or 0..255, got '" + v + "'");
                        return false;
                    }
                    if (v6 && s != 0) {
                        problems.error(line.source(), "scope in " + where + ": the kernel sets the scope of IPv6 "
                                + "addresses itself (keepalived ignores it); remove it");
                        return false;
                    }
                    scope = s.intValue();
                }
                default -> { // preferred_lft
                    Long lft = v.equals("forever") ? null : RouteParser.parseNumber(v);
                    if (!v.equals("forever") && (lft == null || lft >= 0xffffffffL)) {
                        problems.error(line.source(), "preferred_lft in " + where + " must be seconds "
                                + "0..4294967294 or forever, got '" + v + "'");
                        return false;
                    }
                    if (!v6) {
                        problems.warn(line.source(), "preferred_lft in " + where + " has no effect on an IPv4 "
                                + "address, as in keepalived");
                        lft = null;
                    }
                    preferredLft = lft;
                }
            }
        }
        return true;
    }

    /** {@code brd ADDR}, or {@code +} / {@code -}: the subnet's last / first address, for prefixes up to /30. */
    private boolean broadcast(String v) {
        if (v.equals("+") || v.equals("-")) {
            if (prefix > 30) {
                problems.error(line.source(), "brd " + v + " in " + where + ": a /" + prefix + " has no broadcast "
                        + "address (keepalived refuses it for prefixes above /30)");
                return false;
            }
            byte[] b = address.getAddress();
            int a = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
            int host = prefix == 0 ? -1 : (int) (0xffffffffL >>> prefix);
            int brd = v.equals("+") ? a | host : a & ~host;
            broadcast = ipv4(brd);
            return true;
        }
        InetAddress a = Values.ipLiteral(v);
        if (!(a instanceof Inet4Address)) {
            problems.error(line.source(), "brd in " + where + " must be an IPv4 address, + or -, got '" + v + "'");
            return false;
        }
        broadcast = a;
        return true;
    }

    private static InetAddress ipv4(int v) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
