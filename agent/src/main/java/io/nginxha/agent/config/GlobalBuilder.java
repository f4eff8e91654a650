package io.nginxha.agent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds {@link GlobalConfig} from the global_defs entries, with keepalived 2.2.7's defaults. */
final class GlobalBuilder {
    static final int DEFAULT_SMTP_CONNECT_TIMEOUT_SEC = 30;

    private final Values values;
    private final Problems problems;
    /** keepalived's default_interface: the interface of instances that name none; null when not written. */
    private String defaultInterface;

    GlobalBuilder(Values values) {
        this.values = values;
        this.problems = values.problems();
    }

    GlobalConfig build(List<Entry> entries) {
        String routerId = null;
        int version = 2;
        String scriptUser = null;
        boolean scriptSecurity = false;
        List<String> emails = new ArrayList<>();
        String emailFrom = null;
        String smtpServer = null;
        int smtpTimeout = DEFAULT_SMTP_CONNECT_TIMEOUT_SEC;
        int statusPort = GlobalConfig.DEFAULT_STATUS_PORT;
        long startupDelayMs = 0;
        GarpBuilder garp = new GarpBuilder(values, GarpConfig.DEFAULTS);
        boolean lowerPrioDelaySet = false;
        boolean lowerPrioRepeatSet = false;
        FifoBuilder fifos = new FifoBuilder(values);
        FirewallBuilder firewall = new FirewallBuilder(values);
        boolean strict = false;
        boolean skipCheckAdvAddr = false;
        boolean lowerPrioNoAdvert = false;
        java.net.InetAddress group4 = null;
        java.net.InetAddress group6 = null;
        SchedulingBuilder scheduling = new SchedulingBuilder(values);
        for (Entry e : entries) {
            if (fifos.take(e) || firewall.read(e)) {
                continue;
            }
            switch (e.key()) {
                // keepalived takes no value after these two and ignores any
                case "vrrp_strict" -> strict = true;
                case "vrrp_skip_check_adv_addr" -> skipCheckAdvAddr = true;
                case "vrrp_lower_prio_no_advert" -> lowerPrioNoAdvert = orElse(values.bool(e), lowerPrioNoAdvert);
                case "vrrp_mcast_group4" -> group4 = McastGroups.group4(values, e);
                case "vrrp_mcast_group6" -> group6 = McastGroups.group6(values, e);
                case "router_id" -> routerId = orElse(values.single(e), routerId);
                case "vrrp_version" -> version = orElse(values.integer(e, 2, 3), version);
                case "script_user" -> scriptUser = orElse(userGroup(e), scriptUser);
                case "enable_script_security" -> scriptSecurity = values.noValue(e) || scriptSecurity;
                case "notification_email" -> {
                    List<Entry> block = values.block(e);
                    for (Entry line : block == null ? List.<Entry>of() : block) {
                        recipients(line, emails);
                    }
                }
                case "notification_email_from" -> emailFrom = orElse(values.single(e), emailFrom);
                case "smtp_server" -> smtpServer = orElse(smtpServer(e), smtpServer);
                case "smtp_connect_timeout" -> smtpTimeout = orElse(values.integer(e, 1, Integer.MAX_VALUE / 1000), smtpTimeout);
                case "vrrp_garp_interval" -> garp.intervalMs(e);
                case "vrrp_gna_interval" -> garp.gnaIntervalMs(e);
                case "vrrp_higher_prio_send_advert" -> values.alwaysOn(e, HIGHER_PRIO_SEND_ADVERT_BEHAVIOUR);
                case "vrrp_check_unicast_src" -> values.noValue(e); // the agent always checks, see AdvertIntake
                case "default_interface" -> defaultInterface = orElse(values.single(e), defaultInterface);
                case "status_port" -> statusPort = orElse(values.integer(e, 0, 65535), statusPort);
                case "vrrp_startup_delay" -> startupDelayMs = orElse(startupDelay(e), startupDelayMs);
                case "vrrp_rt_priority", "vrrp_cpu_affinity", "vrrp_rlimit_rttime", "vrrp_rlimit_rtime" -> scheduling.set(e);
                default -> {
                    if (e.key().startsWith("vrrp_garp_") && Keywords.isImplemented(Keywords.Section.GLOBAL, e.key())) {
                        garp.set(e, e.key().substring("vrrp_".length()));
                        lowerPrioDelaySet |= e.key().equals("vrrp_garp_lower_prio_delay");
                        lowerPrioRepeatSet |= e.key().equals("vrrp_garp_lower_prio_repeat");
                    } else {
                        Keywords.report(Keywords.Section.GLOBAL, e, "global_defs", problems);
                    }
                }
            }
        }
        GarpConfig g = garp.build();
        // keepalived: the lower-priority burst follows the master burst's settings unless set on its own
        g = new GarpConfig(g.masterDelaySec(), g.masterRepeat(), g.masterRefreshSec(), g.masterRefreshRepeat(),
                g.intervalMs(), lowerPrioDelaySet ? g.lowerPrioDelaySec() : g.masterDelaySec(),
                lowerPrioRepeatSet ? g.lowerPrioRepeat() : g.masterRepeat(), g.gnaIntervalMs());
        String host = hostName();
        if (smtpServer != null && emailFrom == null) {
            emailFrom = "keepalived@" + host;
        }
        return new GlobalConfig(routerId == null ? host : routerId, version, scriptUser, scriptSecurity, emails,
                emailFrom, smtpServer, smtpTimeout, g, statusPort, firewall.build(),
                new InstanceDefaults(strict, skipCheckAdvAddr, lowerPrioNoAdvert, group4, group6), scheduling.build(),
                fifos.build(scriptUser), startupDelayMs);
    }

