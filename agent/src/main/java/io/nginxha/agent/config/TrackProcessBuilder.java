package io.nginxha.agent.config;

import io.nginxha.agent.config.TrackProcessConfig.ParamMatch;
import java.math.BigDecimal;
import java.util.List;

/**
 * Builds one {@link TrackProcessConfig} from a vrrp_track_process block, as keepalived 2.2.7's vrrp_parser.c reads
 * it: {@code process NAME [PARAM...]} (parameters imply full_command and an exact match), {@code param_match
 * [initial|partial]}, {@code weight W [reverse]}, {@code quorum}, {@code quorum_max} (0: up only while none runs),
 * {@code delay} (both delays), {@code fork_delay}, {@code terminate_delay}, {@code full_command}.
 */
final class TrackProcessBuilder {
    /** The kernel's TASK_COMM_LEN less its NUL: a process name is never longer. */
    static final int COMM_MAX = 15;
    private static final BigDecimal MAX_DELAY_SEC = BigDecimal.valueOf(3600);

    private final Values values;
    private final Problems problems;

    TrackProcessBuilder(Values values) {
        this.values = values;
        this.problems = values.problems();
    }

    TrackProcessConfig build(String name, List<Entry> entries, Source at) {
        String what = "vrrp_track_process " + name;
        String process = null;
        List<String> params = List.of();
        ParamMatch match = ParamMatch.NONE;
        boolean full = false;
        Integer weight = null;
        boolean reverse = false;
        Integer quorum = null;
        Integer quorumMax = null;
        long fork = 0;
        long terminate = 0;
        Source processAt = at;
        for (Entry e : entries) {
            switch (e.key()) {
                case "process" -> {
                    if (process != null) {
                        problems.error(e.source(), "process is already set for " + what + " (first at line "
                                + processAt.line() + ")");
                    } else if (e.args().isEmpty() || e.block() != null) {
                        problems.error(e.source(), "process of " + what + " needs a process name");
                    } else {
                        // keepalived: a quoted word is one element, so "a b" names a process with a blank in it
                        // (the words as script lines split them; a line shared with others has only its tokens)
                        List<String> words = e.scriptWords().isEmpty() ? e.args() : e.scriptWords();
                        process = words.get(0);
                        processAt = e.source();
                        if (words.size() > 1) {
                            params = words.subList(1, words.size());
                            full = true;
                            match = match == ParamMatch.NONE ? ParamMatch.EXACT : match;
                        }
                    }
                }
                case "param_match" -> {
                    String v = e.args().isEmpty() ? "" : values.single(e);
                    if (v == null) {
                        continue;
                    }
                    switch (v) {
                        case "" -> match = ParamMatch.EXACT;
                        case "initial" -> match = ParamMatch.INITIAL;
                        case "partial" -> match = ParamMatch.PARTIAL;
                        default -> {
                            problems.error(e.source(), "param_match of " + what + " is 'initial' or 'partial' (or"
                                    + " nothing, for an exact match), got '" + v + "'");
                            continue;
                        }
                    }
                    full = true;
                }
                case "weight" -> {
                    List<String> a = e.args();
                    if (weight != null) {
                        problems.error(e.source(), "weight is already set for " + what);
                    } else if (a.isEmpty() || a.size() > 2 || a.size() == 2 && !a.get(1).equals("reverse")) {
                        problems.error(e.source(), "weight of " + what + " is 'weight N [reverse]', got 'weight "
                                + String.join(" ", a) + "'");
                    } else {
                        weight = values.integer(e, "weight of " + what, a.get(0), -254, 254);
                        reverse = weight != null && a.size() == 2;
                    }
                }
                case "quorum" -> quorum = GlobalBuilder.orElse(values.integer(e, 1, 65535), quorum);
                case "quorum_max" -> quorumMax = GlobalBuilder.orElse(values.integer(e, 0, 65535), quorumMax);
                case "delay", "fork_delay", "terminate_delay" -> {
                    Long ms = delayMs(e, what);
                    if (ms != null) {
                        fork = e.key().equals("terminate_delay") ? fork : ms;
                        terminate = e.key().equals("fork_delay") ? terminate : ms;
                    }
                }
                case "full_command" -> full = values.noValue(e) || full;
                default -> Keywords.report(Keywords.Section.TRACK_PROCESS, e, what, problems);
            }
        }
        if (process == null) {
            problems.error(at, what + " needs 'process NAME'");
            return null;
        }
        int q = quorum != null ? quorum : 1;
        int qMax = quorumMax != null ? quorumMax : Integer.MAX_VALUE;
        if (quorumMax != null && quorumMax == 0 && quorum == null) {
            q = 0; // keepalived: quorum_max 0 alone means "up while no such process runs"
        } else if (q > qMax) {
            problems.error(at, what + ": quorum " + q + " is greater than quorum_max " + qMax);
        }
        if (!full && process.length() > COMM_MAX) {
            problems.warn(processAt, what + ": process name '" + process + "' is longer than the " + COMM_MAX
                    + " characters the kernel keeps of a process name, so it never matches; add full_command to "
                    + "match the command line");
        }
        return new TrackProcessConfig(name, process, params, match, full, weight != null ? weight : 0, reverse, q,
                qMax, fork, terminate, at);
    }

    /** keepalived: decimal seconds 0.000001..3600, kept here in milliseconds (rounded up, so never 0). */
    private Long delayMs(Entry e, String what) {
        String v = values.single(e);
        if (v == null) {
            return null;
        }
        try {
            BigDecimal sec = new BigDecimal(v);
            if (sec.signum() > 0 && sec.compareTo(MAX_DELAY_SEC) <= 0 && sec.scale() <= 6) {
                return sec.movePointRight(3).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.error(e.source(), e.key() + " of " + what + " must be seconds 0.000001..3600, got '" + v + "'");
        return null;
    }
}
