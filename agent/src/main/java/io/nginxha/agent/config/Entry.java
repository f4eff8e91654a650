package io.nginxha.agent.config;

import java.util.List;

/**
 * A format-neutral setting: a keyword, its words, and for block keywords the entries inside the braces.
 * Both the keepalived parser and the YAML reader produce these, so one validator serves both formats.
 *
 * @param key         the keyword (or, inside value blocks such as virtual_ipaddress, the first word of the line)
 * @param args        the remaining words
 * @param scriptWords the words after the keyword split as keepalived splits script lines (quotes and escapes)
 * @param block       entries inside { }, or null when the keyword has no block
 * @param source      where the keyword was written
 */
record Entry(String key, List<String> args, List<String> scriptWords, List<Entry> block, Source source) {
    Entry {
        args = List.copyOf(args);
        scriptWords = List.copyOf(scriptWords);
        block = block == null ? null : List.copyOf(block);
    }

    /** The first word after the keyword, or null. */
    String arg() {
        return args.isEmpty() ? null : args.get(0);
    }

    List<Entry> blockOrEmpty() {
        return block == null ? List.of() : block;
    }
}
