package io.nginxha.agent.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** Reads virtual_ipaddress lines ({@code ADDR[/PREFIX] [OPTIONS]}, see {@link VipOptions}) and unicast_peer lines. */
final class AddressParser {
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
        VipOptions o = new VipOptions(values, line, blockName, address, prefix);
        if (!o.read()) {
            return null;
        }
        return new VirtualAddress(address, prefix, o.dev, o.label, o.broadcast, o.scope, o.noTrack, o.preferredLft,
                line.source());
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
