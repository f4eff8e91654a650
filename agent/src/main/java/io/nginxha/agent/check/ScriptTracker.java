package io.nginxha.agent.check;

import io.nginxha.agent.config.ScriptConfig;
import io.nginxha.agent.proc.ChildProcesses;
import io.nginxha.agent.proc.ScriptSecurity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A keepalived {@code vrrp_script}: runs the command every interval (argv as the config split it, no shell, as
 * keepalived 2.2 does), exit 0 is success. A run that outlives the timeout is killed with its descendants and
 * counts as a failure. {@code fall} failures in a row make it down, {@code rise} successes in a row make it up.
 * Output goes to a file, never a pipe (a hung grandchild holding a pipe would block us), and is logged at DEBUG,
 * or at INFO when the run failed. With a user set and the agent running as root, the command runs under
 * {@code runuser -u USER [-g GROUP] --}; when not root the user switch is skipped (we could not switch anyway).
 */
public final class ScriptTracker implements Check {
    private static final Logger log = LoggerFactory.getLogger(ScriptTracker.class);

    private final ScriptConfig config;
    private final List<String> argv;
    private boolean up;
    private int successes;
    private int failures;
    private final Optional<String> refusal;
    private final boolean scriptSecurity;
    private volatile boolean closed;
    private Thread thread;

    /** @param defaultUser the global script_user, used when the script sets none; null for no switch */
    public ScriptTracker(ScriptConfig config, String defaultUser) {
        this(config, defaultUser, false);
    }

    /**
     * @param defaultUser    the global script_user, used when the script sets none; null for no switch
     * @param scriptSecurity enable_script_security: never run a script that would run as root from a path that
     *                       others can write ({@link ScriptSecurity}); without it such a script runs with a warning
     */
    public ScriptTracker(ScriptConfig config, String defaultUser, boolean scriptSecurity) {
        this.config = config;
        String user = config.user() != null ? config.user() : defaultUser;
        this.argv = ChildProcesses.asUser(config.command(), user, ChildProcesses.AGENT_IS_ROOT);
        this.up = !config.initFail();
        this.refusal = ScriptSecurity.runsAsRoot(user, ChildProcesses.AGENT_IS_ROOT)
                ? ScriptSecurity.unsafe(config.command())
                .map(why -> config.name() + ": unsafe to run as root: " + why) : Optional.empty();
        this.scriptSecurity = scriptSecurity;
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public boolean initiallyUp() {
        return up;
    }

    /** Whether this script is never run (enable_script_security and an unsafe path); it keeps its initial status. */
    boolean refused() {
        return scriptSecurity && refusal.isPresent();
    }

    /**
     * A turn of its loop takes at most the interval, or the timeout and the kill of a hung run (5 s to reap): past
     * that and as much again, the thread is stuck where no run can free it.
     */
    @Override
    public long maxSilenceMs() {
        return refused() ? -1 : 2 * (Math.max(config.intervalMs(), config.timeoutMs()) + 5_000);
    }

    @Override
    public void start(Check.Sink sink) {
        if (refused()) {
            // keepalived disables such a script rather than failing it: no priority change, no FAULT from it.
            log.error("{}; enable_script_security is set, so it is never run", refusal.get());
            return;
        }
        refusal.ifPresent(why -> log.warn("{}; it runs anyway (set enable_script_security to refuse it)", why));
        thread = new Thread(() -> loop(sink), "script-" + config.name());
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(Check.Sink sink) {
        Path out;
        try {
            out = Files.createTempFile("vrrp-script-" + config.name(), ".out");
        } catch (IOException e) {
            log.error("{}: cannot create an output file: {}", config.name(), e.getMessage());
            return;
        }
        try {
            while (!closed) {
                sink.alive();
                long started = System.nanoTime();
                Result r = runOnce(out);
                Boolean changed = record(r.success());
                sink.ran(config.name(), r.exitCode(), (System.nanoTime() - started) / 1e9);
                if (changed != null) {
                    sink.status(config.name(), changed, r.detail());
                }
                long left = TimeUnit.MILLISECONDS.toNanos(config.intervalMs()) - (System.nanoTime() - started);
                if (left > 0) {
                    TimeUnit.NANOSECONDS.sleep(left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(out);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }

    /** Counts one run; returns the new status when it changed, else null. */
    Boolean record(boolean success) {
        if (success) {
            failures = 0;
            successes++;
            if (!up && successes >= config.rise()) {
                up = true;
                return true;
            }
        } else {
            successes = 0;
            failures++;
            if (up && failures >= config.fall()) {
                up = false;
                return false;
            }
        }
        return null;
    }

    record Result(boolean success, String detail, int exitCode) {
        Result(boolean success, String detail) {
            this(success, detail, success ? 0 : 1);
        }
    }

    Result runOnce(Path out) throws InterruptedException {
        Process p;
        try {
            p = ChildProcesses.start(argv, out);
        } catch (IOException e) {
            log.warn("{}: cannot run {}: {}", config.name(), argv.get(0), e.getMessage());
            return new Result(false, "cannot run: " + e.getMessage());
        }
        Result r;
        boolean finished;
        try {
            finished = p.waitFor(config.timeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill(p); // closed (stop or reload): a run in progress does not outlive its tracker
            throw e;
        }
        if (!finished) {
            kill(p);
            r = new Result(false, "timed out after " + config.timeoutMs() + " ms, killed", -1);
        } else {
            r = new Result(p.exitValue() == 0, "exit status " + p.exitValue(), p.exitValue());
        }
        logOutput(out, r);
        return r;
    }

    /** Kills the whole tree (a shell script's sleep or curl would otherwise live on) and reaps it: no zombie. */
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.onExit().get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("pid {} did not exit after SIGKILL: {}", p.pid(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void logOutput(Path out, Result r) {
        try {
            String text = ChildProcesses.outputTail(out);
            if (!text.isEmpty()) {
                if (r.success()) {
                    log.debug("{}: {}", config.name(), text);
                } else {
                    log.info("{} ({}): {}", config.name(), r.detail(), text);
                }
            } else if (!r.success()) {
                log.debug("{}: {}", config.name(), r.detail());
            }
        } catch (IOException e) {
            log.debug("{}: output unreadable: {}", config.name(), e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
