package io.nginxha.agent.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the top-level static_ipaddress, static_routes and static_rules blocks. A static address without
 * {@code dev} goes on global_defs' default_interface, as in keepalived; without either it is an error.
 */
final class StaticBuilder {
    private StaticBuilder() { }

    /**
     * keepalived numbers rules without a priority in file order; the agent numbers static rules before the
     * instances' (the numbers differ only when a static block follows an instance, and each is warned of).
     */
    static StaticNetwork build(List<Entry> entries, Values values, RuleParser rules,
                               String defaultInterface) {
        List<VirtualAddress> addresses = new ArrayList<>();
        List<RouteConfig> routes = new ArrayList<>();
        List<RuleConfig> ruleList = new ArrayList<>();
        AddressParser addressParser = new AddressParser(values);
        for (Entry e : entries) {
            switch (e.key()) {
                case "static_ipaddress" -> {
                    for (VirtualAddress a : addressParser.vips(e, "static_ipaddress")) {
                        if (a.dev() == null && defaultInterface == null) {
                            values.problems().error(a.source(), "static_ipaddress " + a.address().getHostAddress()
                                    + " has no 'dev' and global_defs has no default_interface");
                        } else {
                            addresses.add(a.dev() != null ? a : new VirtualAddress(a.address(), a.prefix(),
                                    defaultInterface, a.label(), a.broadcast(), a.scope(), a.noTrack(),
                                    a.preferredLft(), a.source()));
                        }
                    }
                }
                case "static_routes" -> routes.addAll(new RouteParser(values).routes(e));
                case "static_rules" -> ruleList.addAll(rules.rules(e));
                default -> throw new AssertionError("not a static block: " + e.key());
            }
        }
        return new StaticNetwork(addresses, routes, ruleList);
    }
}
