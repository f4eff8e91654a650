package io.nginxha.agent.os;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd (Type=notify) that the instances are initialised (READY=1), that the loop is alive (WATCHDOG=1,
 * sent from the loop itself so a stuck loop gets the service restarted) and that it is stopping. Uses libsystemd's
 * sd_notify through JNA, which pcap4j already brings: JDK 17 cannot send Unix datagrams by itself. Does nothing,
 * and loads nothing, when the agent was not started by systemd ($NOTIFY_SOCKET unset).
 */
public final class SystemdNotifier {
    private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);

    /** The one function of libsystemd we need. */
    interface LibSystemd extends Library {
        int sd_notify(int unsetEnvironment, String state);
    }

    private final LibSystemd lib;
    /** Half the watchdog period, as sd_watchdog_enabled(3) advises; 0 without a watchdog. */
    private final long pingEveryNanos;
    private long lastPing;

    private SystemdNotifier(LibSystemd lib, long pingEveryNanos) {
        this.lib = lib;
        this.pingEveryNanos = pingEveryNanos;
        this.lastPing = System.nanoTime();
    }

    /** The notifier for this process; a no-op one outside systemd or when libsystemd cannot be loaded. */
    public static SystemdNotifier fromEnvironment() {
        return from(System.getenv());
    }

    /** As {@link #fromEnvironment()} with {@code env}; libsystemd itself still reads the process's NOTIFY_SOCKET. */
    static SystemdNotifier from(java.util.Map<String, String> env) {
        if (env.get("NOTIFY_SOCKET") == null) {
            return new SystemdNotifier(null, 0);
        }
        long usec = 0;
        String watchdog = env.get("WATCHDOG_USEC");
        String pid = env.get("WATCHDOG_PID");
        if (watchdog != null && (pid == null || pid.equals(String.valueOf(ProcessHandle.current().pid())))) {
            try {
                usec = Long.parseLong(watchdog);
            } catch (NumberFormatException e) {
                log.warn("ignoring WATCHDOG_USEC={}", watchdog);
            }
        }
        try {
            return new SystemdNotifier(Native.load("systemd", LibSystemd.class), TimeUnit.MICROSECONDS.toNanos(usec) / 2);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            log.warn("NOTIFY_SOCKET is set but libsystemd cannot be loaded ({}); systemd will not hear READY", e.toString());
            return new SystemdNotifier(null, 0);
        }
    }

    public void ready(int instances) {
        send("READY=1\nSTATUS=" + instances + " VRRP instance(s) running\nMAINPID=" + ProcessHandle.current().pid());
    }

    public void reloaded(String summary) {
        send("STATUS=" + summary);
    }

    public void stopping() {
        send("STOPPING=1");
    }

    /** Called on every pass of the loop (at least once a second); pings at most every half watchdog period. */
    public void loopAlive() {
        if (pingEveryNanos <= 0) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastPing >= pingEveryNanos) {
            lastPing = now;
            send("WATCHDOG=1");
        }
    }

    private void send(String state) {
        if (lib != null && lib.sd_notify(0, state) < 0) {
            log.warn("sd_notify({}) failed", state.lines().findFirst().orElse(""));
        }
    }
}
