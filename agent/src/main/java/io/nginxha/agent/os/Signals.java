package io.nginxha.agent.os;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Routes SIGTERM/SIGINT and SIGHUP to the agent's loop. Handling the signals ourselves (instead of relying
 * on shutdown hooks) lets the process resign cleanly and still exit with status 0. It knows the loop only as
 * the three things it asks of it, so this package stays below the runtime.
 *
 * <p>Two things the JDK does not do for us. It runs every signal on a thread of its own, so two SIGHUPs close
 * together would read and apply the config concurrently, perhaps the older file last: reloads go through one
 * thread of ours, and signals that arrive while one is read are merged into one more read, of the newest file.
 * And a JVM started with SIGHUP ignored (under {@code nohup}, or by a wrapper that ignores it) keeps it ignored
 * and says nothing, so the agent would never reload: the inherited disposition is reset first.
 */
public final class Signals {
    private static final Logger log = LoggerFactory.getLogger(Signals.class);
    private static final int SIGHUP = 1;

    private Signals() { }

    /** What a signal asks of the process. */
    public interface Target {
        /** Asks the loop to stop; returns at once. */
        void requestShutdown();

        /** Reads the config again and queues it for the loop; may take a while (it reads files). */
        void requestReload();

        /** Waits for the requested shutdown to be done. */
        boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException;
    }

    /** libc's signal(2), only to reset an inherited SIG_IGN to the default before the JVM installs its handler. */
    interface LibC extends Library {
        Pointer signal(int signum, Pointer handler);
    }

    public static void install(Target agent) {
        Reloads reloads = new Reloads(agent::requestReload);
        try {
            Signal.handle(new Signal("TERM"), s -> agent.requestShutdown());
            Signal.handle(new Signal("INT"), s -> agent.requestShutdown());
            handleHangup(s -> reloads.request());
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

    /**
     * Installs the SIGHUP handler. The JVM silently leaves a signal that was ignored at its start ignored (the
     * handle call then answers SIG_IGN and installs nothing); in that case the disposition is reset and the
     * handler installed again. Returns whether SIGHUP now reaches {@code handler}.
     */
    static boolean handleHangup(SignalHandler handler) {
        Signal hup = new Signal("HUP");
        SignalHandler previous = Signal.handle(hup, handler);
        if (previous != SignalHandler.SIG_IGN) {
            return true;
        }
        try {
            Native.load("libc.so.6", LibC.class).signal(SIGHUP, Pointer.NULL); // SIG_DFL; glibc by its soname
            previous = Signal.handle(hup, handler);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            log.error("SIGHUP was ignored when the agent started and cannot be reset ({}): reloads need a restart",
                    e.toString());
            return false;
        }
        if (previous == SignalHandler.SIG_IGN && Signal.handle(hup, handler) == SignalHandler.SIG_IGN) {
            log.error("SIGHUP is still ignored: reloads need a restart");
            return false;
        }
        log.warn("SIGHUP was ignored when the agent started (nohup?); reset, so SIGHUP reloads the config");
        return true;
    }

    /**
     * One reload at a time, on a thread of its own. A request made while a reload is reading the files sets one
     * more reload going after it, which reads them again: the newest file is always the one applied last.
     */
    static final class Reloads {
        private final Runnable reload;
        private final AtomicBoolean wanted = new AtomicBoolean();
        private final Object lock = new Object();
        private Thread worker;

        Reloads(Runnable reload) {
            this.reload = reload;
        }

        void request() {
            wanted.set(true);
            synchronized (lock) {
                if (worker == null || !worker.isAlive()) {
                    worker = new Thread(this::drain, "reload");
                    worker.setDaemon(true);
                    worker.start();
                } else {
                    lock.notifyAll();
                }
            }
        }

        private void drain() {
            while (true) {
                synchronized (lock) {
                    while (!wanted.get()) {
                        try {
                            lock.wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
                wanted.set(false);
                try {
                    reload.run();
                } catch (RuntimeException e) {
                    log.error("reload failed: {}", e.toString());
                }
            }
        }
    }
}
