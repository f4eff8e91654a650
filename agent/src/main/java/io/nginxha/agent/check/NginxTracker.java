package io.nginxha.agent.check;

import io.nginxha.agent.config.NginxCheckConfig;
import io.nginxha.agent.proc.ProcessExits;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in nginx tracker. Checks the pid file and /proc: while nginx is up and no URL probe is set, it waits on
 * the master's pidfd ({@link ProcessExits}), so a stop is seen the moment it happens, and looks again every second
 * (a new master after a binary upgrade); otherwise, and on kernels without pidfds, it polls every {@code interval}
 * (20 ms by default). It optionally probes a local URL on its own thread. When nginx is down it runs the restart
 * command, and beside it the config test ({@code nginx -t}): a config that fails the test reports nginx down at once,
 * so the VIP moves without waiting for the restarts to fail. If nginx is not healthy again after
 * {@code restart_attempts} restarts within {@code restart_window}, it reports down (the instance loses the VIP). It
 * keeps restarting as the window allows, and reports up only once nginx has stayed healthy for {@code hold_down}, so
 * a crash-looping nginx cannot make the VIP flap.
 */
public final class NginxTracker implements Check {
    private static final Logger log = LoggerFactory.getLogger(NginxTracker.class);

    /** Starts the restart command; returns a handle the tracker polls. */
    interface Restarter {
        Restart start();
    }

    /** One run of the restart command. */
    interface Restart {
        boolean running();

        /** Meaningful once not running: a non-zero status fails the attempt at once, no start timeout to wait. */
        int exitStatus();

        void kill();
    }

    /** Waits between two ticks; {@code up}: nginx was healthy at the last one (a pidfd may end the wait early). */
    interface Pause {
        void between(boolean up) throws InterruptedException;
    }

    enum Phase { UP, RESTARTING, GIVEN_UP }

    /** How long a wait on the master's pidfd lasts before the pid file is read again. */
    static final int EXIT_WAIT_MS = 1000;

    private final NginxCheckConfig config;
    private final BooleanSupplier healthy;
    private final Restarter restarter;
    private final Restarter configTester;
    private Restart configTest;
    private Pause pause;
    /** The pidfd watcher behind {@link #pause}, closed when the tracker's thread ends (a reload makes a new one). */
    private ProcessExits exits;
    private final Deque<Long> attempts = new ArrayDeque<>();
    private final boolean initiallyUp;
    private Phase phase;
    private Restart restart;
    private long restartStarted;
    private long downSince;
    private long healthySince = -1;
    private long requiredStableNanos;
    private Check.Sink sink;
    private volatile boolean closed;
    private Thread thread;
    private HttpProbe probe;

    /** The production tracker: pid file and /proc, the optional HTTP probe, the restart command as a process. */
    public static NginxTracker create(NginxCheckConfig config) {
        NginxProcess process = new NginxProcess(Path.of(config.pidFile()));
        HttpProbe probe = config.probeUrl() == null ? null : new HttpProbe(config);
        long[] lastPid = {-1};
        BooleanSupplier healthy = () -> {
            lastPid[0] = process.alivePid();
            return lastPid[0] > 0 && (probe == null || probe.ok);
        };
        NginxTracker t = new NginxTracker(config, healthy, new CommandRestarter(config, config.restartCommand(), "restart", false),
                config.configTestCommand().isEmpty() ? null
                        : new CommandRestarter(config, config.configTestCommand(), "config test", true),
                System.nanoTime());
        t.probe = probe;
        // A probe's failure must be seen within the interval, so only a tracker without one sleeps on the pidfd.
        ProcessExits exits = probe == null ? ProcessExits.create() : null;
        long interval = config.pollIntervalMs();
        t.pause = exits != null && exits.available()
                ? up -> {
                    if (up) {
                        exits.await(lastPid[0], EXIT_WAIT_MS);
                    } else {
                        Thread.sleep(interval);
                    }
                }
                : up -> Thread.sleep(interval);
        t.exits = exits;
        return t;
    }

    NginxTracker(NginxCheckConfig config, BooleanSupplier healthy, Restarter restarter, long now) {
        this(config, healthy, restarter, null, now);
    }