    /**
     * keepalived mails every word of the block, whatever it is. A keyword there almost always means a '}' is
     * missing above it, and the setting would be lost, so it is an error; another word without '@' may be a
     * local mailbox ("root") and is kept with a warning.
     */
    private void recipients(Entry line, List<String> emails) {
        List<String> words = new ArrayList<>(List.of(line.key()));
        words.addAll(line.args());
        if (line.block() != null || Keywords.get(Keywords.Section.GLOBAL, line.key()) != null
                || Keywords.get(Keywords.Section.ROOT, line.key()) != null) {
            problems.error(line.source(), "'" + line.key() + "' inside notification_email is a keyword, not a "
                    + "recipient: is the '}' of notification_email missing?");
            return;
        }
        for (String word : words) {
            if (!word.contains("@")) {
                problems.warn(line.source(), "notification_email recipient '" + word + "' has no '@': mailed as a "
                        + "local mailbox, as keepalived does");
            }
            emails.add(word);
        }
    }

    String defaultInterface() {
        return defaultInterface;
    }

    /**
     * keepalived (global_parser.c): decimal seconds from 0.001 up to its timer's limit (about 4294 s), warned when
     * a minute or more; kept in milliseconds.
     */
    private Long startupDelay(Entry e) {
        Long us = values.seconds(e, 1000, 4_294_967_295L);
        if (us == null) {
            return null;
        }
        if (us >= 60_000_000L) {
            problems.warn(e.source(), "vrrp_startup_delay " + e.arg() + " is very large: no instance becomes master "
                    + "for that long after the agent starts (keepalived warns alike)");
        }
        return (us + 999) / 1000;
    }

    /** "user [group]" as user[:group]. */
    String userGroup(Entry e) {
        if (e.args().isEmpty() || e.args().size() > 2) {
            problems.error(e.source(), "'" + e.key() + "' takes a user name and an optional group, got '"
                    + String.join(" ", e.args()) + "'");
            return null;
        }
        return String.join(":", e.args());
    }

    private String smtpServer(Entry e) {
        if (e.args().isEmpty() || e.args().size() > 2) {
            problems.error(e.source(), "smtp_server takes a host and an optional port, got '"
                    + String.join(" ", e.args()) + "'");
            return null;
        }
        if (e.args().size() == 2) {
            Integer port = values.integer(e, "smtp_server port", e.args().get(1), 1, 65535);
            return port == null ? null : e.arg() + ":" + port;
        }
        return e.arg();
    }

    /** What keepalived's higher_prio_send_advert turns on; vrrp-agent always does (Instance.STEP_DOWN_ADVERT_COUNT). */
    static final String HIGHER_PRIO_SEND_ADVERT_BEHAVIOUR = "sends adverts when it steps down for a higher priority";

    static <T> T orElse(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** The default router_id and mail domain, as keepalived takes them: the kernel's host name. */
    static String hostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | SecurityException ignored) {
            // not Linux: fall through
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "localhost" : env;
    }
}
