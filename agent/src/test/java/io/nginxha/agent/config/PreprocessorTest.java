package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keepalived's conditionals, parameters, ~SEQ, comment encodings and line joining, word by word. */
class PreprocessorTest {
    @TempDir
    Path dir;

    private Problems problems;

    private List<String> words(String text, String configId) throws IOException {
        return words(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), configId);
    }

    private List<String> words(byte[] bytes, String configId) throws IOException {
        Path file = dir.resolve("k.conf");
        Files.write(file, bytes);
        problems = new Problems();
        return IncludeResolver.read(file, configId, problems).stream().map(Token::text).toList();
    }

    private List<String> lines(String text, String configId) throws IOException {
        Path file = dir.resolve("k.conf");
        Files.writeString(file, text);
        problems = new Problems();
        return IncludeResolver.read(file, configId, problems).stream()
                .map(t -> t.source().line() + ":" + t.text()).toList();
    }

    @Test
    void conditionalLinesFollowTheConfigId() throws IOException {
        String text = "@alpha priority 150\n@beta priority 100\n@^alpha state BACKUP\n@alpha\n";
        assertEquals(List.of("priority", "150"), words(text, "alpha"));
        assertEquals(List.of("priority", "100", "state", "BACKUP"), words(text, "beta"));
        assertEquals(List.of(), problems.errors());
    }

    @Test
    void parametersAreReplacedWithAndWithoutBraces() throws IOException {
        String text = "$IF=eth1\n$PRIO= 150\ninterface $IF\nlabel ${IF}:vip\npriority $PRIO\nid $_INSTANCE\n";
        assertEquals(List.of("interface", "eth1", "label", "eth1:vip", "priority", "150", "id", "lb1"),
                words(text, "lb1"));
        assertEquals(List.of(), problems.errors());
    }

    @Test
    void undefinedParameterIsAnErrorWithItsLineButNotInsideSingleQuotes() throws IOException {
        words("$A=x\ninterface $IFACE\nscript \"/bin/sh -c 'test -f $HOME'\"\nvip $A/24\n", "h");
        Path f = dir.resolve("k.conf");
        assertEquals(List.of(f + ":2: undefined parameter $IFACE in: interface $IFACE",
                f + ":4: parameter $A must be followed by a blank, ',' or ')'; write ${A} in: vip $A/24"),
                problems.errors());
    }

    @Test
    void multiLineDefinitionExpandsToLinesAtItsUse() throws IOException {
        String text = "$VIPS=10.0.0.1/24 \\\n  10.0.0.2/24 \\\n  10.0.0.3/24\nvirtual_ipaddress {\n$VIPS\n}\n";
        assertEquals(List.of("4:virtual_ipaddress", "4:{", "5:10.0.0.1/24", "5:10.0.0.2/24", "5:10.0.0.3/24",
                "6:}"), lines(text, "h"));
        assertEquals(List.of(), problems.errors());
    }

    @Test
    void seqRepeatsALineWithEachNumber() throws IOException {
        assertEquals(List.of("a1", "a2", "a3"), words("~SEQ(N, 3) a$N\n", "h"));
        assertEquals(List.of("b5", "b7", "b9"), words("~SEQ(N, 5, 2, 9) b$N\n", "h"));
        assertEquals(List.of("c3", "c2"), words("~SEQ(N, 3, 2) c${N}\n", "h"));
        assertEquals(List.of("ff09", "ff0a"), words("~SEQx(N, 9, 10) ff0$N\n", "h"));
        words("~SEQ(N, 1, -1, 3) x\n", "h");
        assertEquals(1, problems.errors().size(), problems.errors().toString());
    }

    @Test
    void nonUtf8BytesAreAllowedOnlyInComments() throws IOException {
        byte[] gbk = "state MASTER # 主节点\n! 备注\n".getBytes(Charset.forName("GBK"));
        assertEquals(List.of("state", "MASTER"), words(gbk, "h"));
        assertEquals(List.of(), problems.errors());
        words("state 主节点\n".getBytes(Charset.forName("GBK")), "h");
        assertEquals(List.of(dir.resolve("k.conf") + ":1: bytes that are not UTF-8 outside a comment (only "
                + "comments may hold another encoding)"), problems.errors());
    }

    @Test
    void crlfAndTrailingBackslashJoin() throws IOException {
        assertEquals(List.of("1:notify_master", "1:/bin/x", "3:next"), lines("notify_master \\\r\n  /bin/x\r\nnext\r\n", "h"));
    }

    @Test
    void includeNameMayBeAParameterAndDefinitionsCrossFiles() throws IOException {
        Files.writeString(dir.resolve("part.conf"), "interface $IF\n");
        assertEquals(List.of("interface", "eth3"), words("$IF=eth3\n$P=part.conf\ninclude $P\n", "h"));
        assertTrue(problems.errors().isEmpty(), problems.errors().toString());
    }
}
