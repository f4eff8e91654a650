package io.nginxha.agent.runtime;

import static io.nginxha.agent.runtime.TestConfigs.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class PacketGateTest {
    private static final long MS = 1_000_000L;
    private final PacketGate gate = new PacketGate();
    private final InetAddress rogue = ip("192.168.16.66");
    private final InetAddress master = ip("192.168.16.128");

    private int admitted(InetAddress source, int offered, long at) {
        int n = 0;
        for (int i = 0; i < offered; i++) {
            if (gate.admit(source, at)) {
                n++;
                gate.taken(); // the loop keeps up: only the rate bound applies
            }
        }
        return n;
    }

    @Test
    void aFloodingSourceIsHeldToItsRateAndTheMasterStillGetsThrough() {
        long t = 1_000 * MS;
        assertEquals(PacketGate.PER_SOURCE_PER_SECOND, admitted(rogue, 10_000, t), "its burst, then nothing");
        assertEquals(1, admitted(master, 1, t), "another source is not held back by the rogue's flood");
        assertEquals(0, admitted(rogue, 100, t));
        assertEquals(PacketGate.PER_SOURCE_PER_SECOND / 10, admitted(rogue, 10_000, t + 100 * MS),
                "refilled at its rate");
    }

    @Test
    void theQueueIsBoundedWhenTheLoopFallsBehind() {
        long t = 1_000 * MS;
        int n = 0;
        for (int s = 0; s < 10; s++) { // ten sources, each within its rate: only the queue bound applies
            InetAddress source = ip("192.168.16." + (10 + s));
            for (int i = 0; i < PacketGate.PER_SOURCE_PER_SECOND; i++) {
                n += gate.admit(source, t) ? 1 : 0;
            }
        }
        assertEquals(PacketGate.MAX_QUEUED, n);
        assertFalse(gate.admit(master, t), "queue full");
        gate.taken();
        assertTrue(gate.admit(master, t), "room for one again");
    }

    @Test
    void spoofedSourcesCannotGrowWhatIsRemembered() {
        long t = 1_000 * MS;
        for (int i = 0; i < 10_000; i++) {
            InetAddress spoofed = ip("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
            if (gate.admit(spoofed, t)) {
                gate.taken();
            }
        }
        assertEquals(PacketGate.MAX_SOURCES, gate.sourcesRemembered());
        assertEquals(1, admitted(master, 1, t));
    }
}
