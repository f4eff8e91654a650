package io.nginxha.agent.net;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A NETLINK_ROUTE socket through libc (JNA): requests answered by an ack or a dump, and, when opened with
 * multicast groups, a blocking wait for events that a {@link #wakeUp} from another thread ends. The socket
 * belongs to the network namespace of the thread that opens it.
 */
final class NetlinkSocket implements Closeable {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_ROUTE = 0;
    private static final int POLLIN = 0x1;
    private static final int EINTR = 4;
    /** A dump part is at most a page or two; links with many attributes stay well under this. */
    private static final int BUFFER = 64 * 1024;

    /**
     * The libc calls used, each failing with errno through {@link LastErrorException}. Direct mapping (static
     * natives bound once) rather than an interface proxy: a takeover adds its VIP through these calls, and the
     * proxy's per-call reflection and conversions cost milliseconds there while the JIT has not compiled them.
     * size_t and ssize_t are Java longs: the agent runs on 64-bit Linux (checked when the class loads).
     */
    static final class LibC {
        static {
            if (Native.SIZE_T_SIZE != Long.BYTES) {
                throw new UnsatisfiedLinkError("vrrp-agent needs a 64-bit Linux (size_t is " + Native.SIZE_T_SIZE
                        + " bytes here)");
            }
            Native.register(LibC.class, "libc.so.6"); // glibc's soname: dlopen finds it without a search
        }

        private LibC() { }

        static native int socket(int domain, int type, int protocol) throws LastErrorException;

        static native int bind(int fd, byte[] address, int length) throws LastErrorException;

        static native long sendto(int fd, byte[] buf, long length, int flags, byte[] address, int addressLength)
                throws LastErrorException;

        static native long recv(int fd, byte[] buf, long length, int flags) throws LastErrorException;

        static native int poll(byte[] fds, long count, int timeoutMs) throws LastErrorException;

        static native int pipe2(int[] fds, int flags) throws LastErrorException;

        static native long write(int fd, byte[] buf, long length) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;

        static native String strerror(int errno);
    }

    /** An errno from a system call or from the kernel's answer, with the C library's text for it. */
    static final class NetlinkException extends IOException {
        private final int errno;

        NetlinkException(String what, int errno) {
            super(what + ": " + LibC.strerror(errno) + " (errno " + errno + ")");
            this.errno = errno;
        }

        int errno() {
            return errno;
        }
    }

    private final int fd;
    /** Read and write end of the pipe {@link #wakeUp} writes to; -1 for request-only sockets. */
    private final int[] wakePipe;
    private final byte[] buffer = new byte[BUFFER];
    private int sequence = (int) (System.nanoTime() & 0x7fffffff);
    private volatile boolean closed;

    private NetlinkSocket(int fd, int[] wakePipe) {
        this.fd = fd;
        this.wakePipe = wakePipe;
    }

    /** A socket for requests only: it hears nothing but the answers to them. */
    static NetlinkSocket open() throws IOException {
        return open(0);
    }

    /** A socket that also receives the multicast groups in {@code groups} (RTMGRP_* bits). */
    static NetlinkSocket open(int groups) throws IOException {
        int fd;
        try {
            fd = LibC.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        } catch (LastErrorException e) {
            throw new NetlinkException("netlink socket", e.getErrorCode());
        }
        int[] pipe = {-1, -1};
        try {
            byte[] address = NetlinkMessages.sockaddr(groups);
            LibC.bind(fd, address, address.length);
            if (groups != 0) {
                LibC.pipe2(pipe, SOCK_CLOEXEC); // O_CLOEXEC has the same value
            }
        } catch (LastErrorException e) {
            LibC.close(fd);
            throw new NetlinkException("binding the netlink socket", e.getErrorCode());
        }
        return new NetlinkSocket(fd, pipe);
    }

    /**
     * Sends a request built with sequence number {@link #nextSequence} and collects the answer: the messages
     * up to NLMSG_DONE for a dump, the one reply for a get, nothing for an acked change. An error answer
     * throws with the kernel's errno. Not for a socket that also receives events.
     */
    synchronized List<NetlinkMessages.Message> request(byte[] message, String what) throws IOException {
        ByteBuffer header = ByteBuffer.wrap(message).order(NetlinkMessages.ORDER);
        int seq = header.getInt(8);
        int flags = header.getShort(6);
        boolean dump = (flags & NetlinkMessages.NLM_F_DUMP) == NetlinkMessages.NLM_F_DUMP;
        boolean acked = (flags & NetlinkMessages.NLM_F_ACK) != 0;
        send(message, what);
        List<NetlinkMessages.Message> answer = new ArrayList<>();
        while (true) {
            for (NetlinkMessages.Message m : receive(what)) {
                if (m.seq() != seq) {
                    continue; // a late answer to an earlier request that gave up
                }
                if (m.type() == NetlinkMessages.NLMSG_ERROR) {
                    int errno = NetlinkMessages.errno(m);
                    if (errno != 0) {
                        throw new NetlinkException(what, errno);
                    }
                    return answer;
                }
                if (m.type() == NetlinkMessages.NLMSG_DONE) {
                    return answer;
                }
                answer.add(m);
                if (!dump && !acked) {
                    return answer;
                }
            }
        }
    }

    synchronized int nextSequence() {
        return ++sequence;
    }

    void send(byte[] message, String what) throws IOException {
        byte[] kernel = NetlinkMessages.sockaddr(0);
        try {
            LibC.sendto(fd, message, message.length, 0, kernel, kernel.length);
        } catch (LastErrorException e) {
            throw new NetlinkException(what, e.getErrorCode());
        }
    }

    /** The messages of one datagram; blocks until one arrives. */
    List<NetlinkMessages.Message> receive(String what) throws IOException {
        while (true) {
            try {
                int n = (int) LibC.recv(fd, buffer, buffer.length, 0);
                return NetlinkMessages.parse(buffer, n);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw new NetlinkException(what, e.getErrorCode());
                }
            }
        }
    }

    /**
     * Blocks, without any timeout, until events arrive (then returns true) or {@link #wakeUp} was called
     * (then false).
     */
    boolean awaitEvents() throws IOException {
        ByteBuffer fds = ByteBuffer.allocate(16).order(NetlinkMessages.ORDER);
        fds.putInt(fd).putShort((short) POLLIN).putShort((short) 0);
        fds.putInt(wakePipe[0]).putShort((short) POLLIN).putShort((short) 0);
        byte[] raw = fds.array();
        while (!closed) {
            try {
                LibC.poll(raw, 2, -1);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EINTR) {
                    continue;
                }
                throw new NetlinkException("waiting for netlink events", e.getErrorCode());
            }
            if (ByteBuffer.wrap(raw).order(NetlinkMessages.ORDER).getShort(14) != 0) {
                return false;
            }
            if (ByteBuffer.wrap(raw).order(NetlinkMessages.ORDER).getShort(6) != 0) {
                return true;
            }
        }
        return false;
    }

    /** Ends an {@link #awaitEvents} in another thread; the socket is closed by whoever waits. */
    void wakeUp() {
        closed = true;
        if (wakePipe[1] >= 0) {
            try {
                LibC.write(wakePipe[1], new byte[] {1}, 1);
            } catch (LastErrorException e) {
                // the waiter is gone already
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (int f : new int[] {fd, wakePipe[0], wakePipe[1]}) {
            if (f >= 0) {
                try {
                    LibC.close(f);
                } catch (LastErrorException e) {
                    // nothing to do about it
                }
            }
        }
    }
}
