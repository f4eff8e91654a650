package io.nginxha.agent.config;

import java.util.List;

/**
 * keepalived's {@code global_defs}, the parts an HA pair of nginx hosts uses.
 *
 * @param routerId              a name for this host in logs and mails (defaults to the host name)
 * @param vrrpVersion           default VRRP version for instances that do not set one (2 or 3)
 * @param scriptUser            user (and optional group after ':') that runs scripts; null means the default
 * @param enableScriptSecurity  refuse scripts writable by non-root users, as keepalived does
 * @param notificationEmails    recipients of state-change mails
 * @param notificationEmailFrom sender of those mails
 * @param smtpServer            host[:port] of the SMTP relay, null if none
 * @param smtpConnectTimeoutSec SMTP connect timeout
 * @param garp                  defaults for gratuitous ARP, overridable per instance
 * @param statusPort            TCP port of the status and metrics endpoint on 127.0.0.1; 0 turns it off
 *                              (a vrrp-agent extension: {@code status_port} in global_defs)
 * @param firewall              the nftables settings of the drop rules for instances without accept mode
 * @param instanceDefaults      vrrp_strict, vrrp_skip_check_adv_addr, vrrp_lower_prio_no_advert
 * @param scheduling            real-time priority, CPU affinity and RT time limit of the VRRP threads
 * @param fifos                 the notify FIFOs (notify_fifo, vrrp_notify_fifo and their options)
 * @param startupDelayMs        vrrp_startup_delay: for this long after the agent starts, no instance becomes master
 *                              (a backup's down timer counts from its end); 0 for none
 */
public record GlobalConfig(String routerId, int vrrpVersion, String scriptUser, boolean enableScriptSecurity,
                           List<String> notificationEmails, String notificationEmailFrom, String smtpServer,
                           int smtpConnectTimeoutSec, GarpConfig garp, int statusPort, FirewallConfig firewall,
                           InstanceDefaults instanceDefaults, SchedulingConfig scheduling, FifoSettings fifos,
                           long startupDelayMs) {
    /** Close to keepalived's exporters' 9165..9650 range, and free on a Debian host with nginx. */
    public static final int DEFAULT_STATUS_PORT = 9650;

    public GlobalConfig {
        notificationEmails = List.copyOf(notificationEmails);
        firewall = firewall == null ? FirewallConfig.DEFAULTS : firewall;
        instanceDefaults = instanceDefaults == null ? InstanceDefaults.DEFAULTS : instanceDefaults;
        scheduling = scheduling == null ? SchedulingConfig.DEFAULTS : scheduling;
        fifos = fifos == null ? FifoSettings.NONE : fifos;
    }

    /** Without notify FIFOs and a start-up delay, the shape callers had before they were added. */
    public GlobalConfig(String routerId, int vrrpVersion, String scriptUser, boolean enableScriptSecurity,
                        List<String> notificationEmails, String notificationEmailFrom, String smtpServer,
                        int smtpConnectTimeoutSec, GarpConfig garp, int statusPort, FirewallConfig firewall,
                        InstanceDefaults instanceDefaults, SchedulingConfig scheduling) {
        this(routerId, vrrpVersion, scriptUser, enableScriptSecurity, notificationEmails, notificationEmailFrom,
                smtpServer, smtpConnectTimeoutSec, garp, statusPort, firewall, instanceDefaults, scheduling,
                FifoSettings.NONE, 0);
    }

    /** With keepalived's default firewall, instance defaults and scheduling: the shape callers had before them. */
    public GlobalConfig(String routerId, int vrrpVersion, String scriptUser, boolean enableScriptSecurity,
                        List<String> notificationEmails, String notificationEmailFrom, String smtpServer,
                        int smtpConnectTimeoutSec, GarpConfig garp, int statusPort) {
        this(routerId, vrrpVersion, scriptUser, enableScriptSecurity, notificationEmails, notificationEmailFrom,
                smtpServer, smtpConnectTimeoutSec, garp, statusPort, FirewallConfig.DEFAULTS, InstanceDefaults.DEFAULTS,
                SchedulingConfig.DEFAULTS);
    }

    /** With the default status port: the shape callers had before the endpoint was added. */
    public GlobalConfig(String routerId, int vrrpVersion, String scriptUser, boolean enableScriptSecurity,
                        List<String> notificationEmails, String notificationEmailFrom, String smtpServer,
                        int smtpConnectTimeoutSec, GarpConfig garp) {
        this(routerId, vrrpVersion, scriptUser, enableScriptSecurity, notificationEmails, notificationEmailFrom,
                smtpServer, smtpConnectTimeoutSec, garp, DEFAULT_STATUS_PORT);
    }
}
