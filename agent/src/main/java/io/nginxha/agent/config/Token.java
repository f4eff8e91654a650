package io.nginxha.agent.config;

/**
 * One word of a keepalived.conf line.
 *
 * @param text     the word with any double quotes removed
 * @param brace    true for an unquoted '{' or '}'
 * @param lineText the whole line after comment removal, kept because keepalived re-splits script lines itself
 * @param source   file and line the word came from
 * @param lineId   which preprocessed line it belongs to: a multi-line parameter or a ~SEQ makes several lines
 *                 of one source line, and a statement must not run from one into the next
 */
record Token(String text, boolean brace, String lineText, Source source, int lineId) {
    boolean sameLine(Token other) {
        return lineId == other.lineId && source.equals(other.source);
    }

    boolean is(String brace) {
        return this.brace && text.equals(brace);
    }
}
