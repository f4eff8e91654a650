package io.nginxha.agent.check;

import io.nginxha.agent.net.LinkEvents;
import io.nginxha.agent.net.LinkMonitor;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code track_interface}: down when the link is down or the interface is gone, up again when it comes back.
 * Told by the kernel's link events through the process's one {@link LinkMonitor}: no thread or polling of its own.
 */
public final class InterfaceTracker implements Check {
    private static final Logger log = LoggerFactory.getLogger(InterfaceTracker.class);
    static final String PREFIX = "interface:";

    private final String iface;
    private final LinkEvents links;
    private final boolean initiallyUp;
    private LinkEvents.Listener listener;
    /** The status last reported (or assumed): changes come from the monitor's thread and from start. */
    private boolean reported;

    /** Follows {@code iface} through the shared monitor, opening it on first use. */
    public InterfaceTracker(String iface) {
        this(iface, sharedMonitor());
    }

    InterfaceTracker(String iface, LinkEvents links) {
        this.iface = iface;
        this.links = links;
        this.initiallyUp = links.isUp(iface);
        this.reported = initiallyUp;
    }

    private static LinkEvents sharedMonitor() {
        try {
            return LinkMonitor.shared();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot follow link states over netlink", e);
        }
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

    @Override
    public void start(Check.Sink sink) {
        listener = (name, up) -> {
            if (name.equals(iface)) {
                report(sink, up);
            }
        };
        links.listen(listener);
        report(sink, links.isUp(iface)); // a change between construction and listening
    }

    private synchronized void report(Check.Sink sink, boolean up) {
        if (up == reported) {
            return;
        }
        reported = up;
        log.info("{}: link {}", iface, up ? "up" : "down");
        sink.status(name(), up, "link of " + iface + (up ? " up" : " down"));
    }

    @Override
    public void close() {
        if (listener != null) {
            links.unlisten(listener);
        }
    }
}
