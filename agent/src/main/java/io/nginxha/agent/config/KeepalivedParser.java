package io.nginxha.agent.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the words of a keepalived.conf (includes already expanded) into {@link Entry} trees. A statement is the
 * words of one line up to a brace; a '{' right after it, on the same line or the next, opens its block.
 */
final class KeepalivedParser {
    private final List<Token> tokens;
    private final Problems problems;
    private int pos;

    private KeepalivedParser(List<Token> tokens, Problems problems) {
        this.tokens = tokens;
        this.problems = problems;
    }

    static List<Entry> parse(Path file, String configId, Problems problems) {
        return new KeepalivedParser(IncludeResolver.read(file, configId, problems), problems).entries(null);
    }

    /** Entries up to the '}' closing {@code opener}'s block, or to the end when opener is null. */
    private List<Entry> entries(Entry opener) {
        List<Entry> out = new ArrayList<>();
        while (pos < tokens.size()) {
            Token first = tokens.get(pos);
            if (first.is("}")) {
                pos++;
                if (opener != null) {
                    return out;
                }
                problems.error(first.source(), "'}' without a matching '{'");
                continue;
            }
            if (first.is("{")) {
                problems.error(first.source(), "'{' without a keyword before it");
                pos++;
                entries(new Entry("{", List.of(), List.of(), null, first.source())); // skip the stray block
                continue;
            }
            List<String> words = new ArrayList<>();
            boolean wholeLine = pos == 0 || !tokens.get(pos - 1).sameLine(first);
            while (pos < tokens.size() && !tokens.get(pos).brace() && tokens.get(pos).sameLine(first)) {
                words.add(tokens.get(pos++).text());
            }
            wholeLine &= pos == tokens.size() || !tokens.get(pos).sameLine(first);
            List<String> scriptWords = List.of();
            if (wholeLine) {
                List<String> split = KeepalivedLexer.splitScriptWords(first.lineText());
                scriptWords = split == null || split.isEmpty() ? List.of() : split.subList(1, split.size());
            }
            Entry entry = new Entry(words.get(0), words.subList(1, words.size()), scriptWords, null, first.source());
            if (pos < tokens.size() && tokens.get(pos).is("{")) {
                pos++;
                entry = new Entry(entry.key(), entry.args(), List.of(), entries(entry), entry.source());
            }
            out.add(entry);
        }
        if (opener != null) {
            problems.error(opener.source(), "'{' of '" + opener.key() + "' is never closed with '}'");
        }
        return out;
    }
}
