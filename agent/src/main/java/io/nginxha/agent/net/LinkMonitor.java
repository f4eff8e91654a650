package io.nginxha.agent.net;

import io.nginxha.agent.net.NetlinkSocket.NetlinkException;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Link state of every interface, kept by the kernel's RTMGRP_LINK events: one daemon thread blocked on a
 * netlink socket with no timeout, so an idle agent is never woken for it. The state starts from a link dump
 * read on the same socket, in order with the events that arrive meanwhile, so no change falls between the two.
 */
public final class LinkMonitor implements LinkEvents, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LinkMonitor.class);
    private static final int RTMGRP_LINK = 1;
    private static final int ENOBUFS = 105;
    private static LinkMonitor shared;

    private final NetlinkSocket socket;
    private final Map<String, Boolean> up = new ConcurrentHashMap<>();
    /** Index to name, to notice a rename: the old name is then gone. Only the monitor's thread writes it. */
    private final Map<Integer, String> names = new HashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;

    private LinkMonitor(NetlinkSocket socket) throws IOException {
        this.socket = socket;
        int seq = socket.nextSequence();
        socket.send(NetlinkMessages.dump(NetlinkMessages.RTM_GETLINK, seq), "dumping links");
        boolean done = false;
        while (!done) {
            for (NetlinkMessages.Message m : socket.receive("dumping links")) {
                if (m.seq() == seq && m.type() == NetlinkMessages.NLMSG_ERROR && NetlinkMessages.errno(m) != 0) {
                    throw new NetlinkException("dumping links", NetlinkMessages.errno(m));
                }
                done |= m.seq() == seq && m.type() == NetlinkMessages.NLMSG_DONE;
                apply(m);
            }
        }
        thread = new Thread(this::run, "netlink-links");
        thread.setDaemon(true);
        thread.start();
    }

    /** The process's monitor, opened on first use and kept for the life of the process (one socket, one thread). */
    public static synchronized LinkMonitor shared() throws IOException {
        if (shared == null) {
            shared = open(NetlinkSocket::open);
        }
        return shared;
    }

    /** A monitor of its own on a socket from {@code opener} (given the multicast groups), e.g. in a namespace. */
    static LinkMonitor open(GroupOpener opener) throws IOException {
        NetlinkSocket socket = opener.open(RTMGRP_LINK);
        try {
            return new LinkMonitor(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Opens a netlink socket subscribed to some multicast groups. */
    @FunctionalInterface
    interface GroupOpener {
        NetlinkSocket open(int groups) throws IOException;
    }

    @Override
    public boolean isUp(String iface) {
        return up.getOrDefault(iface, false);
    }

    @Override
    public void listen(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void unlisten(Listener listener) {
        listeners.remove(listener);
    }

    private void run() {
        try {
            while (socket.awaitEvents()) {
                List<NetlinkMessages.Message> messages;
                try {
                    messages = socket.receive("receiving link events");
                } catch (NetlinkException e) {
                    if (e.errno() != ENOBUFS) {
                        throw e;
                    }
                    // Events were lost while we were slow: a fresh dump arrives in order with the next ones.
                    log.warn("link events overflowed the socket buffer; reading all links again");
                    try {
                        socket.send(NetlinkMessages.dump(NetlinkMessages.RTM_GETLINK, socket.nextSequence()),
                                "dumping links");
                    } catch (NetlinkException busy) {
                        log.warn("link dump not restarted: {}", busy.getMessage()); // one still running
                    }
                    continue;
                } catch (IllegalArgumentException e) {
                    log.warn("unreadable netlink datagram skipped: {}", e.getMessage());
                    continue;
                }
                for (NetlinkMessages.Message m : messages) {
                    try {
                        apply(m);
                    } catch (IllegalArgumentException e) {
                        log.warn("unreadable link message skipped: {}", e.getMessage());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            log.error("link state monitoring stopped, link changes are no longer seen: {}", e.toString());
        } finally {
            socket.close();
        }
    }

    private void apply(NetlinkMessages.Message m) {
        if (m.type() != NetlinkMessages.RTM_NEWLINK && m.type() != NetlinkMessages.RTM_DELLINK) {
            return;
        }
        NetlinkMessages.Link link = NetlinkMessages.link(m);
        String name = link.name() != null ? link.name() : names.get(link.index());
        if (name == null) {
            return;
        }
        if (m.type() == NetlinkMessages.RTM_DELLINK) {
            names.remove(link.index());
            set(name, false);
            return;
        }
        String before = names.put(link.index(), name);
        if (before != null && !before.equals(name)) {
            set(before, false); // renamed: the old name is gone
        }
        set(name, link.up());
    }

    private void set(String iface, boolean now) {
        Boolean before = up.put(iface, now);
        if (!now && before == null) {
            return; // still absent or down as far as anyone asked
        }
        if (before == null || before != now) {
            for (Listener l : listeners) {
                try {
                    l.linkChanged(iface, now);
                } catch (RuntimeException e) {
                    log.error("link listener failed on {}", iface, e);
                }
            }
        }
    }

    /** Whether the monitor's thread still runs (tests). */
    boolean running() {
        return thread.isAlive();
    }

    /** Stops the thread, which closes the socket. */
    @Override
    public void close() {
        socket.wakeUp();
    }
}
