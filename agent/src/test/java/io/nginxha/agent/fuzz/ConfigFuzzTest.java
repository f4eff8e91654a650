package io.nginxha.agent.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.nginxha.agent.config.ConfigException;
import io.nginxha.agent.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing (Jazzer) of the config loader: the keepalived.conf lexer and parser, the YAML reader
 * (chosen by the content, as in production) and the validator. Whatever the bytes, the only exception allowed out is
 * {@link ConfigException}, and each of its problems names the file and line ({@code FILE:LINE: what}), except the
 * two that concern the whole file (unreadable, no instance at all).
 *
 * <p>The corpus in {@code ConfigFuzzTestInputs/} starts from the test configs (the seed's keepalived.conf files,
 * the production example, YAML). CI replays it; fuzzing it is on demand ({@code JAZZER_FUZZ=1 ./mvnw -q -B test
 * -Dtest='ConfigFuzzTest#loadConfig' -Dsurefire.failIfNoSpecifiedTests=false}): at tens to a few hundred runs a
 * second it needs more than CI's budget to be worth it.
 */
class ConfigFuzzTest {
    /**
     * Inputs whose include might leave the scratch directory (any path, home, parent): /proc or /dev would hang the
     * run, and reading the host's files proves nothing. Includes of names in the scratch directory stay fuzzed.
     */
    private static final Pattern ESCAPING_INCLUDE = Pattern.compile("(?is)include.*(/|~|\\.\\.)");
    private static final Pattern LOCATED = Pattern.compile("(?s).+:\\d+: .+");
    private static final Path DIR = scratch();
    private static final Path FILE = DIR.resolve("keepalived.conf");

    private static final FuzzLedger LEDGER = new FuzzLedger("config loader: keepalived.conf lexer, parser and"
            + " validator, YAML reader", "only ConfigException escaped, each problem naming FILE:LINE");

    @FuzzTest(maxDuration = "60s")
    void loadConfig(byte[] data) throws Exception {
        LEDGER.run(() -> load(data));
    }

    @AfterAll
    static void record() {
        LEDGER.record();
    }

    private static void load(byte[] data) throws IOException {
        String text = new String(data, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (ESCAPING_INCLUDE.matcher(text).find()) {
            return;
        }
        Files.write(FILE, data);
        try {
            ConfigLoader.loadWithWarnings(FILE);
        } catch (ConfigException e) {
            for (String problem : e.problems()) {
                assertTrue(LOCATED.matcher(problem).matches() || problem.startsWith("cannot read " + FILE)
                                || problem.startsWith("no vrrp_instance is configured"),
                        "problem without FILE:LINE: " + problem);
            }
        }
    }

    private static Path scratch() {
        try {
            Path dir = Files.createTempDirectory("config-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
