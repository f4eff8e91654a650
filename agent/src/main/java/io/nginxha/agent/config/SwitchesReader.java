package io.nginxha.agent.config;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the protocol switches of one vrrp_instance as keepalived 2.2.7's parser does (accept, no_accept,
 * strict_mode, lower_prio_no_advert, skip_check_adv_addr, mcast_dst_ip, promote_secondaries) and keeps every line
 * by keyword, for {@link StrictRules} to resolve them once the instance is read.
 */
final class SwitchesReader {
    private final Values values;
    private final Problems problems;
    private final Map<String, Entry> lines = new HashMap<>();
    private Boolean strict;
    private Boolean accept;
    private Boolean lowerPrioNoAdvert;
    private boolean skipCheckAdvAddr;
    private boolean promoteSecondaries;
    private Entry mcastDst;
    private InetAddress mcastDstAddress;

    SwitchesReader(Values values) {
        this.values = values;
        this.problems = values.problems();
    }

    /** Notes {@code e}'s line; true when it was one of the switches (read here). */
    boolean read(Entry e) {
        lines.put(e.key(), e);
        switch (e.key()) {
            // keepalived ignores any value after these three; the last of accept / no_accept counts
            case "accept" -> accept = true;
            case "no_accept" -> accept = false;
            case "promote_secondaries" -> promoteSecondaries = true;
            case "strict_mode" -> strict = GlobalBuilder.orElse(values.bool(e), strict);
            case "lower_prio_no_advert" -> lowerPrioNoAdvert = GlobalBuilder.orElse(values.bool(e), lowerPrioNoAdvert);
            case "skip_check_adv_addr" -> {
                if (Boolean.FALSE.equals(values.bool(e))) {
                    problems.warn(e.source(), "keepalived 2.2.7 turns skip_check_adv_addr on whatever its value, so "
                            + "does the agent; remove the line to check every advert's addresses");
                }
                skipCheckAdvAddr = true;
            }
            case "mcast_dst_ip" -> {
                String v = values.single(e);
                mcastDstAddress = v == null ? null : values.address(e, "mcast_dst_ip", v);
                mcastDst = mcastDstAddress == null ? null : e;
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** What was written, with the group resolved for an instance of family {@code ipv6}. */
    StrictRules.Written written(boolean stateWritten, boolean ipv6, boolean unicast, InstanceDefaults defaults,
                                String who) {
        InetAddress group = mcastDst == null ? McastGroups.fromDefaults(defaults, ipv6)
                : McastGroups.instanceGroup(problems, mcastDst, mcastDstAddress, ipv6, unicast, who);
        return new StrictRules.Written(strict, accept, lowerPrioNoAdvert, skipCheckAdvAddr, stateWritten, lines,
                unicast ? null : group, promoteSecondaries);
    }
}
