package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeepalivedLexerTest {
    private static final Path F = Path.of("k.conf");

    private static List<String> words(String text) {
        return KeepalivedLexer.lex(text, F, new Problems()).stream().map(Token::text).toList();
    }

    @Test
    void commentsStartAnywhereOutsideQuotes() {
        assertEquals(List.of("priority", "100"), words("priority 100 # 优先级\n"));
        assertEquals(List.of("priority", "100"), words("priority 100! bang comment\n"));
        assertEquals(List.of("script", "/bin/x # not a comment"), words("script \"/bin/x # not a comment\"  # but this is\n"));
        assertEquals(List.of("auth_pass", "a#b"), words("auth_pass a\\#b\n"));
    }

    @Test
    void bracesAreWordsAndLinesAreCounted() {
        List<Token> t = KeepalivedLexer.lex("a {\n\n  b c}\n", F, new Problems());
        assertEquals(List.of("a", "{", "b", "c", "}"), t.stream().map(Token::text).toList());
        assertEquals(List.of(1, 1, 3, 3, 3), t.stream().map(x -> x.source().line()).toList());
    }

    @Test
    void unterminatedQuoteIsReportedWithLine() {
        Problems p = new Problems();
        KeepalivedLexer.lex("ok\nscript \"/bin/x\n", F, p);
        assertEquals(List.of("k.conf:2: unterminated quote in: script \"/bin/x"), p.errors());
    }

    @Test
    void scriptWordsSplitLikeKeepalived() {
        assertEquals(List.of("/bin/check", "a b", "c'd", "e\tf"),
                KeepalivedLexer.splitScriptWords("/bin/check 'a b' \"c'd\" e\\tf"));
        assertNull(KeepalivedLexer.splitScriptWords("/bin/x 'open"));
    }

    @Test
    void suggestionsFindTypos() {
        assertEquals(" (did you mean 'priority'?)", Values.suggestion("prority", Keywords.names(Keywords.Section.INSTANCE)));
        assertEquals(" (did you mean 'virtual_router_id'?)", Values.suggestion("virtual_routerid", Keywords.names(Keywords.Section.INSTANCE)));
        assertEquals("", Values.suggestion("banana", Keywords.names(Keywords.Section.INSTANCE)));
    }
}
