package io.nginxha.agent.runtime;

import io.nginxha.agent.os.Liveness;
import io.nginxha.agent.os.SystemdNotifier;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the loop tells systemd: ready, alive, stopping. Alive only while every thread the agent relies on is
 * ({@link Liveness}): the loop being fine is not enough when it can no longer hear the wire or learn a check's
 * result, and systemd restarts an agent that stops saying it is alive.
 */
final class Watchdog {
    private static final Logger log = LoggerFactory.getLogger(Watchdog.class);

    private final SystemdNotifier systemd = SystemdNotifier.fromEnvironment();
    private final Liveness liveness;
    /** Why the watchdog is no longer fed, null while it is. */
    private String starved;

    Watchdog(Liveness liveness) {
        this.liveness = liveness;
    }

    void ready(int instances) {
        systemd.ready(instances);
    }

    void stopping() {
        systemd.stopping();
    }

    /** After each pass of the loop; returns why it was not fed, or null. */
    String loopPassed() {
        Optional<String> stalled = liveness.stalled();
        if (stalled.isEmpty()) {
            if (starved != null) {
                log.info("watchdog: fed again ({} recovered)", starved);
                starved = null;
            }
            systemd.loopAlive();
        } else {
            String before = starved;
            starved = stalled.get();
            if (before == null || !thread(before).equals(thread(starved))) {
                // once per thread: its reason says "for N ms" and changes with every pass
                log.error("watchdog: no longer fed, so systemd restarts the agent: {}", starved);
            }
        }
        return starved;
    }

    /** The watched thread a reason names (Liveness puts it first, before a colon). */
    private static String thread(String reason) {
        int colon = reason.indexOf(": ");
        return colon < 0 ? reason : reason.substring(0, colon);
    }
}
