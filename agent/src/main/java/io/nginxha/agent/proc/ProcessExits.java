package io.nginxha.agent.proc;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Waits for a process to exit without polling, through a pidfd (Linux 5.3+: {@code pidfd_open(2)}, then
 * {@code poll(2)} on it, which reports POLLIN the moment the process ends). The nginx tracker sleeps in
 * {@link #await} instead of a 20 ms sleep, so a dead master is seen at once and an idle host wakes less often.
 *
 * <p>Chosen over the alternatives: the netlink process connector needs CAP_NET_ADMIN in the initial user namespace
 * and delivers every exit of the whole machine to be filtered; inotify on the pid file sees nothing when nginx is
 * killed -9 (the file stays). A pidfd names exactly one process, so a pid reused meanwhile is never mistaken.
 *
 * <p>One instance per watching thread; not thread-safe. Where pidfds are missing (older kernel, seccomp) the
 * caller is told so by {@link #available} and keeps polling.
 */
public final class ProcessExits implements AutoCloseable {
    private static final long SYS_PIDFD_OPEN = 434; // the same number on x86_64 and aarch64 (unified syscall table)
    private static final short POLLIN = 1;
    private static final int EINTR = 4;

    /** Direct-mapped libc; loading fails on a system without it, which {@link #create} turns into "unavailable". */
    static final class LibC {
        static {
            Native.register(LibC.class, "libc.so.6");
        }

        private LibC() { }

        static native long syscall(long number, long pid, long flags) throws LastErrorException;

        static native int poll(byte[] fds, long count, int timeoutMs) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;
    }

    private final boolean available;
    private final byte[] pollfd = new byte[8];
    private long watchedPid = -1;
    private int fd = -1;

    private ProcessExits(boolean available) {
        this.available = available;
    }

    /** A watcher; {@link #available} is false when this kernel or libc offers no pidfd. */
    public static ProcessExits create() {
        try {
            int self = (int) LibC.syscall(SYS_PIDFD_OPEN, ProcessHandle.current().pid(), 0);
            LibC.close(self);
            return new ProcessExits(true);
        } catch (LastErrorException | UnsatisfiedLinkError | NoClassDefFoundError e) {
            return new ProcessExits(false);
        }
    }

    public boolean available() {
        return available;
    }

    /**
     * Waits up to {@code timeoutMs} for {@code pid} to exit. Returns true when it has (or already had: a pidfd
     * cannot be opened for a pid that is gone), false on the timeout. Without pidfds, or for a pid of 0 or less,
     * just sleeps for the timeout.
     */
    public boolean await(long pid, int timeoutMs) throws InterruptedException {
        if (!available || pid <= 0) {
            Thread.sleep(timeoutMs);
            return false;
        }
        if (pid != watchedPid) {
            closeFd();
            try {
                fd = (int) LibC.syscall(SYS_PIDFD_OPEN, pid, 0);
            } catch (LastErrorException e) {
                return true; // ESRCH: gone already
            }
            watchedPid = pid;
            ByteBuffer.wrap(pollfd).order(ByteOrder.nativeOrder()).putInt(0, fd).putShort(4, POLLIN).putShort(6, (short) 0);
        }
        ByteBuffer b = ByteBuffer.wrap(pollfd).order(ByteOrder.nativeOrder());
        b.putShort(6, (short) 0);
        try {
            int n = LibC.poll(pollfd, 1, timeoutMs);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (n > 0 && b.getShort(6) != 0) {
                closeFd(); // a process exits once; the next await opens the new master's
                return true;
            }
            return false;
        } catch (LastErrorException e) {
            if (e.getErrorCode() != EINTR) {
                Thread.sleep(timeoutMs); // never spin on a poll that keeps failing
            }
            return false;
        }
    }

    private void closeFd() {
        if (fd >= 0) {
            try {
                LibC.close(fd);
            } catch (LastErrorException e) {
                // nothing to do about a failed close of our own descriptor
            }
        }
        fd = -1;
        watchedPid = -1;
    }

    @Override
    public void close() {
        closeFd();
    }
}
