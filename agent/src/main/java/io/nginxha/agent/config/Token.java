package io.nginxha.agent.config;

/**
 * One word of a keepalived.conf line.
 *
 * @param text     the word with any double quotes removed
 * @param brace    true for an unquoted '{' or '}'
 * @param lineText the whole line after comment removal, kept because keepalived re-splits script lines itself
 * @param source   file and line the word came from
 */
record Token(String text, boolean brace, String lineText, Source source) {
    boolean is(String brace) {
        return this.brace && text.equals(brace);
    }
}
