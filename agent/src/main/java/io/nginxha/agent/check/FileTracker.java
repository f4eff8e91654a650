package io.nginxha.agent.check;

import io.nginxha.agent.config.TrackFileConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's {@code track_file}: the integer in a file, read again whenever the file is written, replaced or
 * deleted. The directory is watched with the JDK's WatchService, which on Linux is inotify read by a thread blocked
 * in poll(2) without a timeout: an idle tracker wakes nobody. Read as keepalived reads it: C's strtol with base 0
 * (leading blanks, sign, 0x hex, 0 octal, trailing text ignored), 0 when the file is missing, empty, unreadable or
 * holds no number, and a number outside the 32-bit range is ignored (the last value stays).
 */
public final class FileTracker implements Check {
    private static final Logger log = LoggerFactory.getLogger(FileTracker.class);
    static final String PREFIX = "file:";
    /** A write often comes as truncate + write: read once the file has been quiet this long. */
    private static final long SETTLE_MS = 20;

    private final TrackFileConfig config;
    private final Path file;
    private final long initialValue;
    private volatile boolean closed;
    private WatchService watcher;
    private Thread thread;

    /** @param mayOverwrite false on a reload: {@code init_file overwrite} then leaves an existing file alone */
    public FileTracker(TrackFileConfig config, boolean mayOverwrite) {
        this.config = config;
        this.file = resolved(Path.of(config.path()));
        initialise(mayOverwrite);
        Long first = read(file);
        this.initialValue = first == null ? 0 : first;
    }

    /** Check names of track files are prefixed, so they never collide with vrrp_script names. */
    public static String checkName(String trackFile) {
        return PREFIX + trackFile;
    }

    @Override
    public String name() {
        return checkName(config.name());
    }

    @Override
    public boolean valued() {
        return true;
    }

    @Override
    public long initialValue() {
        return initialValue;
    }

    @Override
    public boolean initiallyUp() {
        return initialValue == 0;
    }

    /** A symlink is followed once, at start, as keepalived does: the target's directory is watched. */
    private static Path resolved(Path path) {
        try {
            return Files.exists(path) ? path.toRealPath() : path.getParent().toRealPath().resolve(path.getFileName());
        } catch (IOException e) {
            return path; // the directory is missing: reported when the watch fails
        }
    }

    private void initialise(boolean mayOverwrite) {
        if (config.initValue() == null || Files.exists(file) && !(config.initOverwrite() && mayOverwrite)) {
            return;
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            log.error("track_file {}: cannot initialise {}: not a regular file", config.name(), file);
            return;
        }
        try {
            Files.writeString(file, config.initValue() + "\n");
        } catch (IOException e) {
            log.error("track_file {}: cannot initialise {}: {}", config.name(), file, e.toString());
        }
    }

    /** The file's value; 0 when there is none; null when it holds a number out of range (to be ignored). */
    static Long read(Path file) {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            return 0L; // a FIFO would block the open; keepalived's non-blocking read gets nothing from it either
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(127);
        } catch (NoSuchFileException e) {
            return 0L;
        } catch (IOException e) {
            log.debug("{}: unreadable, counts as 0: {}", file, e.toString());
            return 0L;
        }
        return parse(new String(head, StandardCharsets.ISO_8859_1));
    }

    /** C's strtol(text, NULL, 0), keeping keepalived's range: INT32_MIN..INT32_MAX+1, else null. */
    static Long parse(String text) {
        int i = 0;
        int n = text.length();
        while (i < n && " \t\n\r\f\u000b".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        boolean negative = false;
        if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            negative = text.charAt(i++) == '-';
        }
        int radix = 10;
        if (i + 1 < n && text.charAt(i) == '0' && (text.charAt(i + 1) == 'x' || text.charAt(i + 1) == 'X')
                && i + 2 < n && Character.digit(text.charAt(i + 2), 16) >= 0) {
            radix = 16;
            i += 2;
        } else if (i < n && text.charAt(i) == '0') {
            radix = 8;
        }
        long value = 0;
        for (; i < n && Character.digit(text.charAt(i), radix) >= 0; i++) {
            value = value * radix + Character.digit(text.charAt(i), radix);
            if (value > (1L << 40)) {
                return null; // far out of range; strtol would saturate, keepalived then ignores it
            }
        }
        value = negative ? -value : value;
        return value < Integer.MIN_VALUE || value > Integer.MAX_VALUE + 1L ? null : value;
    }

    @Override
    public void start(Check.Sink sink) {
        Path dir = file.getParent();
        try {
            watcher = dir.getFileSystem().newWatchService();
            dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException e) {
            log.error("track_file {}: cannot watch {}: {}; its value stays {}", config.name(), dir, e.toString(),
                    initialValue);
            closeWatcher();
            return;
        }
        thread = new Thread(() -> loop(sink), "track-file-" + config.name());
        thread.setDaemon(true);
        thread.start();
    }

    /** It waits on the directory's watch for as long as nothing changes: only its thread's death counts. */
    @Override
    public long maxSilenceMs() {
        return 0;
    }

    private void loop(Check.Sink sink) {
        sink.alive();
        long value = reread(initialValue, sink); // a write between the first reading and the watch is not lost
        try {
            while (!closed) {
                if (!concernsFile(watcher.take())) {
                    continue;
                }
                WatchKey more;
                while ((more = watcher.poll(SETTLE_MS, TimeUnit.MILLISECONDS)) != null) {
                    concernsFile(more);
                }
                value = reread(value, sink);
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    /** Reads the file and reports its value when it differs from {@code before}; returns the value now. */
    private long reread(long before, Check.Sink sink) {
        Long now = read(file);
        if (now == null) {
            log.info("track_file {}: {} holds a number out of range, ignored", config.name(), file);
            return before;
        }
        if (now != before) {
            sink.value(name(), now, file + " holds " + now);
        }
        return now;
    }

    /** Whether a key's events touch the tracked file (an overflow may hide them, so it counts); re-arms the key. */
    private boolean concernsFile(WatchKey key) {
        boolean ours = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            ours |= event.kind() == StandardWatchEventKinds.OVERFLOW || file.getFileName().equals(event.context());
        }
        key.reset();
        return ours;
    }

    @Override
    public void close() {
        closed = true;
        closeWatcher();
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void closeWatcher() {
        try {
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException e) {
            log.debug("track_file {}: closing the watch: {}", config.name(), e.toString());
        }
    }
}
