package io.nginxha.agent.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * keepalived's line preprocessing (lib/parser.c), applied to each comment-free line before it is split into words:
 * <ul>
 * <li>{@code @ID line} keeps the line only when ID is the config id, {@code @^ID line} only when it is not;</li>
 * <li>{@code $NAME=value} defines a parameter (no space before '='); a value ending in '\' goes on over the
 *     following lines until one does not end in '\' (or a blank line), each becoming a line of its own;</li>
 * <li>{@code $NAME} (followed by a blank, ',', ')' or the end) and {@code ${NAME}} are replaced anywhere;</li>
 * <li>{@code ~SEQ(NAME, [start,] [step,] end) line} repeats the line with $NAME set to each number
 *     ({@code ~SEQx} in hexadecimal).</li>
 * </ul>
 * keepalived leaves an undefined {@code $NAME} as it is, which then fails further on or, worse, is taken literally
 * ({@code interface $IFACE}); here it is an error naming the line, except inside single quotes, where it is meant
 * for the shell of a script. Definitions last from their line to the end of the whole configuration, across
 * included files, as in keepalived.
 */
final class Preprocessor {
    private static final int MAX_DEPTH = 32;

    private final String configId;
    private final Problems problems;
    private final Map<String, String[]> definitions = new HashMap<>();
    /** The multi-line definition being read, or null. */
    private String collecting;
    private Path currentDirectory;

    Preprocessor(String configId, Problems problems) {
        this.configId = configId;
        this.problems = problems;
        definitions.put("_INSTANCE", new String[] {configId});
        definitions.put("_HASH", new String[] {"#"});
        definitions.put("_BANG", new String[] {"!"});
    }

    /** True while the lines of a multi-line definition are being read. */
    boolean collecting() {
        return collecting != null;
    }

    /** Sets the file being read: keepalived's $_PWD is the directory of the file it is reading. */
    void enterFile(Path file) {
        currentDirectory = file.toAbsolutePath().getParent();
        definitions.put("_PWD", new String[] {currentDirectory.toString()});
    }

    /** Feeds one comment-free line; {@code out} gets the lines that result (none, it, or several). */
    void line(String text, Source at, BiConsumer<String, Source> out) {
        String line = text.strip();
        if (collecting != null) {
            continueDefinition(line);
            return;
        }
        if (!line.isEmpty()) {
            process(line, at, out, 0);
        }
    }

    /** Ends a file: a multi-line definition stops at the end of the file that holds it. */
    void endFile() {
        collecting = null;
        currentDirectory = null;
    }

    private void continueDefinition(String line) {
        boolean more = line.endsWith("\\");
        String part = more ? line.substring(0, line.length() - 1).strip() : line;
        String[] value = definitions.get(collecting);
        List<String> lines = new ArrayList<>(List.of(value));
        if (lines.size() == 1 && lines.get(0).isEmpty()) {
            lines.clear();
        }
        if (!part.isEmpty()) {
            lines.add(part);
        }
        definitions.put(collecting, lines.toArray(String[]::new));
        if (!more || line.isEmpty()) {
            collecting = null;
        }
    }

    private void process(String text, Source at, BiConsumer<String, Source> out, int depth) {
        if (depth > MAX_DEPTH) {
            problems.error(at, "parameter or ~SEQ expansion nested more than " + MAX_DEPTH + " deep: " + text);
            return;
        }
        String line = text;
        List<String> after = new ArrayList<>();
        for (int round = 0; ; round++) {
            line = line.strip();
            if (line.startsWith("@")) {
                line = conditional(line);
                if (line == null) {
                    return;
                }
            }
            if (line.startsWith("$") && define(line)) {
                return;
            }
            if (line.startsWith("~SEQ")) {
                sequence(line, at, out, depth);
                return;
            }
            if (line.startsWith("~LST")) {
                problems.error(at, "~LST is not supported by vrrp-agent; write the lines out or use ~SEQ");
                return;
            }
            if (line.startsWith("~") || line.indexOf('$') < 0 || round > MAX_DEPTH) {
                break;
            }
            List<String> expanded = substitute(line, at);
            if (expanded == null) {
                break; // nothing replaced: what is left is reported or meant literally
            }
            // keepalived strips comments again after a substitution ($_HASH is how to write a literal '#')
            line = KeepalivedLexer.stripComment(expanded.get(0), at, problems);
            after.addAll(0, expanded.subList(1, expanded.size()));
            if (round == MAX_DEPTH) {
                problems.error(at, "parameter expansion does not end (a parameter that contains itself?)");
                return;
            }
        }
        if (!line.isEmpty()) {
            out.accept(line, at);
        }
        for (String next : after) {
            process(next, at, out, depth + 1);
        }
    }

    /** The line without its {@code @ID}, or null when it is not for this host. */
    private String conditional(String line) {
        boolean negated = line.startsWith("@^");
        int idStart = negated ? 2 : 1;
        int blank = indexOfBlank(line, idStart);
        if (blank < 0) {
            return null; // keepalived drops an @ID with nothing after it
        }
        boolean matches = line.substring(idStart, blank).equals(configId);
        return matches != negated ? line.substring(blank).strip() : null;
    }

