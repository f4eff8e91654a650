package io.nginxha.agent.os;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Routes SIGTERM/SIGINT and SIGHUP to the agent's loop. Handling the signals ourselves (instead of relying
 * on shutdown hooks) lets the process resign cleanly and still exit with status 0. It knows the loop only as
 * the three things it asks of it, so this package stays below the runtime.
 */
public final class Signals {
    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    private Signals() { }

    /** What a signal asks of the process. */
    public interface Target {
        /** Asks the loop to stop; returns at once. */
        void requestShutdown();

        /** Reads the config again and queues it for the loop. */
        void requestReload();

        /** Waits for the requested shutdown to be done. */
        boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException;
    }

    public static void install(Target agent) {
        try {
            Signal.handle(new Signal("TERM"), s -> agent.requestShutdown());
            Signal.handle(new Signal("INT"), s -> agent.requestShutdown());
            Signal.handle(new Signal("HUP"), s -> agent.requestReload());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.warn("cannot handle signals ({}); relying on the shutdown hook", e.getMessage());
        }
        // For any other way the JVM ends (System.exit elsewhere, a signal we could not take): still resign.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.requestShutdown();
            try {
                agent.awaitStopped(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shutdown"));
    }
}
