package io.nginxha.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.Source;
import io.nginxha.agent.config.TrackFileConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTrackerTest {
    @TempDir
    Path dir;

    private TrackFileConfig config(Path file, Integer init, boolean overwrite) {
        return new TrackFileConfig("maint", file.toString(), 0, false, init, overwrite, new Source(Path.of("k"), 1));
    }

    @Test
    void readsLikeStrtolWithBaseZero() {
        assertEquals(5L, FileTracker.parse("5\n"));
        assertEquals(-3L, FileTracker.parse(" \t-3 apples"));
        assertEquals(26L, FileTracker.parse("0x1A"));
        assertEquals(8L, FileTracker.parse("010"));
        assertEquals(0L, FileTracker.parse("0x"));
        assertEquals(0L, FileTracker.parse("maintenance"));
        assertEquals(0L, FileTracker.parse(""));
        assertEquals(2147483648L, FileTracker.parse("2147483648"), "keepalived accepts up to INT32_MAX + 1");
        assertNull(FileTracker.parse("4294967296"), "out of range: ignored");
        assertNull(FileTracker.parse("-2147483649"));
        assertNull(FileTracker.parse("99999999999999999999999"));
    }

    @Test
    void missingFileReadsAsZero() throws Exception {
        Path file = dir.resolve("absent");
        assertEquals(0L, FileTracker.read(file));
        Files.writeString(file, "12\n");
        assertEquals(12L, FileTracker.read(file));
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertEquals(0L, FileTracker.read(fifo), "not a regular file: 0, without blocking");
        assertEquals(0L, FileTracker.read(dir), "a directory too");
    }

    @Test
    void initFileWritesOnlyWhenAbsentUnlessOverwriteAndNotOnReload() throws Exception {
        Path file = dir.resolve("maint");
        FileTracker created = new FileTracker(config(file, 4, false), true);
        assertEquals("4\n", Files.readString(file));
        assertEquals(4L, created.initialValue());
        assertFalse(created.initiallyUp());
        Files.writeString(file, "0\n");
        assertEquals(0L, new FileTracker(config(file, 4, false), true).initialValue(), "exists: left alone");
        assertEquals(0L, new FileTracker(config(file, 4, true), false).initialValue(), "a reload never overwrites");
        assertEquals(4L, new FileTracker(config(file, 4, true), true).initialValue(), "overwrite at start");
    }

    @Test
    void writesRenamesAndDeletesAreNoticedAndCloseEndsTheThread() throws Exception {
        Path file = dir.resolve("maint");
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        FileTracker tracker = new FileTracker(config(file, null, false), true);
        assertEquals("file:maint", tracker.name());
        assertEquals(0L, tracker.initialValue());
        tracker.start(new Check.Sink() {
            public void status(String check, boolean up, String why) {
                seen.add(check + " up=" + up);
            }

            public void value(String check, long value, String why) {
                seen.add(check + " " + value);
            }
        });
        Files.writeString(dir.resolve("other"), "5\n");
        Files.writeString(file, "1\n");
        assertEquals("file:maint 1", seen.poll(10, TimeUnit.SECONDS), "another file in the directory is not ours");
        Path staged = dir.resolve("maint.tmp");
        Files.writeString(staged, "-7\n");
        Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE);
        assertEquals("file:maint -7", seen.poll(10, TimeUnit.SECONDS));
        Files.delete(file);
        assertEquals("file:maint 0", seen.poll(10, TimeUnit.SECONDS), "a deleted file reads as 0");
        tracker.close();
        for (int i = 0; i < 500 && threadAlive("track-file-maint"); i++) {
            Thread.sleep(10);
        }
        assertFalse(threadAlive("track-file-maint"), "close ends the tracker's thread");
        assertTrue(seen.isEmpty(), seen.toString());
    }

    @Test
    void aWriteBetweenTheFirstReadingAndTheWatchIsReported() throws Exception {
        Path file = dir.resolve("maint");
        FileTracker tracker = new FileTracker(config(file, null, false), true);
        Files.writeString(file, "3\n");
        BlockingQueue<Long> seen = new LinkedBlockingQueue<>();
        tracker.start(new Check.Sink() {
            public void status(String check, boolean up, String why) { }

            public void value(String check, long value, String why) {
                seen.add(value);
            }
        });
        try {
            assertEquals(3L, seen.poll(10, TimeUnit.SECONDS));
        } finally {
            tracker.close();
        }
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
