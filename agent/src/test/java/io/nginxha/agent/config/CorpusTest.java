package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The project's own keepalived.conf corpus (src/test/resources/corpus): each NAME.conf, read as host "lb1", has
 * its outcome in NAME.expect: "ok", or its exact errors and warnings ("error: NAME.conf:LINE: message").
 * A mismatch leaves the actual outcome in target/corpus-actual/NAME.expect, to compare or, once checked, copy.
 */
class CorpusTest {
    private static final Path CORPUS = Path.of("src", "test", "resources", "corpus");

    static Stream<String> configs() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".conf")).sorted().toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void outcomeIsTheExpectedOne(String name) throws IOException {
        Path conf = CORPUS.resolve(name).toAbsolutePath();
        List<String> outcome = new ArrayList<>();
        try {
            LoadResult r = ConfigLoader.loadWithWarnings(conf, "lb1");
            r.warnings().forEach(w -> outcome.add("warning: " + w));
        } catch (ConfigException e) {
            e.problems().forEach(p -> outcome.add("error: " + p));
        }
        String prefix = conf.getParent() + "/";
        String actual = outcome.isEmpty() ? "ok\n"
                : String.join("\n", outcome.stream().map(l -> l.replace(prefix, "")).toList()) + "\n";
        String expectName = name.replaceFirst("\\.conf$", ".expect");
        Path expectFile = CORPUS.resolve(expectName);
        String expected = Files.exists(expectFile) ? Files.readString(expectFile) : "(no " + expectName + ")";
        if (!expected.equals(actual)) {
            Path out = Path.of("target", "corpus-actual");
            Files.createDirectories(out);
            Files.writeString(out.resolve(expectName), actual);
        }
        assertEquals(expected, actual, name);
    }
}
