package io.nginxha.agent.os;

import java.time.Duration;
import java.util.Optional;

/** Tests: waits for a {@link Liveness} to report a stalled thread (the watchdog no longer fed). */
public final class Stalls {
    private static final long POLL_MS = 25;

    private Stalls() { }

    /** The first stall reported within {@code within}, or empty if the liveness stayed healthy that long. */
    public static Optional<String> await(Liveness liveness, Duration within) throws InterruptedException {
        long polls = Math.max(1, within.toMillis() / POLL_MS);
        for (long i = 0; i < polls; i++) {
            Optional<String> s = liveness.stalled();
            if (s.isPresent()) {
                return s;
            }
            Thread.sleep(POLL_MS);
        }
        return Optional.empty();
    }
}
