package io.nginxha.agent.config;

import java.util.List;

/**
 * The built-in nginx tracker ({@code vrrp_track_nginx NAME { ... }} in keepalived.conf, {@code nginx_checks} in
 * YAML). An instance tracks it with {@code track_script { NAME [weight N] }}, like a vrrp_script.
 *
 * @param name             the block's name, shared with vrrp_script names
 * @param pidFile          nginx's pid file; the master process it names must be alive and be nginx
 * @param restartCommand   argv run (no shell) when nginx is found down; empty to never restart
 * @param probeUrl         optional local http:// URL probed as well, null for none
 * @param probeTimeoutMs   connect + read timeout of the probe
 * @param probeStatus      the status the probe must return
 * @param probeIntervalMs  time between probes
 * @param pollIntervalMs   time between pid-file and /proc checks (cheap: two small reads)
 * @param restartAttempts  restarts allowed within {@code restartWindowMs} before giving up
 * @param restartWindowMs  the sliding window the attempts are counted in
 * @param startTimeoutMs   how long one restart may take to make nginx healthy
 * @param holdDownMs       after a give-up, nginx must stay healthy this long before the tracker reports it up
 * @param weight           0: FAULT while given up; negative: added to the priority while given up; positive:
 *                         added while healthy
 * @param source           where it was declared
 * @param configTestCommand argv run beside each restart ({@code nginx -t}); when it fails the tracker reports nginx
 *                         down at once instead of after the failed restarts; empty for none. Defaults to
 *                         {@code nginx -t -q} with the default restart command (the system's nginx.conf), to none
 *                         with another one (which may start nginx with another config)
 */
public record NginxCheckConfig(String name, String pidFile, List<String> restartCommand, String probeUrl,
                               long probeTimeoutMs, int probeStatus, long probeIntervalMs, long pollIntervalMs,
                               int restartAttempts, long restartWindowMs, long startTimeoutMs, long holdDownMs,
                               int weight, Source source, List<String> configTestCommand) {
    public static final String DEFAULT_PID_FILE = "/run/nginx.pid";
    public static final List<String> DEFAULT_RESTART = List.of("systemctl", "start", "nginx");
    public static final List<String> DEFAULT_CONFIG_TEST = List.of("nginx", "-t", "-q");

    public NginxCheckConfig {
        restartCommand = List.copyOf(restartCommand);
        configTestCommand = List.copyOf(configTestCommand);
    }

    /** With the config test that goes with {@code restartCommand} (see {@code configTestCommand}). */
    public NginxCheckConfig(String name, String pidFile, List<String> restartCommand, String probeUrl,
                            long probeTimeoutMs, int probeStatus, long probeIntervalMs, long pollIntervalMs,
                            int restartAttempts, long restartWindowMs, long startTimeoutMs, long holdDownMs,
                            int weight, Source source) {
        this(name, pidFile, restartCommand, probeUrl, probeTimeoutMs, probeStatus, probeIntervalMs, pollIntervalMs,
                restartAttempts, restartWindowMs, startTimeoutMs, holdDownMs, weight, source,
                restartCommand.equals(DEFAULT_RESTART) ? DEFAULT_CONFIG_TEST : List.of());
    }

    /** The defaults: pid file /run/nginx.pid, systemctl start nginx, 3 attempts in 10 s, FAULT on give-up. */
    public static NginxCheckConfig defaults(String name, Source source) {
        return new NginxCheckConfig(name, DEFAULT_PID_FILE, DEFAULT_RESTART, null, 1000, 200, 1000, 20, 3, 10_000,
                3000, 10_000, 0, source);
    }

    /** The same settings with no source: for comparing configs read from different files or lines. */
    public NginxCheckConfig withoutSource() {
        return new NginxCheckConfig(name, pidFile, restartCommand, probeUrl, probeTimeoutMs, probeStatus,
                probeIntervalMs, pollIntervalMs, restartAttempts, restartWindowMs, startTimeoutMs, holdDownMs, weight,
                null, configTestCommand);
    }
}
