package io.nginxha.agent.notify;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One notify FIFO, opened as keepalived 2.2.7 opens it (lib/notify.c fifo_open): created with mode 0644 when
 * missing (and then removed when closed), opened read-write and non-blocking. Read-write, so the open never waits
 * for a reader and a reader that goes away is no error; non-blocking, so a write never waits either: when the
 * reader is slow or gone and the pipe's buffer (64 KiB on Linux) is full, the line is dropped and counted, and the
 * notify path goes on. A line is far below PIPE_BUF, so a reader sees whole lines or none.
 */
final class NotifyFifo implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NotifyFifo.class);
    private static final int EEXIST = 17;
    private static final int EAGAIN = 11;
    private static final int MODE = 0644;

    /** The few libc calls Java has no non-blocking equivalent of; glibc by its soname. */
    interface LibC extends Library {
        int mkfifo(String path, int mode) throws LastErrorException;

        int open(String path, int flags) throws LastErrorException;

        long write(int fd, byte[] buf, long count) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final class Holder {
        static final LibC LIBC = Native.load("libc.so.6", LibC.class);
    }

    private final Path path;
    private final int fd;
    private final boolean created;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    private NotifyFifo(Path path, int fd, boolean created) {
        this.path = path;
        this.fd = fd;
        this.created = created;
    }

    /**
     * Creates {@code path} as a FIFO unless it exists, then opens it.
     *
     * @param owner user[:group] a FIFO made here is given to (keepalived chowns it to its USER GROUP, else to
     *              script_user), null to leave it the agent's
     * @throws IOException when it cannot be made or opened, or the path is something else than a FIFO
     */
    static NotifyFifo open(Path path, String owner) throws IOException {
        boolean created;
        try {
            Holder.LIBC.mkfifo(path.toString(), MODE);
            created = true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() != EEXIST) {
                throw new IOException("cannot create the FIFO " + path + ": errno " + e.getErrorCode());
            }
            created = false;
        }
        if (!created && !isFifo(path)) {
            // keepalived would open it and write over whatever file is there
            throw new IOException(path + " exists and is not a FIFO; remove it or name another path");
        }
        if (created && owner != null) {
            chown(path, owner);
        }
        int fd;
        try {
            fd = Holder.LIBC.open(path.toString(), openFlags(System.getProperty("os.arch", "")));
        } catch (LastErrorException e) {
            if (created) {
                Files.deleteIfExists(path);
            }
            throw new IOException("cannot open the FIFO " + path + ": errno " + e.getErrorCode());
        }
        return new NotifyFifo(path, fd, created);
    }

    /** O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW, whose last bit differs between the architectures. */
    static int openFlags(String osArch) {
        int noFollow = osArch.equals("aarch64") || osArch.startsWith("arm") ? 0100000 : 0400000;
        return 02 | 04000 | 02000000 | noFollow;
    }

    private static boolean isFifo(Path path) throws IOException {
        Object other = Files.readAttributes(path, "unix:mode", LinkOption.NOFOLLOW_LINKS).get("mode");
        return other instanceof Integer mode && (mode & 0170000) == 0010000;
    }

    private static void chown(Path path, String owner) {
        try {
            UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
            String[] ug = owner.split(":", 2);
            PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
            view.setOwner(users.lookupPrincipalByName(ug[0]));
            if (ug.length > 1) {
                GroupPrincipal group = users.lookupPrincipalByGroupName(ug[1]);
                view.setGroup(group);
            }
        } catch (IOException | RuntimeException e) {
            // keepalived logs "Failed to set uid:gid for fifo" and goes on with the FIFO as made
            log.warn("notify FIFO {}: cannot give it to {}: {}", path, owner, e.toString());
        }
    }

    Path path() {
        return path;
    }

    /** Writes one line, or drops it (counted) when the pipe is full; never waits. Returns whether it went out. */
    boolean write(String line) {
        if (closed) {
            return false;
        }
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        try {
            long n = Holder.LIBC.write(fd, bytes, bytes.length);
            if (n == bytes.length) {
                written.incrementAndGet();
                return true;
            }
        } catch (LastErrorException e) {
            if (e.getErrorCode() != EAGAIN) {
                log.warn("notify FIFO {}: write failed: errno {}", path, e.getErrorCode());
            }
        }
        long d = dropped.incrementAndGet();
        if (Long.bitCount(d) == 1) {
            // 1, 2, 4, 8...: a reader that is gone for good does not fill the log
            log.warn("notify FIFO {}: its reader is slow or gone and the pipe is full: {} line(s) dropped so far",
                    path, d);
        }
        return false;
    }

    long written() {
        return written.get();
    }

    long dropped() {
        return dropped.get();
    }

    /** Removes a FIFO made here first, as keepalived does, so a reader looping on reopen cannot reopen it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (created) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                log.warn("notify FIFO {}: cannot remove it: {}", path, e.toString());
            }
        }
        try {
            Holder.LIBC.close(fd);
        } catch (LastErrorException e) {
            log.debug("close of notify FIFO {}: errno {}", path, e.getErrorCode());
        }
    }
}
