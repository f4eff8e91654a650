package io.nginxha.agent.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LivenessTest {
    private static final long MS = 1_000_000L;
    private long now = 1_000 * MS;
    private final Liveness liveness = new Liveness(() -> now);

    @Test
    void aThreadThatBeatsInTimeIsAliveAndOneSilentTooLongIsNot() {
        Liveness.Heartbeat capture = liveness.register("capture on eth0", 6000);
        capture.beat();
        now += 6000 * MS;
        assertEquals(Optional.empty(), liveness.stalled());
        now += 1 * MS;
        assertEquals(Optional.of("capture on eth0: no sign of life for 6001 ms (limit 6000 ms)"), liveness.stalled());
        capture.beat();
        assertEquals(Optional.empty(), liveness.stalled(), "a beat brings it back");
    }

    @Test
    void aThreadThatDiedIsStalledAtOnce() throws Exception {
        Liveness.Heartbeat h = liveness.register("tracker chk_nginx", 60_000);
        Thread t = new Thread(h::beat);
        t.start();
        t.join();
        assertTrue(liveness.stalled().orElse("").equals("tracker chk_nginx: its thread has died"),
                liveness.stalled().toString());
    }

    @Test
    void aThreadEndedOnPurposeIsNoLongerWatched() throws Exception {
        Liveness.Heartbeat h = liveness.register("old tracker", 1000);
        Thread t = new Thread(h::beat);
        t.start();
        t.join();
        h.ended();
        now += 5000 * MS;
        assertEquals(Optional.empty(), liveness.stalled());
    }

    @Test
    void aBlockingThreadMaySleepForeverButNotFailForLong() {
        Liveness.Heartbeat capture = liveness.registerBlocking("capture on eth0 (IPv4)", 6000);
        capture.beat();
        now += 3_600_000 * MS; // an hour without a packet: a quiet segment, not a fault
        assertEquals(Optional.empty(), liveness.stalled());
        capture.trouble("The interface disappeared");
        now += 6000 * MS;
        assertEquals(Optional.empty(), liveness.stalled(), "failing, but not for longer than the bound yet");
        now += 1 * MS;
        assertEquals(Optional.of("capture on eth0 (IPv4): failing for 6001 ms: The interface disappeared"),
                liveness.stalled());
        capture.fine();
        assertEquals(Optional.empty(), liveness.stalled(), "reopened");
    }
}
