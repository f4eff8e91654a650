package io.nginxha.agent.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code track_interface}: the link is up when /sys/class/net/IF says operstate up (or unknown, as for loopback
 * and some virtual devices) with carrier 1. Polled every 250 ms: two tiny sysfs reads, no netlink socket to keep;
 * a shorter period costs an idle agent more CPU than all its adverts (measured with bench/footprint).
 */
public final class InterfaceTracker implements Check {
    private static final Logger log = LoggerFactory.getLogger(InterfaceTracker.class);
    static final String PREFIX = "interface:";
    private static final long POLL_MS = 250;

    private final String iface;
    private final Path sys;
    private final boolean initiallyUp;
    private volatile boolean closed;
    private Thread thread;

    public InterfaceTracker(String iface) {
        this(iface, Path.of("/sys/class/net"));
    }

    InterfaceTracker(String iface, Path sys) {
        this.iface = iface;
        this.sys = sys;
        this.initiallyUp = linkUp();
    }

    /** Check names of interfaces are prefixed, so they never collide with vrrp_script names. */
    public static String checkName(String iface) {
        return PREFIX + iface;
    }

    @Override
    public String name() {
        return checkName(iface);
    }

    @Override
    public boolean initiallyUp() {
        return initiallyUp;
    }

    boolean linkUp() {
        Path dir = sys.resolve(iface);
        try {
            String oper = Files.readString(dir.resolve("operstate")).strip();
            if (!oper.equals("up") && !oper.equals("unknown")) {
                return false;
            }
            return Files.readString(dir.resolve("carrier")).strip().equals("1");
        } catch (IOException e) {
            return false; // gone, or admin down (reading carrier then fails with EINVAL)
        }
    }

    @Override
    public void start(Check.Sink sink) {
        thread = new Thread(() -> {
            boolean up = initiallyUp;
            while (!closed) {
                boolean now = linkUp();
                if (now != up) {
                    up = now;
                    log.info("{}: link {}", iface, now ? "up" : "down");
                    sink.status(name(), now, "link of " + iface + (now ? " up" : " down"));
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(POLL_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "link-" + iface);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
