package io.nginxha.agent.notify;

import io.nginxha.agent.proc.ChildProcesses;
import io.nginxha.agent.proc.ScriptSecurity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the notify scripts of {@link Notifier}, as keepalived does: as their own user or script_user, refused
 * under enable_script_security when they would run as root from a path others can write. A script is only
 * started; its exit and output are logged when they come, and one still running after the timeout is killed
 * with its descendants, so nothing ever waits for it.
 */
final class NotifyScripts {
    /** Under the notifier's name, as before this class was split out of it: operators' log filters keep working. */
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    /** A notify script still running after this long is killed with its descendants: nothing waits for it. */
    static final long SCRIPT_TIMEOUT_SEC = 60;
    private volatile long scriptTimeoutMs = SCRIPT_TIMEOUT_SEC * 1000;
    /** The settings of now (script_user, enable_script_security); a reload replaces them. */
    private final Supplier<Notifier.Settings> settings;

    NotifyScripts(Supplier<Notifier.Settings> settings) {
        this.settings = settings;
    }

    /**
     * Whether {@code argv} may run as {@code user} (user[:group], null for script_user) under
     * enable_script_security; the refusal or the warning is logged.
     */
    private boolean allowed(String who, List<String> argv, String user) {
        if (ScriptSecurity.runsAsRoot(user, ChildProcesses.AGENT_IS_ROOT)) {
            Optional<String> unsafe = ScriptSecurity.unsafe(argv);
            if (unsafe.isPresent() && settings.get().scriptSecurity()) {
                log.error("{}: notify script {} not run (enable_script_security): unsafe to run as root: {}",
                        who, argv.get(0), unsafe.get());
                return false;
            }
            unsafe.ifPresent(why -> log.warn("{}: notify script {} is unsafe to run as root: {}", who,
                    argv.get(0), why));
        }
        return true;
    }

    /** A FIFO's script: as its user or script_user, output discarded (it runs as long as the FIFO). */
    Process startFifoScript(String who, List<String> argv, String user) {
        String runAs = user != null ? user : settings.get().scriptUser();
        if (!allowed(who, argv, runAs)) {
            return null;
        }
        try {
            Process p = ChildProcesses.start(ChildProcesses.asUser(argv, runAs, ChildProcesses.AGENT_IS_ROOT),
                    Path.of("/dev/null"));
            log.info("{} {} started (pid {})", who, argv, p.pid());
            return p;
        } catch (IOException e) {
            log.warn("{}: cannot run {}: {}", who, argv.get(0), e.getMessage());
            return null;
        }
    }

    /** @param user the script's own USER [GROUP] as user[:group], null for script_user */
    void launch(String instance, List<String> argv, String user) {
        if (argv.isEmpty()) {
            return;
        }
        String scriptUser = user != null ? user : settings.get().scriptUser();
        if (!allowed(instance, argv, scriptUser)) {
            return;
        }
        try {
            Path out = Files.createTempFile("vrrp-notify", ".out");
            Process p = ChildProcesses.start(ChildProcesses.asUser(argv, scriptUser, ChildProcesses.AGENT_IS_ROOT),
                    out);
            log.debug("{}: notify {} started (pid {})", instance, argv, p.pid());
            p.onExit().orTimeout(scriptTimeoutMs, TimeUnit.MILLISECONDS).whenComplete((done, timedOut) -> {
                if (timedOut != null) {
                    log.warn("{}: notify script {} still running after {} ms: killed with its descendants", instance,
                            argv.get(0), scriptTimeoutMs);
                    ChildProcesses.kill(p);
                    done = p;
                }
                try {
                    String text = ChildProcesses.outputTail(out);
                    Files.deleteIfExists(out);
                    if (timedOut == null && done.exitValue() != 0) {
                        log.warn("{}: notify script {} exited with {}{}", instance, argv.get(0), done.exitValue(),
                                text.isEmpty() ? "" : ": " + text);
                    } else if (!text.isEmpty()) {
                        log.info("{}: notify script {}: {}", instance, argv.get(0), text);
                    }
                } catch (IOException e) {
                    log.debug("notify output", e);
                }
            });
        } catch (IOException e) {
            log.warn("{}: cannot run notify script {}: {}", instance, argv.get(0), e.getMessage());
        }
    }

    /** Tests: a shorter bound than {@link #SCRIPT_TIMEOUT_SEC}. */
    void scriptTimeoutMs(long ms) {
        scriptTimeoutMs = ms;
    }
}
