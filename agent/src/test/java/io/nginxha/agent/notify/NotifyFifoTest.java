package io.nginxha.agent.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.vrrp.VrrpState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One notify FIFO against real pipes: made when missing, whole lines to a reader, never blocked by a bad one. */
class NotifyFifoTest {
    @TempDir
    Path dir;

    @Test
    void keepalivedsLines() {
        assertEquals("INSTANCE \"VI_1\" MASTER 100\n", FifoLines.instance("VI_1", VrrpState.MASTER, 100));
        assertEquals("INSTANCE \"VI_1\" STOP 98\n", FifoLines.instance("VI_1", VrrpState.INIT, 98));
        assertEquals("GROUP \"g\" BACKUP 0\n", FifoLines.group("g", VrrpState.BACKUP));
        assertEquals("INSTANCE \"VI_1\" MASTER_PRIORITY 90\n", FifoLines.priority("VI_1", VrrpState.MASTER, 90));
        assertEquals("INSTANCE \"VI_1\" BACKUP_PRIORITY 90\n", FifoLines.priority("VI_1", VrrpState.FAULT, 90));
        assertEquals("INSTANCE \"VI_1\" MASTER_RX_LOWER_PRI 100\n", FifoLines.lowerPriorityMaster("VI_1", 100));
    }

    @Test
    void aMissingFifoIsMadeReadableByAllAndRemovedAtTheEnd() throws Exception {
        Path p = dir.resolve("vrrp.fifo");
        try (NotifyFifo fifo = NotifyFifo.open(p, null);
             InputStream in = Files.newInputStream(p);
             BufferedReader r = new BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
            Object mode = Files.readAttributes(p, "unix:mode", LinkOption.NOFOLLOW_LINKS).get("mode");
            assertEquals(0010000, (Integer) mode & 0170000, "a FIFO");
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
            assertTrue(fifo.write(FifoLines.instance("VI_1", VrrpState.MASTER, 100)));
            assertTrue(fifo.write(FifoLines.group("G", VrrpState.MASTER)));
            assertEquals("INSTANCE \"VI_1\" MASTER 100", r.readLine());
            assertEquals("GROUP \"G\" MASTER 0", r.readLine());
            assertEquals(2, fifo.written());
        }
        assertFalse(Files.exists(p, LinkOption.NOFOLLOW_LINKS), "made here, so removed here");
    }

    @Test
    void aFifoThatWasThereStaysAfterwards() throws Exception {
        Path p = dir.resolve("existing.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", p.toString()).start().waitFor());
        NotifyFifo.open(p, null).close();
        assertTrue(Files.exists(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void anotherKindOfFileIsNeverWrittenOver() throws Exception {
        Path p = dir.resolve("plain");
        Files.writeString(p, "keep me");
        IOException e = assertThrows(IOException.class, () -> NotifyFifo.open(p, null));
        assertTrue(e.getMessage().contains("exists and is not a FIFO"), e.getMessage());
        assertEquals("keep me", Files.readString(p));
        assertThrows(IOException.class, () -> NotifyFifo.open(dir.resolve("no/such/dir/f"), null));
    }

    @Test
    void noReaderOrASlowOneNeverBlocksTheWriterAndDropsAreCounted() throws Exception {
        Path p = dir.resolve("slow.fifo");
        try (NotifyFifo fifo = NotifyFifo.open(p, null)) {
            String line = FifoLines.instance("VI_1", VrrpState.BACKUP, 100);
            int n = 100_000 / line.length() * 2; // twice what a 64 KiB pipe holds
            long start = System.nanoTime();
            int ok = 0;
            for (int i = 0; i < n; i++) {
                ok += fifo.write(line) ? 1 : 0;
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(fifo.dropped() > 0, "the pipe filled and the rest was dropped");
            assertEquals(n, ok + fifo.dropped(), "every line written or counted as dropped");
            assertTrue(ms < 5_000, "never waited for a reader: " + ms + " ms for " + n + " lines");
            // a reader that comes late gets whole lines: what fitted, from the start
            try (InputStream in = Files.newInputStream(p)) {
                byte[] got = in.readNBytes(ok * line.length());
                String text = new String(got, StandardCharsets.UTF_8);
                List<String> lines = new ArrayList<>(text.lines().toList());
                assertEquals(ok, lines.size());
                assertTrue(lines.stream().allMatch(l -> (l + "\n").equals(line)), "whole lines only");
                // now drained: writing works again
                assertTrue(fifo.write(line));
            }
        }
    }

    @Test
    void theOpenFlagsOfEachArchitecture() {
        assertEquals(02 | 04000 | 02000000 | 0400000, NotifyFifo.openFlags("amd64"));
        assertEquals(02 | 04000 | 02000000 | 0100000, NotifyFifo.openFlags("aarch64"));
    }
}
