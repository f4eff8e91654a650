package io.nginxha.agent.cli;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.ConfigException;
import io.nginxha.agent.config.ConfigLoader;
import io.nginxha.agent.proc.ChildProcesses;
import io.nginxha.agent.runtime.ConfigSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The config file as a reload reads it: not while it is being written. An operator's editor or a deployment tool
 * that writes the file in place (not by rename) can be caught halfway by a SIGHUP, and a half-written file may
 * still be valid (the second instance cut off): loaded, it would retire that instance. So a reload first waits
 * until the file has not changed for {@link #QUIET_MS}, and reads it again if it changed while it was read.
 */
final class SettledConfig implements ConfigSource {
    private static final Logger log = LoggerFactory.getLogger(SettledConfig.class);
    /** How long the file must stay unchanged; writers finish a few-kB file in far less. */
    static final long QUIET_MS = 300;
    /** The longest a reload waits for a file that keeps changing before it reads it anyway. */
    static final long GIVE_UP_MS = 5000;

    interface Sleeper {
        void sleep(long ms) throws InterruptedException;
    }

    private final Path file;
    private final String configId;
    private final Sleeper sleeper;

    /** {@code configId}: the {@code @ID} lines to keep, as for the first load. */
    SettledConfig(Path file, String configId) {
        this(file, configId, Thread::sleep);
    }

    SettledConfig(Path file, String configId, Sleeper sleeper) {
        this.file = file;
        this.configId = configId;
        this.sleeper = sleeper;
    }

    @Override
    public AgentConfig load() throws ConfigException {
        long waited = awaitQuiet();
        for (int attempt = 0; ; attempt++) {
            List<Object> before = stamp();
            AgentConfig config = ConfigLoader.load(file, configId);
            RunAsCheck.check(config, System.getProperty("user.name"), ChildProcesses.AGENT_IS_ROOT);
            if (Objects.equals(before, stamp()) || attempt == 2) {
                if (waited > 0) {
                    log.info("reload: waited {} ms for {} to stop changing", waited, file);
                }
                return config;
            }
            log.info("reload: {} changed while it was read; reading it again", file);
            waited += awaitQuiet();
        }
    }

    /** Waits until the file's last change is {@link #QUIET_MS} old (or {@link #GIVE_UP_MS} passed); returns ms. */
    private long awaitQuiet() {
        long waited = 0;
        try {
            while (waited < GIVE_UP_MS) {
                long age = System.currentTimeMillis() - modifiedMs();
                if (age >= QUIET_MS || age < 0) {
                    return waited; // settled (or a clock step put the change in the future: do not wait forever)
                }
                long nap = QUIET_MS - age;
                sleeper.sleep(nap);
                waited += nap;
            }
            log.warn("reload: {} kept changing for {} ms; reading it as it is", file, GIVE_UP_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return waited;
    }

    private long modifiedMs() {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0; // missing or unreadable: the loader says so with the file's name
        }
    }

    private List<Object> stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(a.lastModifiedTime().toMillis(), a.size(), String.valueOf(a.fileKey()));
        } catch (IOException e) {
            return List.of();
        }
    }
}