    private static int indexOfBlank(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
                return i;
            }
        }
        return -1;
    }

    /** {@code $NAME=value}: true when the line is a definition (then stored). */
    private boolean define(String line) {
        int i = 1;
        if (i >= line.length() || !isNameStart(line.charAt(i))) {
            return false;
        }
        while (i < line.length() && isNamePart(line.charAt(i))) {
            i++;
        }
        if (i >= line.length() || line.charAt(i) != '=') {
            return false;
        }
        String name = line.substring(1, i);
        String value = line.substring(i + 1).strip();
        if (value.endsWith("\\")) {
            collecting = name;
            value = value.substring(0, value.length() - 1).strip();
        }
        definitions.put(name, new String[] {value});
        return true;
    }

    private static boolean isNameStart(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_';
    }

    private static boolean isNamePart(char c) {
        return isNameStart(c) || c >= '0' && c <= '9';
    }

    /**
     * Replaces every defined parameter of {@code line}; null when none was. A multi-line parameter (only at the end
     * of a line, as in keepalived) gives its first line in place and its other lines after it.
     */
    private List<String> substitute(String line, Source at) {
        StringBuilder out = new StringBuilder();
        List<String> following = new ArrayList<>();
        boolean replaced = false;
        boolean singleQuoted = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\'') {
                singleQuoted = !singleQuoted;
            }
            if (c != '$' || i + 1 >= line.length()) {
                out.append(c);
                i++;
                continue;
            }
            boolean braces = line.charAt(i + 1) == '{';
            int nameStart = i + (braces ? 2 : 1);
            int end = nameStart;
            while (end < line.length() && isNamePart(line.charAt(end))) {
                end++;
            }
            if (end == nameStart || !isNameStart(line.charAt(nameStart))) {
                out.append(c); // "$1", "$$": not a parameter, in keepalived either
                i++;
                continue;
            }
            String name = line.substring(nameStart, end);
            boolean wellEnded = braces ? end < line.length() && line.charAt(end) == '}'
                    : end == line.length() || " \t,)".indexOf(line.charAt(end)) >= 0;
            String[] value = definitions.get(name);
            if (value == null || !wellEnded) {
                if (!singleQuoted) {
                    problems.error(at, (value == null ? "undefined parameter $" + name : "parameter $" + name
                            + " must be followed by a blank, ',' or ')'; write ${" + name + "}") + " in: " + line);
                }
                out.append(c);
                i++;
                continue;
            }
            int after = braces ? end + 1 : end;
            if (value.length > 1 && after != line.length()) {
                problems.error(at, "multi-line parameter $" + name + " must end its line, as in keepalived: " + line);
                return null;
            }
            out.append(value.length == 0 ? "" : value[0]);
            if (value.length > 1) {
                following.addAll(List.of(value).subList(1, value.length));
            }
            replaced = true;
            i = after;
        }
        if (!replaced) {
            return null;
        }
        List<String> lines = new ArrayList<>(List.of(out.toString()));
        lines.addAll(following);
        return lines;
    }

    /** {@code ~SEQ(NAME, a[, b[, c]]) rest}: one number is the end (from 1), two are start and end, three start, step, end. */
    private void sequence(String line, Source at, BiConsumer<String, Source> out, int depth) {
        boolean hex = line.startsWith("~SEQx");
        String rest = line.substring(hex ? 5 : 4).strip();
        int close = rest.indexOf(')');
        if (!rest.startsWith("(") || close < 0) {
            problems.error(at, "~SEQ must be ~SEQ(NAME, [START,] [STEP,] END) LINE, got: " + line);
            return;
        }
        String inside = rest.substring(1, close);
        List<String> substituted = inside.indexOf('$') >= 0 ? substitute(inside, at) : null;
        String[] parts = (substituted == null ? inside : substituted.get(0)).split(",", -1);
        String name = parts[0].strip();
        long[] numbers = new long[parts.length - 1];
        try {
            for (int k = 1; k < parts.length; k++) {
                numbers[k - 1] = Long.decode(parts[k].strip());
            }
        } catch (NumberFormatException e) {
            numbers = null;
        }
        if (name.isEmpty() || !isNameStart(name.charAt(0)) || numbers == null || numbers.length < 1
                || numbers.length > 3) {
            problems.error(at, "~SEQ must be ~SEQ(NAME, [START,] [STEP,] END) LINE with integers, got: " + line);
            return;
        }
        long start;
        long step;
        long end;
        if (numbers.length == 1) {
            end = numbers[0];
            start = end < 0 ? -1 : 1;
            step = end < 1 ? -1 : 1;
        } else if (numbers.length == 2) {
            start = numbers[0];
            end = numbers[1];
            step = start <= end ? 1 : -1;
        } else {
            start = numbers[0];
            step = numbers[1];
            end = numbers[2];
            if (step == 0 || start < end && step < 0 || start > end && step > 0) {
                problems.error(at, "~SEQ step " + step + " never goes from " + start + " to " + end + ": " + line);
                return;
            }
        }
        if (hex && (start < 0 || end < 0)) {
            problems.error(at, "~SEQx takes only positive numbers: " + line);
            return;
        }
        String body = rest.substring(close + 1).strip();
        String[] saved = definitions.get(name);
        for (long n = start; step > 0 ? n <= end : n >= end; n += step) {
            definitions.put(name, new String[] {hex ? Long.toHexString(n) : Long.toString(n)});
            process(body, at, out, depth + 1);
        }
        // keepalived leaves the parameter set to the last value; so does this
        if (saved != null && definitions.get(name) == null) {
            definitions.put(name, saved);
        }
    }
}
