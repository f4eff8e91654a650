package io.nginxha.agent.config;

import java.util.List;

/** Builds one {@link NginxCheckConfig} from a vrrp_track_nginx block (a vrrp-agent extension). */
final class NginxCheckBuilder {
    private static final long MS = 1000L;

    private final Values values;
    private final Problems problems;

    NginxCheckBuilder(Values values) {
        this.values = values;
        this.problems = values.problems();
    }

    NginxCheckConfig build(String name, List<Entry> entries, Source at) {
        NginxCheckConfig d = NginxCheckConfig.defaults(name, at);
        String pidFile = d.pidFile();
        List<String> restart = d.restartCommand();
        String url = null;
        long probeTimeout = d.probeTimeoutMs();
        int status = d.probeStatus();
        long probeInterval = d.probeIntervalMs();
        long poll = d.pollIntervalMs();
        int attempts = d.restartAttempts();
        long window = d.restartWindowMs();
        long startTimeout = d.startTimeoutMs();
        long holdDown = d.holdDownMs();
        int weight = d.weight();
        List<String> configTest = null; // null: the one that goes with the restart command
        for (Entry e : entries) {
            switch (e.key()) {
                case "pid_file" -> pidFile = GlobalBuilder.orElse(absolute(e), pidFile);
                case "restart_command" -> restart = GlobalBuilder.orElse(command(e), restart);
                case "no_restart" -> restart = values.noValue(e) ? List.of() : restart;
                case "config_test_command" -> configTest = GlobalBuilder.orElse(command(e), configTest);
                case "no_config_test" -> configTest = values.noValue(e) ? List.of() : configTest;
                case "probe_url" -> {
                    String v = values.single(e);
                    if (v != null && !v.startsWith("http://")) {
                        problems.error(e.source(), "probe_url must be an http:// URL, got '" + v + "'");
                    } else if (v != null) {
                        url = v;
                    }
                }
                case "probe_timeout" -> probeTimeout = GlobalBuilder.orElse(millis(e, 10, 60_000), probeTimeout);
                case "probe_status" -> status = GlobalBuilder.orElse(values.integer(e, 100, 599), status);
                case "probe_interval" -> probeInterval = GlobalBuilder.orElse(millis(e, 10, 3_600_000), probeInterval);
                case "interval" -> poll = GlobalBuilder.orElse(millis(e, 10, 10_000), poll);
                case "restart_attempts" -> attempts = GlobalBuilder.orElse(values.integer(e, 0, 100), attempts);
                case "restart_window" -> window = GlobalBuilder.orElse(millis(e, 10, 86_400_000), window);
                case "start_timeout" -> startTimeout = GlobalBuilder.orElse(millis(e, 10, 600_000), startTimeout);
                case "hold_down" -> holdDown = GlobalBuilder.orElse(millis(e, 0, 86_400_000), holdDown);
                case "weight" -> weight = GlobalBuilder.orElse(values.integer(e, -253, 253), weight);
                default -> problems.error(e.source(), "unknown keyword '" + e.key() + "' in vrrp_track_nginx " + name
                        + Values.suggestion(e.key(), Keywords.names(Keywords.Section.NGINX)));
            }
        }
        if (configTest == null) {
            configTest = restart.equals(NginxCheckConfig.DEFAULT_RESTART) ? NginxCheckConfig.DEFAULT_CONFIG_TEST : List.of();
        }
        return new NginxCheckConfig(name, pidFile, restart, url, probeTimeout, status, probeInterval, poll, attempts,
                window, startTimeout, holdDown, weight, at, configTest);
    }

    private String absolute(Entry e) {
        String v = values.single(e);
        if (v != null && !v.startsWith("/")) {
            problems.error(e.source(), e.key() + " must be an absolute path, got '" + v + "'");
            return null;
        }
        return v;
    }

    /** Decimal seconds as keepalived writes times (YAML also takes 100ms), in milliseconds. */
    private Long millis(Entry e, long minMs, long maxMs) {
        Long us = values.seconds(e, minMs * MS, maxMs * MS);
        return us == null ? null : us / MS;
    }

    /**
     * Unlike vrrp_script (where keepalived keeps only the first word), every word is the command here, so
     * {@code restart_command nginx -c /etc/nginx/nginx.conf} needs no quotes; a single quoted string is split.
     */
    private List<String> command(Entry e) {
        if (e.scriptWords().size() == 1) {
            return ScriptBuilder.command(e, problems);
        }
        if (e.scriptWords().isEmpty()) {
            problems.error(e.source(), "'" + e.key() + "' needs a command");
            return null;
        }
        return e.scriptWords();
    }
}
