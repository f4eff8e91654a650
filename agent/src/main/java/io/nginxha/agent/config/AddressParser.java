package io.nginxha.agent.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads virtual_ipaddress lines ({@code ADDR[/PREFIX] [dev IFACE] [label LABEL]}) and unicast_peer lines. */
final class AddressParser {
    private static final Set<String> UNSUPPORTED_OPTIONS = Set.of("brd", "broadcast", "scope", "no_track",
            "preferred_lft", "home", "nodad", "noprefixroute", "autojoin", "peer", "track_group", "metric");

    private final Values values;
    private final Problems problems;

    AddressParser(Values values) {
        this.values = values;
        this.problems = values.problems();
    }

    List<VirtualAddress> vips(Entry block, String blockName) {
        List<VirtualAddress> out = new ArrayList<>();
        List<Entry> lines = values.block(block);
        for (Entry line : lines == null ? List.<Entry>of() : lines) {
            VirtualAddress vip = vip(line, blockName);
            if (vip != null) {
                out.add(vip);
            }
        }
        return out;
    }

    private VirtualAddress vip(Entry line, String blockName) {
        if (line.block() != null) {
            problems.error(line.source(), "unexpected { } block in " + blockName);
            return null;
        }
        String text = line.key();
        int slash = text.indexOf('/');
        InetAddress address = values.address(line, blockName, slash < 0 ? text : text.substring(0, slash));
        if (address == null) {
            return null;
        }
        int maxPrefix = address instanceof Inet6Address ? 128 : 32;
        int prefix = maxPrefix;
        if (slash >= 0) {
            Integer p = values.integer(line, blockName + " prefix length", text.substring(slash + 1), 0, maxPrefix);
            if (p == null) {
                return null;
            }
            prefix = p;
        }
        String dev = null;
        String label = null;
        List<String> options = line.args();
        for (int i = 0; i < options.size(); i += 2) {
            String option = options.get(i);
            if (!option.equals("dev") && !option.equals("label")) {
                problems.error(line.source(), UNSUPPORTED_OPTIONS.contains(option)
                        ? "'" + option + "' in " + blockName + " is not supported by vrrp-agent"
                        : "unknown option '" + option + "' in " + blockName
                          + Values.suggestion(option, List.of("dev", "label")));
                return null;
            }
            if (i + 1 >= options.size()) {
                problems.error(line.source(), "'" + option + "' in " + blockName + " needs a value");
                return null;
            }
            if (option.equals("dev")) {
                dev = options.get(i + 1);
            } else {
                label = options.get(i + 1);
            }
        }
        return new VirtualAddress(address, prefix, dev, label, line.source());
    }

    List<InetAddress> peers(Entry block) {
        List<InetAddress> out = new ArrayList<>();
        List<Entry> lines = values.block(block);
        for (Entry line : lines == null ? List.<Entry>of() : lines) {
            if (!line.args().isEmpty() || line.block() != null) {
                problems.error(line.source(), "unicast_peer options such as '" + String.join(" ", line.args())
                        + "' are not supported by vrrp-agent; write one address per line");
                continue;
            }
            String text = line.key();
            int slash = text.indexOf('/');
            if (slash >= 0) {
                // keepalived reads the address and drops the prefix length
                problems.warn(line.source(), "unicast_peer " + text + ": the prefix length is ignored, as "
                        + "keepalived does");
                text = text.substring(0, slash);
            }
            InetAddress peer = values.address(line, "unicast_peer", text);
            if (peer != null) {
                out.add(peer);
            }
        }
        return out;
    }
}
