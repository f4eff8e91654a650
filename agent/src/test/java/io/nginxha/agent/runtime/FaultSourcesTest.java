package io.nginxha.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.nginxha.agent.runtime.FaultSources.Source;
import io.nginxha.agent.vrrp.Event;
import org.junit.jupiter.api.Test;

class FaultSourcesTest {
    private final FaultSources faults = new FaultSources();

    @Test
    void trackerVerdictsPassThroughAsTheyAreWhileNoOtherSourceIsInFault() {
        assertEquals(new Event.FaultChanged(true, "eth1 down"), faults.set(Source.TRACKING, true, "eth1 down"));
        assertEquals(new Event.FaultChanged(true, "eth2 down"), faults.set(Source.TRACKING, true, "eth2 down"));
        assertEquals(new Event.FaultChanged(false, "eth1 up"), faults.set(Source.TRACKING, false, "eth1 up"));
        assertEquals(new Event.FaultChanged(false, "still up"), faults.set(Source.TRACKING, false, "still up"));
    }

    @Test
    void aFaultHoldsUntilEverySourceHasRecovered() {
        assertEquals(new Event.FaultChanged(true, "no VIP"), faults.set(Source.VIPS, true, "no VIP"));
        assertNull(faults.set(Source.TRACKING, true, "eth1 down"), "already in fault");
        assertNull(faults.set(Source.TRACKING, false, "eth1 up"), "the VIP fault still holds");
        assertEquals(new Event.FaultChanged(false, "retry"), faults.set(Source.VIPS, false, "retry"));
    }

    @Test
    void theOtherOrderToo() {
        faults.set(Source.TRACKING, true, "eth1 down");
        assertNull(faults.set(Source.VIPS, true, "no VIP"));
        assertNull(faults.set(Source.VIPS, false, "retry"), "the tracker's fault still holds");
        assertEquals(new Event.FaultChanged(false, "eth1 up"), faults.set(Source.TRACKING, false, "eth1 up"));
    }

    @Test
    void aVipSourceThatWasNotInFaultSaysNothingWhenItRecovers() {
        assertNull(faults.set(Source.VIPS, false, "retry"));
    }
}
