package io.nginxha.agent.config;

import java.net.InetAddress;

/**
 * One policy rule line ({@code from 192.168.2.0/24 table 100 priority 100}), as keepalived 2.2.7 sends it: added
 * exclusively (as {@code ip rule add}), marked protocol keepalived (18) unless no_track.
 *
 * @param ipv6       the family
 * @param from       source network, or null for any; {@code from all} is kept as {@code fromAll}
 * @param fromPrefix its prefix length
 * @param fromAll    {@code from all/any/default} was written: sent as an empty source, as ip and keepalived do
 * @param to         destination network, or null
 * @param toPrefix   its prefix length
 * @param invert     {@code not}
 * @param priority   rule preference (keepalived numbers rules without one from 16384 down, with a warning)
 * @param action     FR_ACT_*: 1 lookup a table, 6 blackhole, 7 unreachable, 8 prohibit
 * @param table      the table of a lookup, 0 otherwise
 * @param iif        input interface ({@code iif} or {@code dev}), or null
 * @param oif        output interface, or null
 * @param fwmark     firewall mark, or null
 * @param fwmask     its mask, or null when written without one
 * @param noTrack    keepalived's no_track: also means the rule is not marked protocol keepalived
 */
public record RuleConfig(boolean ipv6, InetAddress from, int fromPrefix, boolean fromAll, InetAddress to, int toPrefix,
                         boolean invert, long priority, int action, long table, String iif, String oif, Long fwmark,
                         Long fwmask, boolean noTrack, Source source) implements RoutingEntry {
    public static final int ACTION_TABLE = 1;

    @Override
    public RuleConfig withoutSource() {
        return new RuleConfig(ipv6, from, fromPrefix, fromAll, to, toPrefix, invert, priority, action, table, iif,
                oif, fwmark, fwmask, noTrack, null);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(ipv6 ? "inet6 " : "");
        if (invert) {
            b.append("not ");
        }
        if (from != null) {
            b.append("from ").append(from.getHostAddress()).append('/').append(fromPrefix).append(' ');
        } else if (fromAll) {
            b.append("from all ");
        }
        if (to != null) {
            b.append("to ").append(to.getHostAddress()).append('/').append(toPrefix).append(' ');
        }
        if (iif != null) {
            b.append("iif ").append(iif).append(' ');
        }
        if (oif != null) {
            b.append("oif ").append(oif).append(' ');
        }
        if (fwmark != null) {
            b.append("fwmark 0x").append(Long.toHexString(fwmark))
                    .append(fwmask == null ? "" : "/0x" + Long.toHexString(fwmask)).append(' ');
        }
        b.append(action == ACTION_TABLE ? "table " + table : RuleParser.actionName(action));
        b.append(" priority ").append(priority);
        if (noTrack) {
            b.append(" no_track");
        }
        return b.toString();
    }
}
