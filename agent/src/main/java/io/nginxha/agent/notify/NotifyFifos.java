package io.nginxha.agent.notify;

import io.nginxha.agent.config.FifoSettings;
import io.nginxha.agent.config.NotifyFifoConfig;
import io.nginxha.agent.proc.ChildProcesses;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notify FIFOs of global_defs and their scripts, on the notifier's thread: every VRRP line goes to both
 * notify_fifo and vrrp_notify_fifo, as keepalived writes it. Each FIFO's notify_fifo_script is started once the
 * FIFO is open, with the FIFO's path as its last argument, and runs as long as its FIFO (keepalived ends it with
 * SIGTERM when it stops; so does the agent, and when a reload changes that FIFO). A FIFO that cannot be opened is
 * logged and left out, as keepalived leaves it out; the others still get their lines.
 */
final class NotifyFifos implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NotifyFifos.class);
    /** How long a script gets to act on SIGTERM before it and its children are killed. */
    static final long SCRIPT_STOP_MS = 2000;

    /** Starts a FIFO script; the notifier's, which applies script_user and enable_script_security. */
    @FunctionalInterface
    interface Starter {
        /** @return the started process, or null when it was not started (the reason is logged) */
        Process start(String who, List<String> argv, String user);
    }

    /** One open FIFO, its config and its script. */
    private record Open(NotifyFifoConfig config, NotifyFifo fifo, Process script) { }

    private final Starter starter;
    private final Open[] open = new Open[2];

    NotifyFifos(Starter starter) {
        this.starter = starter;
    }

    /** Opens what {@code settings} names and closes what it no longer names; a FIFO unchanged stays as it is. */
    void configure(FifoSettings settings) {
        NotifyFifoConfig[] wanted = {settings.global(), settings.vrrp()};
        for (int i = 0; i < 2; i++) {
            Open now = open[i];
            if (now != null && Objects.equals(now.config(), wanted[i])) {
                continue;
            }
            if (now != null) {
                stop(now);
                open[i] = null;
            }
            if (wanted[i] != null) {
                open[i] = start(i == 0 ? "notify_fifo" : "vrrp_notify_fifo", wanted[i]);
            }
        }
    }

    private Open start(String what, NotifyFifoConfig c) {
        NotifyFifo fifo;
        try {
            fifo = NotifyFifo.open(Path.of(c.path()), c.owner());
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            log.error("{} {} not opened, its lines are not written: {}", what, c.path(), e.getMessage());
            return null;
        }
        log.info("{} {} open", what, c.path());
        Process script = null;
        if (!c.script().isEmpty()) {
            List<String> argv = new ArrayList<>(c.script());
            argv.add(c.path());
            script = starter.start(what + "_script", argv, c.scriptUser());
            if (script != null) {
                script.onExit().thenAccept(p -> log.info("{} script {} terminated (exit {})", what, argv.get(0),
                        p.exitValue()));
            }
        }
        return new Open(c, fifo, script);
    }

    private static void stop(Open o) {
        // the FIFO goes first, so a script that loops reopening it cannot reopen it (keepalived fifo_close)
        o.fifo().close();
        Process p = o.script();
        if (p != null && p.isAlive()) {
            p.destroy(); // SIGTERM, as keepalived sends its FIFO scripts
            try {
                if (!p.waitFor(SCRIPT_STOP_MS, TimeUnit.MILLISECONDS)) {
                    ChildProcesses.kill(p);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ChildProcesses.kill(p);
            }
        }
    }

    /** Writes {@code line} to every open FIFO; never waits (a full pipe drops the line and counts it). */
    void write(String line) {
        for (Open o : open) {
            if (o != null) {
                o.fifo().write(line);
            }
        }
    }

    /** Whether any FIFO is open. */
    boolean any() {
        return open[0] != null || open[1] != null;
    }

    /** Lines dropped on all FIFOs since they were opened. */
    long dropped() {
        long n = 0;
        for (Open o : open) {
            n += o == null ? 0 : o.fifo().dropped();
        }
        return n;
    }

    /** The script of the FIFO at {@code path}, for tests; null when none runs. */
    Process script(String path) {
        for (Open o : open) {
            if (o != null && o.config().path().equals(path)) {
                return o.script();
            }
        }
        return null;
    }

    @Override
    public void close() {
        for (int i = 0; i < 2; i++) {
            if (open[i] != null) {
                stop(open[i]);
                open[i] = null;
            }
        }
    }
}
