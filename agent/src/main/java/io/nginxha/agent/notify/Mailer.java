package io.nginxha.agent.notify;

import io.nginxha.agent.config.GlobalConfig;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Properties;

/**
 * keepalived's smtp_alert: one plain-text mail per transition to the notification_email recipients, through
 * smtp_server (host:port, no authentication, as keepalived), with smtp_connect_timeout for connect and I/O.
 * The subject follows keepalived's: {@code [ROUTER_ID] VRRP Instance NAME - Entering STATE state}.
 */
public final class Mailer {
    private final GlobalConfig global;
    private final Session session;

    public Mailer(GlobalConfig global) {
        this.global = global;
        String server = global.smtpServer();
        int colon = server.lastIndexOf(':');
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", colon > 0 ? server.substring(0, colon) : server);
        p.setProperty("mail.smtp.port", colon > 0 ? server.substring(colon + 1) : "25");
        String timeoutMs = Long.toString(global.smtpConnectTimeoutSec() * 1000L);
        p.setProperty("mail.smtp.connectiontimeout", timeoutMs);
        p.setProperty("mail.smtp.timeout", timeoutMs);
        p.setProperty("mail.smtp.writetimeout", timeoutMs);
        this.session = Session.getInstance(p);
    }

    public void send(String instance, String state, int priority, String reason) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        String from = global.notificationEmailFrom() != null ? global.notificationEmailFrom()
                : "keepalived@" + global.routerId();
        m.setFrom(new InternetAddress(from));
        for (String to : global.notificationEmails()) {
            m.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
        }
        boolean deleted = state.equals("DELETED"); // keepalived: "Deleted", "VRRP Deleted at reload"
        m.setSubject("[" + global.routerId() + "] VRRP Instance " + instance + " - "
                + (deleted ? "Deleted" : "Entering " + state + " state"));
        m.setSentDate(new Date());
        m.setText((deleted ? "=> VRRP Instance " + instance + " deleted at reload <=\n\n"
                : "=> VRRP Instance " + instance + " is now " + state + " (priority " + priority + ") <=\n\n")
                + "Reason: " + reason + "\nHost: " + global.routerId() + "\nTime: "
                + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME) + "\n", "UTF-8");
        Transport.send(m);
    }
}
