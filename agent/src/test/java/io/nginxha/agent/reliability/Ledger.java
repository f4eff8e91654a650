package io.nginxha.agent.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The reliability table's source: every fault or hostile-input test records what it tried, how often and what
 * happened, so that the table in docs/reliability.md is produced by the tests CI runs rather than written by hand.
 *
 * <p>Rows go to {@code target/reliability/ledger.tsv} (one line per record, appended, tab-separated:
 * area, what was tried, trials, outcome, ok); {@code scripts/reliability-table} turns them into Markdown.
 * A test records only after its assertions passed, so a row with ok=false never exists on a green run;
 * ok stays in the format so a red run's partial ledger is still readable.
 */
public final class Ledger {
    /** Where the rows go; {@code reliability.ledger} overrides it (the build sets it to the module's target/). */
    static final Path FILE = Path.of(System.getProperty("reliability.ledger", "target/reliability/ledger.tsv"));

    private Ledger() { }

    /**
     * Appends one row.
     *
     * @param area     e.g. "simulation", "lab: partition", "hostile packet", "fuzzing", "hardening"
     * @param tried    the fault or input, in an operator's words ("20% loss + 50 ms jitter, advert_int 1, 180 s")
     * @param trials   how many times it was tried (seeds, packets, fuzz executions, repetitions)
     * @param outcome  what was observed ("one master after heal in 3.6 s; client served ha1; 0 requests lost")
     */
    public static synchronized void record(String area, String tried, long trials, String outcome) {
        write(area, tried, trials, outcome, true);
    }

    /** Records a failed trial on purpose (only for tests that report rather than assert, e.g. a benchmark). */
    public static synchronized void recordFailure(String area, String tried, long trials, String outcome) {
        write(area, tried, trials, outcome, false);
    }

    private static void write(String area, String tried, long trials, String outcome, boolean ok) {
        String line = String.join("\t", clean(area), clean(tried), Long.toString(trials), clean(outcome),
                Boolean.toString(ok)) + "\n";
        try {
            Files.createDirectories(FILE.toAbsolutePath().getParent());
            Files.writeString(FILE, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the reliability ledger " + FILE, e);
        }
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').strip();
    }
}
