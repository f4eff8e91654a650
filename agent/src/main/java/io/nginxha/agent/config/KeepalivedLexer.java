package io.nginxha.agent.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits keepalived.conf text into words the way keepalived does: '#' and '!' start a comment anywhere outside
 * double quotes, a double-quoted string is one word, '{' and '}' are words of their own. Every word keeps its
 * file and line. Lines reach it through {@link IncludeResolver} and {@link Preprocessor}.
 */
final class KeepalivedLexer {
    private KeepalivedLexer() { }

    /** Words of a whole text without preprocessing, as for a file with no includes, conditionals or parameters. */
    static List<Token> lex(String text, Path file, Problems problems) {
        List<Token> tokens = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Source at = new Source(file, i + 1);
            split(stripComment(lines[i], at, problems).strip(), at, tokens);
        }
        return tokens;
    }

    /** Removes a comment; '\#' and '\!' outside quotes stand for the character itself. */
    static String stripComment(String line, Source at, Problems problems) {
        StringBuilder out = new StringBuilder(line.length());
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && !quoted && i + 1 < line.length()
                    && (line.charAt(i + 1) == '#' || line.charAt(i + 1) == '!')) {
                out.append(line.charAt(++i));
                continue;
            } else if (!quoted && (c == '#' || c == '!')) {
                break;
            }
            out.append(c);
        }
        if (quoted) {
            problems.error(at, "unterminated quote in: " + line.strip());
        }
        return out.toString().stripTrailing();
    }

    /** Splits one preprocessed line into words. */
    static void split(String line, Source at, List<Token> out) {
        int id = out.isEmpty() ? 0 : out.get(out.size() - 1).lineId() + 1;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '{' || c == '}') {
                out.add(new Token(String.valueOf(c), true, line, at, id));
                i++;
            } else if (c == '"') {
                int end = line.indexOf('"', i + 1);
                if (end < 0) {
                    end = line.length(); // already reported as an unterminated quote
                }
                out.add(new Token(line.substring(i + 1, end), false, line, at, id));
                i = end + 1;
            } else {
                int start = i;
                while (i < line.length() && !Character.isWhitespace(line.charAt(i))
                        && "{}\"".indexOf(line.charAt(i)) < 0) {
                    i++;
                }
                out.add(new Token(line.substring(start, i), false, line, at, id));
            }
        }
    }

    /**
     * Splits a string into words as keepalived splits script command lines: whitespace separates words, single
     * or double quotes group, backslash escapes the next character (with C escapes such as \t and \n).
     *
     * @return the words, or null when a quote is not closed
     */
    static List<String> splitScriptWords(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                continue;
            }
            if (word == null) {
                word = new StringBuilder();
            }
            if (c == '\\' && i + 1 < text.length()) {
                word.append(unescape(text.charAt(++i)));
            } else if (quote != 0 && c == quote) {
                quote = 0;
            } else if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else {
                word.append(c);
            }
        }
        if (quote != 0) {
            return null;
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    private static char unescape(char c) {
        return switch (c) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case 'a' -> '\u0007';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'v' -> '\u000b';
            case 'E' -> '\u001b';
            default -> c;
        };
    }
}
