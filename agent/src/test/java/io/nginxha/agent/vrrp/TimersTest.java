package io.nginxha.agent.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The seconds every transition reason prints (the timer arithmetic itself is in InstanceTest). */
class TimersTest {
    @Test
    void secondsAreRoundedHalfUpToTwoDecimals() {
        assertEquals("0.00 s", Timers.formatSeconds(0));
        assertEquals("0.00 s", Timers.formatSeconds(4_999_999));
        assertEquals("0.01 s", Timers.formatSeconds(5_000_000));
        assertEquals("0.09 s", Timers.formatSeconds(94_999_999));
        assertEquals("0.10 s", Timers.formatSeconds(95_000_000));
        assertEquals("0.36 s", Timers.formatSeconds(361_328_125));
        assertEquals("3.61 s", Timers.formatSeconds(3_613_281_250L));
        assertEquals("1.00 s", Timers.formatSeconds(999_999_999));
        assertEquals("255.00 s", Timers.formatSeconds(255_000_000_000L));
        assertEquals("-0.50 s", Timers.formatSeconds(-500_000_000));
    }
}
