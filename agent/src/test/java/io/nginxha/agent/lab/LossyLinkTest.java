package io.nginxha.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The arithmetic FaultsIT's lossy-link test relies on: which silences must have made the backup take over. */
class LossyLinkTest {
    private static final long S = 1_000_000_000L;
    private static final String HA1 = "192.168.16.128";

    private static String relayed(long captured, long deliveredAfterMs) {
        return captured + " ha1 " + HA1 + " 100 " + (captured + deliveredAfterMs * 1_000_000);
    }

    private static String lost(long captured) {
        return captured + " ha1 " + HA1 + " 100 lost";
    }

    @Test
    void threeLostAdvertsMakeOneSilenceLongerThanMasterDownTwoDoNot() {
        List<String> log = List.of(relayed(10 * S, 50), lost(11 * S), lost(12 * S), relayed(13 * S, 90),
                lost(14 * S), lost(15 * S), lost(16 * S), relayed(17 * S, 0),
                "17500000000 ha2 192.168.16.129 99 18000000000", // the other direction is not the master's
                "17600000000 ha1 192.168.16.200 100 lost");      // nor is another source
        LossyLink.Silences s = LossyLink.silences(log, "ha1", HA1, 9 * S, 20 * S, 3.61, 0.1);
        assertEquals(8, s.adverts());
        assertEquals(5, s.lost());
        assertEquals(1, s.certain());
        assertEquals(1, s.possible());
        assertEquals(3.91, s.longestSec(), 1e-9);
    }

    @Test
    void outsideThePartitionTheBridgeDeliveredEverythingAtCaptureTime() {
        // Lost by the relay before the cut and after the heal: the direct path still carried them.
        List<String> log = List.of(relayed(S, 10), lost(2 * S), lost(3 * S), lost(4 * S), relayed(5 * S, 10),
                lost(6 * S), lost(7 * S), lost(8 * S), relayed(9 * S, 10));
        LossyLink.Silences s = LossyLink.silences(log, "ha1", HA1, 4_500_000_000L, 5_500_000_000L, 3.61, 0.1);
        assertEquals(0, s.certain());
        assertEquals(1.01, s.longestSec(), 1e-9);
        assertEquals(1, s.adverts());
    }

    @Test
    void aSilenceNearTheIntervalIsOnlyPossible() {
        List<String> log = List.of(relayed(10 * S, 0), lost(11 * S), lost(12 * S),
                (13 * S + 600_000_000) + " ha1 " + HA1 + " 100 " + (13 * S + 620_000_000));
        LossyLink.Silences s = LossyLink.silences(log, "ha1", HA1, 0, 20 * S, 3.61, 0.1);
        assertEquals(0, s.certain());
        assertEquals(1, s.possible());
    }
}
