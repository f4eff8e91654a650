package io.nginxha.agent.config;

import java.util.List;

/** Builds one {@link ScriptConfig} from a vrrp_script block, with keepalived 2.2.7's defaults. */
final class ScriptBuilder {
    static final int DEFAULT_INTERVAL_SEC = 1;
    private static final int MAX_SEC = Integer.MAX_VALUE / 1000;

    private final Values values;
    private final Problems problems;

    ScriptBuilder(Values values) {
        this.values = values;
        this.problems = values.problems();
    }

    /**
     * The script, or null when a keepalived.conf block sets no {@code script} at all and has no error: keepalived
     * removes such a vrrp_script with a warning, and so does the agent (the caller ignores its track_script lines).
     * In the agent's YAML it stays an error.
     */
    ScriptConfig build(String name, List<Entry> entries, Source at) {
        int errorsBefore = problems.errorCount();
        List<String> command = null;
        int intervalSec = DEFAULT_INTERVAL_SEC;
        Integer timeoutSec = null;
        int weight = 0;
        boolean reverse = false;
        int rise = 1;
        int fall = 1;
        String user = null;
        boolean initFail = false;
        for (Entry e : entries) {
            switch (e.key()) {
                case "script" -> {
                    command = GlobalBuilder.orElse(command(e, problems), command);
                    if (e.scriptWords().size() > 1) {
                        problems.warn(e.source(), "words after the script are ignored, as keepalived ignores them: '"
                                + String.join(" ", e.scriptWords().subList(1, e.scriptWords().size()))
                                + "' (quote the whole command line to pass arguments)");
                    }
                }
                case "interval" -> intervalSec = GlobalBuilder.orElse(atLeastOne(e), intervalSec);
                case "timeout" -> timeoutSec = GlobalBuilder.orElse(atLeastOne(e), timeoutSec);
                case "weight" -> {
                    if (e.args().isEmpty() || e.args().size() > 2
                            || e.args().size() == 2 && !e.args().get(1).equals("reverse")) {
                        problems.error(e.source(), "weight takes a number -253..253 and an optional 'reverse', got '"
                                + String.join(" ", e.args()) + "'");
                    } else {
                        weight = GlobalBuilder.orElse(values.integer(e, "weight", e.arg(), -253, 253), weight);
                        reverse = e.args().size() == 2;
                    }
                }
                case "rise" -> rise = GlobalBuilder.orElse(values.integer(e, 1, Integer.MAX_VALUE), rise);
                case "fall" -> fall = GlobalBuilder.orElse(values.integer(e, 1, Integer.MAX_VALUE), fall);
                case "user" -> user = GlobalBuilder.orElse(new GlobalBuilder(values).userGroup(e), user);
                case "init_fail" -> initFail = values.noValue(e) || initFail;
                default -> Keywords.report(Keywords.Section.SCRIPT, e, "vrrp_script " + name, problems);
            }
        }
        if (command == null) {
            if (problems.keepalivedSyntax() && problems.errorCount() == errorsBefore) {
                // keepalived 2.2.7: "No script set for vrrp_script NAME - removing" (e.g. its @ID lines did not match)
                problems.warn(at, "vrrp_script " + name + " has no 'script' to run: it is removed, as keepalived "
                        + "removes it, and the track_script lines naming it are ignored");
                return null;
            }
            problems.error(at, "vrrp_script " + name + " has no 'script' to run");
            command = List.of();
        }
        // keepalived: no timeout means the interval is the timeout
        long timeoutMs = (timeoutSec == null ? intervalSec : timeoutSec) * 1000L;
        return new ScriptConfig(name, command, intervalSec * 1000L, timeoutMs, weight, reverse, rise, fall, user,
                at, initFail);
    }

    private Integer atLeastOne(Entry e) {
        Integer v = values.integer(e, 0, MAX_SEC);
        if (v != null && v == 0) {
            problems.warn(e.source(), e.key() + " 0 is treated as 1 second, as keepalived does");
            return 1;
        }
        return v;
    }

    /**
     * The USER [GROUP] after a notify script (keepalived notify_script_init), as user[:group]; null when none is
     * written. More words are an error: the command's own arguments belong inside its quotes.
     *
     * @return user[:group], null for none; {@code ""} when the line is in error (reported)
     */
    static String scriptUser(Entry e, Problems problems) {
        List<String> w = e.scriptWords();
        if (w.size() > 3) {
            problems.error(e.source(), "'" + e.key() + "' takes a command and an optional user and group, got '"
                    + String.join(" ", w) + "'; quote the whole command line if those are its arguments");
            return "";
        }
        return w.size() > 1 ? String.join(":", w.subList(1, w.size())) : null;
    }

    /**
     * A script command: keepalived takes the first word of the line (quotes and escapes honoured) and splits it
     * again into the program and its arguments, so a command with arguments must be quoted as a whole.
     */
    static List<String> command(Entry e, Problems problems) {
        if (e.scriptWords().isEmpty()) {
            problems.error(e.source(), "'" + e.key() + "' needs a command");
            return null;
        }
        List<String> words = KeepalivedLexer.splitScriptWords(e.scriptWords().get(0));
        if (words == null || words.isEmpty()) {
            problems.error(e.source(), "'" + e.key() + "' has an unterminated quote or no command: '"
                    + e.scriptWords().get(0) + "'");
            return null;
        }
        return words;
    }
}
