package io.nginxha.agent.check;

import io.nginxha.agent.config.NginxCheckConfig;
import io.nginxha.agent.proc.ChildProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one of the nginx tracker's commands (the restart command, the config test): argv, no shell, none of our
 * capabilities; its output goes to the log when it fails.
 *
 * <p>A config test run by the agent's unprivileged user ({@code nginx -t} as vrrp-agent) fails on nginx's pid and
 * log files (EACCES) after the config has parsed: that says nothing about the config, so with
 * {@code permissionIsInconclusive} such a run counts as passed (logged once). A syntax error or unknown directive
 * fails the parse before any file is opened, and still counts as broken.
 */
final class CommandRestarter implements NginxTracker.Restarter {
    private static final Logger log = LoggerFactory.getLogger(CommandRestarter.class);
    static final String PERMISSION_DENIED = "(13: Permission denied)";

    private final NginxCheckConfig config;
    private final List<String> argv;
    private final String what;
    private final boolean permissionIsInconclusive;
    private volatile boolean toldInconclusive;

    CommandRestarter(NginxCheckConfig config) {
        this(config, config.restartCommand(), "restart", false);
    }

    CommandRestarter(NginxCheckConfig config, List<String> argv, String what, boolean permissionIsInconclusive) {
        this.config = config;
        this.argv = argv;
        this.what = what;
        this.permissionIsInconclusive = permissionIsInconclusive;
    }

    /** The status the tracker acts on: a failure that is only EACCES counts as success where that is inconclusive. */
    static int verdict(int exit, String output, boolean permissionIsInconclusive) {
        return exit != 0 && permissionIsInconclusive && output.contains(PERMISSION_DENIED) ? 0 : exit;
    }

    @Override
    public NginxTracker.Restart start() {
        Path out;
        Process p;
        try {
            out = Files.createTempFile("nginx-" + what.replace(' ', '-'), ".log");
            p = ChildProcesses.start(ChildProcesses.withoutCapabilities(argv), out);
        } catch (IOException e) {
            log.error("{}: cannot run the {} command: {}", config.name(), what, e.getMessage());
            return new NginxTracker.Restart() {
                public boolean running() {
                    return false;
                }

                public int exitStatus() {
                    return 127;
                }

                public void kill() { }
            };
        }
        // Done once the output has been read: the status the tracker sees may depend on it.
        CompletableFuture<Integer> status = p.onExit().thenApply(done -> {
            String text = "";
            try {
                text = ChildProcesses.outputTail(out);
                Files.deleteIfExists(out);
            } catch (IOException e) {
                log.debug("{} output", what, e);
            }
            int verdict = verdict(done.exitValue(), text, permissionIsInconclusive);
            if (verdict == 0 && done.exitValue() != 0) {
                if (!toldInconclusive) {
                    toldInconclusive = true;
                    log.warn("{}: the {} ({}) could not open nginx's files as this user, so it says nothing about "
                            + "the config: {}", config.name(), what, String.join(" ", argv), text);
                }
            } else if (done.exitValue() != 0) {
                log.warn("{}: {} command exited with {}{}", config.name(), what, done.exitValue(),
                        text.isEmpty() ? "" : ": " + text);
            } else if (!text.isEmpty()) {
                log.info("{}: {} command: {}", config.name(), what, text);
            }
            return verdict;
        });
        return new NginxTracker.Restart() {
            public boolean running() {
                return !status.isDone();
            }

            public int exitStatus() {
                return status.join();
            }

            public void kill() {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        };
    }
}
