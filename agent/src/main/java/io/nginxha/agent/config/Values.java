package io.nginxha.agent.config;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/** Reads typed values out of entries, reporting each bad one as "KEY must be ..., got 'VALUE'". */
final class Values {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern DECIMAL = Pattern.compile("\\d+(\\.\\d+)?");

    private final Problems problems;

    Values(Problems problems) {
        this.problems = problems;
    }

    Problems problems() {
        return problems;
    }

    /** The entry's only word; null (reported) when it has none or several. */
    /** As {@link #single}, for a secret: a wrong number of words is reported without echoing any of them. */
    String secret(Entry e) {
        if (e.args().size() != 1 || e.block() != null) {
            problems.error(e.source(), "'" + e.key() + "' takes one word" + (e.args().isEmpty() ? ", got none"
                    : ", got " + e.args().size() + " (value not shown: it is a secret)"));
            return null;
        }
        return e.arg();
    }

    String single(Entry e) {
        if (e.args().size() != 1) {
            problems.error(e.source(), e.args().isEmpty() ? "'" + e.key() + "' needs a value"
                    : "'" + e.key() + "' takes one value, got " + e.args().size() + ": " + String.join(" ", e.args()));
            return null;
        }
        if (e.block() != null) {
            problems.error(e.source(), "'" + e.key() + "' takes a value, not a { } block");
            return null;
        }
        return e.arg();
    }

    /** Reports words or a block after a keyword that stands alone (nopreempt); true when it is clean. */
    boolean noValue(Entry e) {
        if (!e.args().isEmpty() || e.block() != null) {
            problems.error(e.source(), "'" + e.key() + "' takes no value, got '" + String.join(" ", e.args()) + "'");
            return false;
        }
        return true;
    }

    /** The entry's { } block; null (reported) when it was written without one. */
    java.util.List<Entry> block(Entry e) {
        if (e.block() == null) {
            problems.error(e.source(), "'" + e.key() + "' needs a { } block");
            return null;
        }
        if (!e.args().isEmpty()) {
            problems.error(e.source(), "'" + e.key() + "' takes no words before its block, got '"
                    + String.join(" ", e.args()) + "'");
        }
        return e.block();
    }

    Integer integer(Entry e, int min, int max) {
        String v = single(e);
        return v == null ? null : integer(e, e.key(), v, min, max);
    }

    Integer integer(Entry e, String what, String v, int min, int max) {
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.error(e.source(), what + " must be an integer " + min + ".." + max + ", got '" + v + "'");
        return null;
    }

    /** Decimal seconds ("1", "0.1") in microseconds, within [minUs, maxUs]. */
    Long seconds(Entry e, long minUs, long maxUs) {
        String v = single(e);
        if (v == null) {
            return null;
        }
        if (DECIMAL.matcher(v).matches()) {
            BigDecimal us = new BigDecimal(v).movePointRight(6);
            if (us.stripTrailingZeros().scale() <= 0 && us.compareTo(BigDecimal.valueOf(minUs)) >= 0
                    && us.compareTo(BigDecimal.valueOf(maxUs)) <= 0) {
                return us.longValueExact();
            }
        }
        problems.error(e.source(), e.key() + " must be a number of seconds " + plain(minUs) + ".." + plain(maxUs)
                + ", got '" + v + "'");
        return null;
    }

    static String plain(long micros) {
        return BigDecimal.valueOf(micros).movePointLeft(6).stripTrailingZeros().toPlainString();
    }

    /**
     * A keepalived switch whose "on" behaviour vrrp-agent always has: on (bare or true) is accepted, off is an error,
     * because a config that asks for the other behaviour must not get this one silently.
     */
    void alwaysOn(Entry e, String behaviour) {
        if (Boolean.FALSE.equals(bool(e))) {
            problems.error(e.source(), "'" + e.key() + " " + e.arg() + "' is not supported by vrrp-agent: it always "
                    + behaviour + "; remove the line");
        }
    }

    /** keepalived's true/false words; a bare keyword means true. */
    Boolean bool(Entry e) {
        if (e.args().isEmpty()) {
            return true;
        }
        String v = single(e);
        if (v == null) {
            return null;
        }
        switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> { return true; }
            case "false", "no", "off" -> { return false; }
            default -> {
                problems.error(e.source(), e.key() + " must be true or false, got '" + v + "'");
                return null;
            }
        }
    }

    /** An IPv4 or IPv6 literal, never a host name (no DNS look-up at load time); null if it is not one. */
    static InetAddress ipLiteral(String s) {
        if (!IPV4.matcher(s).matches() && !IPV6.matcher(s).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    InetAddress address(Entry e, String what, String v) {
        InetAddress a = ipLiteral(v);
        if (a == null) {
            problems.error(e.source(), what + " must be an IPv4 or IPv6 address, got '" + v + "'");
        }
        return a;
    }

    /** " (did you mean 'x'?)" for the closest candidate within a couple of typos, else "". */
    static String suggestion(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word.toLowerCase(java.util.Locale.ROOT), c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        int allowed = Math.max(1, Math.min(3, word.length() / 3));
        return best != null && bestDistance <= allowed ? " (did you mean '" + best + "'?)" : "";
    }

    /** Optimal string alignment distance: edits, with a swap of two neighbours counted once. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** Lines of a track_* block: {@code NAME [weight N [reverse]]}, in vrrp_instance and vrrp_sync_group alike. */
    List<InstanceConfig.Tracked> tracked(Entry block, int maxWeight) {
        List<InstanceConfig.Tracked> out = new ArrayList<>();
        List<Entry> lines = block(block);
        for (Entry line : lines == null ? List.<Entry>of() : lines) {
            List<String> a = line.args();
            boolean shapeOk = a.isEmpty() || a.get(0).equals("weight") && (a.size() == 2
                    || a.size() == 3 && a.get(2).equals("reverse"));
            if (!shapeOk || line.block() != null) {
                problems.error(line.source(), block.key() + " lines are 'NAME [weight N [reverse]]', got '"
                        + line.key() + " " + String.join(" ", a) + "'");
                continue;
            }
            Integer weight = null;
            if (a.size() >= 2) {
                weight = integer(line, block.key() + " weight", a.get(1), -maxWeight, maxWeight);
                if (weight == null) {
                    continue;
                }
            }
            out.add(new InstanceConfig.Tracked(line.key(), weight, a.size() == 3, line.source()));
        }
        return out;
    }
}
