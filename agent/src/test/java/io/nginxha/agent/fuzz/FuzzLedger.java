package io.nginxha.agent.fuzz;

import io.nginxha.agent.reliability.Ledger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts one fuzz target's executions and records them in the reliability ledger once the target is done, unless
 * one of them failed. The same code serves Jazzer's two modes: replaying the committed corpus (every test run) and
 * coverage-guided fuzzing ({@code JAZZER_FUZZ=1}, the {@code fuzz} profile that {@code ./test} enables).
 */
final class FuzzLedger {
    private final String tried;
    private final String outcome;
    private final AtomicLong runs = new AtomicLong();
    private volatile boolean failed;

    FuzzLedger(String tried, String outcome) {
        this.tried = tried;
        this.outcome = outcome;
    }

    /** Runs one input through {@code target}, counting it, and remembering a failure so nothing is recorded. */
    void run(ThrowingRunnable target) throws Exception {
        runs.incrementAndGet();
        try {
            target.run();
        } catch (Exception | Error e) {
            failed = true;
            throw e;
        }
    }

    /** Call from {@code @AfterAll}. */
    void record() {
        long count = runs.getAndSet(0); // a later class driving the same target records its own runs
        if (failed || count == 0) {
            return;
        }
        String fuzzing = System.getenv("JAZZER_FUZZ");
        String mode = fuzzing != null && !fuzzing.isEmpty() ? "coverage-guided fuzzing (Jazzer)"
                : "replay of the committed corpus";
        Ledger.record("fuzzing", tried + ": " + mode, count, outcome);
    }

    /** A fuzz target's body. */
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