    /** {@code configTester}: runs the config test beside each restart; null for none. */
    NginxTracker(NginxCheckConfig config, BooleanSupplier healthy, Restarter restarter, Restarter configTester,
                 long now) {
        this.config = config;
        this.healthy = healthy;
        this.restarter = restarter;
        this.configTester = configTester;
        this.pause = up -> Thread.sleep(config.pollIntervalMs());
        this.initiallyUp = healthy.getAsBoolean();
        // Down at start-up: report down at once and restart; no hold-down is owed yet.
        this.phase = initiallyUp ? Phase.UP : Phase.GIVEN_UP;
        this.downSince = now;
        this.requiredStableNanos = 0;
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public boolean initiallyUp() {
        return initiallyUp;
    }

    Phase phase() {
        return phase;
    }

    @Override
    public void start(Check.Sink sink) {
        this.sink = sink;
        if (probe != null) {
            probe.start();
        }
        thread = new Thread(this::loop, "nginx-" + config.name());
        thread.setDaemon(true);
        thread.start();
    }

    /** A turn polls once and pauses for the interval (or a second on the pidfd), never waiting on a child. */
    @Override
    public long maxSilenceMs() {
        return 2 * (Math.max(config.pollIntervalMs(), EXIT_WAIT_MS) + 5_000);
    }

    /** Sets the sink without a thread, for tests that call {@link #tick} themselves. */
    void startForTest(Check.Sink sink) {
        this.sink = sink;
    }

    private void loop() {
        while (!closed) {
            sink.alive();
            try {
                tick(System.nanoTime());
            } catch (RuntimeException e) {
                log.error("{}: nginx check failed", config.name(), e);
            }
            try {
                pause.between(phase == Phase.UP);
            } catch (InterruptedException e) {
                break;
            }
        }
        if (exits != null) {
            exits.close(); // on this thread: the watcher is not thread-safe
        }
    }

    /** One poll; the whole policy lives here so tests can drive it with a fake clock. */
    void tick(long now) {
        boolean ok = healthy.getAsBoolean();
        switch (phase) {
            case UP -> {
                if (!ok) {
                    downSince = now;
                    log.warn("{}: nginx is down", config.name());
                    restartOrGiveUp(now);
                }
            }
            case RESTARTING -> {
                if (ok) {
                    log.info("{}: nginx is up again, {} ms after it was found down", config.name(),
                            (now - downSince) / 1_000_000);
                    phase = Phase.UP;
                } else if (configBroken()) {
                    giveUp("nginx down and its config test failed");
                } else if (restartOver(now)) {
                    restartOrGiveUp(now);
                }
            }
            case GIVEN_UP -> {
                if (!ok) {
                    healthySince = -1;
                    if (restartOver(now) && mayRestart(now)) {
                        launchRestart(now);
                    }
                } else if (healthySince < 0) {
                    healthySince = now;
                }
                if (ok && now - healthySince >= requiredStableNanos) {
                    log.info("{}: nginx healthy for {} ms, tracking it as up again", config.name(),
                            (now - healthySince) / 1_000_000);
                    phase = Phase.UP;
                    report(true, "nginx is healthy again");
                }
            }
        }
    }

    /** True when no restart is running (one that outlived the start timeout is killed). */
    private boolean restartOver(long now) {
        if (restart == null) {
            return true;
        }
        boolean timedOut = now - restartStarted >= TimeUnit.MILLISECONDS.toNanos(config.startTimeoutMs());
        if (restart.running() && !timedOut) {
            return false;
        }
        if (!timedOut && !restart.running() && restart.exitStatus() != 0) {
            restart = null; // it said it failed: no point waiting for nginx
            return true;
        }
        if (!timedOut) {
            return false; // the command returned 0; give nginx the rest of the start timeout to become healthy
        }
        if (restart.running()) {
            log.warn("{}: restart command still running after {} ms, killed", config.name(), config.startTimeoutMs());
            restart.kill();
        }
        restart = null;
        return true;
    }

    private boolean mayRestart(long now) {
        long window = TimeUnit.MILLISECONDS.toNanos(config.restartWindowMs());
        while (!attempts.isEmpty() && now - attempts.peekFirst() >= window) {
            attempts.removeFirst();
        }
        return !config.restartCommand().isEmpty() && attempts.size() < config.restartAttempts();
    }

    private void restartOrGiveUp(long now) {
        if (mayRestart(now)) {
            launchRestart(now);
            phase = Phase.RESTARTING;
        } else {
            log.error("{}: nginx not healthy after {} restart(s) within {} ms: giving up", config.name(),
                    attempts.size(), config.restartWindowMs());
            giveUp("nginx down, restart failed");
        }
    }

    private void giveUp(String why) {
        phase = Phase.GIVEN_UP;
        healthySince = -1;
        requiredStableNanos = TimeUnit.MILLISECONDS.toNanos(config.holdDownMs());
        report(false, why);
    }

    /** The config test beside the current restart has failed (told once). */
    private boolean configBroken() {
        if (configTest == null || configTest.running()) {
            return false;
        }
        boolean failed = configTest.exitStatus() != 0;
        configTest = null;
        if (failed) {
            log.error("{}: the nginx config test ({}) failed: reporting nginx down now, restarts go on as the window "
                    + "allows", config.name(), String.join(" ", config.configTestCommand()));
        }
        return failed;
    }

    private void launchRestart(long now) {
        attempts.addLast(now);
        restartStarted = now;
        log.info("{}: restarting nginx: {}", config.name(), String.join(" ", config.restartCommand()));
        restart = restarter.start();
        if (configTester != null && (configTest == null || !configTest.running())) {
            configTest = configTester.start(); // beside the restart: no delay for a good config
        }
    }

    private void report(boolean up, String why) {
        if (sink != null) {
            sink.status(config.name(), up, why);
        }
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
        if (probe != null) {
            probe.close();
        }
    }

    /** Probes the URL every probe_interval on its own thread, so a slow answer never delays the /proc polling. */
    static final class HttpProbe {
        private final NginxCheckConfig config;
        private final Thread thread;
        volatile boolean ok = true;

        HttpProbe(NginxCheckConfig config) {
            this.config = config;
            this.thread = new Thread(this::loop, "nginx-probe-" + config.name());
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void close() {
            thread.interrupt();
        }

        private void loop() {
            while (!Thread.currentThread().isInterrupted()) {
                boolean now = probeOnce();
                if (now != ok) {
                    log.info("{}: probe of {} {}", config.name(), config.probeUrl(), now ? "succeeds" : "fails");
                }
                ok = now;
                try {
                    Thread.sleep(config.probeIntervalMs());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        boolean probeOnce() {
            HttpURLConnection c = null;
            try {
                c = (HttpURLConnection) new URL(config.probeUrl()).openConnection();
                c.setConnectTimeout((int) config.probeTimeoutMs());
                c.setReadTimeout((int) config.probeTimeoutMs());
                c.setInstanceFollowRedirects(false);
                c.setUseCaches(false);
                int status = c.getResponseCode();
                c.getErrorStream();
                return status == config.probeStatus();
            } catch (IOException | RuntimeException e) {
                log.debug("{}: probe failed: {}", config.name(), e.toString());
                return false;
            } finally {
                if (c != null) {
                    c.disconnect();
                }
            }
        }
    }
}
