package io.nginxha.agent.notify;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert mails of {@link Notifier}, sent on a thread of their own, so a slow or blackholed relay
 * (smtp_connect_timeout per try) never delays the next notify script; at most {@link #MAIL_BACKLOG} wait, and more
 * are dropped with a warning. A mail that cannot be sent is logged.
 */
final class AlertMails {
    /** Under the notifier's name, as before this class was split out of it: operators' log filters keep working. */
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    static final int MAIL_BACKLOG = 64;

    private final ThreadPoolExecutor mailer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(MAIL_BACKLOG), r -> {
                Thread t = new Thread(r, "notify-mail");
                t.setDaemon(true);
                return t;
            });

    /** Queues an alert mail through {@code mail} (null: none configured, nothing is sent); never waits for it. */
    void queue(Notifier.Alerts mail, String who, String state, int priority, String reason) {
        if (mail == null) {
            return;
        }
        try {
            mailer.execute(() -> {
                try {
                    mail.send(who, state, priority, reason);
                } catch (Exception e) {
                    log.warn("{}: alert mail not sent: {}", who, e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            log.warn("{}: alert mail for {} dropped: {} mails already wait for the relay", who, state, MAIL_BACKLOG);
        }
    }

    /** Lets the queued mails go out for up to {@code seconds}, then stops the thread. */
    void close(long seconds) throws InterruptedException {
        mailer.shutdown();
        mailer.awaitTermination(seconds, TimeUnit.SECONDS);
    }
}
