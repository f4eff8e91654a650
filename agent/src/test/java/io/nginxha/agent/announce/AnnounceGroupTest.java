package io.nginxha.agent.announce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nginxha.agent.config.AnnounceConfig;
import io.nginxha.agent.config.VirtualAddress;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The announce state machine on a fake clock: what it holds, when, and why. */
class AnnounceGroupTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * Near the wrap of the nanosecond clock, so every comparison must be by difference; the drain of 2 s from here
     * ends exactly on Long.MAX_VALUE, the "no deadline" value, which must still fire.
     */
    private long now = Long.MAX_VALUE - 2_000 * MS;

    private static AnnounceConfig config(long holdDownMs, long drainMs) throws Exception {
        return new AnnounceConfig("web", "lo", List.of(new VirtualAddress(InetAddress.getByName("198.51.100.10"), 32,
                "lo", null, null)), List.of(), List.of(), holdDownMs, drainMs, null);
    }

    /** The edge actions only (Changed is for status), by simple name. */
    private static List<String> edge(List<AnnounceAction> actions) {
        return actions.stream().filter(a -> !(a instanceof AnnounceAction.Changed))
                .map(a -> a.getClass().getSimpleName()).toList();
    }

    private List<String> health(AnnounceGroup g, boolean up) {
        return edge(g.step(new AnnounceEvent.Health(up, up ? "nginx up" : "nginx down"), now));
    }

    /** Lets {@code ms} pass, firing the group's timer whenever it is due; returns what the timers did. */
    private List<String> pass(AnnounceGroup g, long ms) {
        long end = now + ms * MS;
        List<String> out = new java.util.ArrayList<>();
        while (g.nextDeadline() != Long.MAX_VALUE && g.nextDeadline() - end <= 0) {
            now = g.nextDeadline();
            out.addAll(edge(g.step(new AnnounceEvent.TimerFired(), now)));
        }
        now = end;
        return out;
    }

    @Test
    void theFirstHealthyVerdictAnnouncesAtOnceAndAnUnhealthyOneWithdrawsAtOnce() throws Exception {
        AnnounceGroup g = new AnnounceGroup(config(5000, 2000), now);
        assertEquals(AnnounceState.WAITING, g.state());
        assertEquals(List.of("Hold"), health(g, true));
        assertEquals(AnnounceState.ANNOUNCED, g.state());
        assertEquals("healthy: nginx up", g.reason());
        assertEquals(List.of("Release"), health(g, false));
        assertEquals(AnnounceState.WITHDRAWN, g.state());
        assertEquals("unhealthy: nginx down", g.reason());
        assertEquals(1, g.withdrawals());
    }

    @Test
    void unhealthyAtStartReleasesWhatAKilledAgentMayHaveLeft() throws Exception {
        AnnounceGroup g = new AnnounceGroup(config(5000, 2000), now);
        assertEquals(List.of("Release"), health(g, false));
        assertEquals(AnnounceState.WITHDRAWN, g.state());
        assertEquals(0, g.withdrawals(), "nothing was announced, so nothing was withdrawn");
    }

    @Test
    void afterAWithdrawTheGroupIsAnnouncedOnlyOnceHealthyForTheWholeHoldDown() throws Exception {
        AnnounceGroup g = new AnnounceGroup(config(5000, 2000), now);
        health(g, true);
        health(g, false);
        assertEquals(List.of(), health(g, true), "healthy again: held down, not announced");
        assertEquals(AnnounceState.HELD_DOWN, g.state());
        assertEquals(List.of(), pass(g, 4999));
        assertEquals(AnnounceState.HELD_DOWN, g.state());
        assertEquals(List.of("Hold"), pass(g, 1));
        assertEquals(AnnounceState.ANNOUNCED, g.state());
        assertEquals("healthy for the whole hold-down of 5000 ms", g.reason());
    }

    @Test
    void aFlappingNginxCostsOneWithdrawNotOnePerFlap() throws Exception {
        AnnounceGroup g = new AnnounceGroup(config(5000, 2000), now);
        health(g, true);
        int holds = 0;
        int releases = 0;
        for (int i = 0; i < 20; i++) { // down 1 s, up 2 s, for a minute
            List<String> a = new java.util.ArrayList<>(health(g, false));
            a.addAll(pass(g, 1000));
            a.addAll(health(g, true));
            a.addAll(pass(g, 2000));
            holds += java.util.Collections.frequency(a, "Hold");
            releases += java.util.Collections.frequency(a, "Release");
        }
        assertEquals(0, holds, "never announced while flapping faster than the hold-down");
        assertEquals(1, releases);
        assertEquals(AnnounceState.HELD_DOWN, g.state());
        assertEquals(List.of("Hold"), pass(g, 3000), "stable for 5 s: announced again");
        assertEquals(1, g.withdrawals());
    }

    @Test
    void aZeroHoldDownAnnouncesAsSoonAsHealthyAgain() throws Exception {
        AnnounceGroup g = new AnnounceGroup(config(0, 2000), now);
        health(g, true);
        health(g, false);
        assertEquals(List.of("Hold"), health(g, true));
    }

    @Test
    void aGracefulStopWithdrawsFirstDrainsThenLetsGo() throws Exception {
        AnnounceGroup g = new AnnounceGroup(config(5000, 2000), now);
        health(g, true);
        assertEquals(List.of("Drain"), edge(g.step(new AnnounceEvent.Stop(), now)));
        assertEquals(AnnounceState.DRAINING, g.state());
        assertEquals(List.of(), health(g, false), "a check going down while draining changes nothing");
        assertEquals(List.of(), edge(g.step(new AnnounceEvent.Stop(), now)), "a second SIGTERM changes nothing");
        assertEquals(List.of(), pass(g, 1999));
        assertEquals(List.of("Release", "Stopped"), pass(g, 1));
        assertEquals(AnnounceState.STOPPED, g.state());
        assertEquals(List.of(), health(g, true), "stopped for good");
    }

    @Test
    void aStopWhenNotAnnouncedOrWithoutDrainTimeLetsGoAtOnce() throws Exception {
        AnnounceGroup withdrawn = new AnnounceGroup(config(5000, 2000), now);
        health(withdrawn, false);
        assertEquals(List.of("Release", "Stopped"), edge(withdrawn.step(new AnnounceEvent.Stop(), now)));
        AnnounceGroup noDrain = new AnnounceGroup(config(5000, 0), now);
        health(noDrain, true);
        assertEquals(List.of("Release", "Stopped"), edge(noDrain.step(new AnnounceEvent.Stop(), now)));
        assertEquals(1, noDrain.withdrawals());
    }

    @Test
    void aFailedAddWithdrawsAndIsRetried() throws Exception {
        AnnounceGroup g = new AnnounceGroup(config(5000, 2000), now);
        health(g, true);
        assertEquals(List.of("Release"), edge(g.step(new AnnounceEvent.HoldFailed("EPERM"), now)));
        assertEquals(AnnounceState.WITHDRAWN, g.state());
        assertEquals("the VIPs could not be added: EPERM; trying again in 1000 ms", g.reason());
        assertEquals(List.of("Hold"), pass(g, 1000));
        assertEquals(AnnounceState.ANNOUNCED, g.state());
    }

    @Test
    void aFailedAddIsNotRetriedOnceUnhealthy() throws Exception {
        AnnounceGroup g = new AnnounceGroup(config(5000, 2000), now);
        health(g, true);
        g.step(new AnnounceEvent.HoldFailed("EPERM"), now);
        health(g, false);
        assertEquals(List.of(), pass(g, 5000));
        assertEquals(AnnounceState.WITHDRAWN, g.state());
    }

    @Test
    void everyChangeIsReportedWithItsReason() throws Exception {
        AnnounceGroup g = new AnnounceGroup(config(5000, 2000), now);
        List<AnnounceAction> a = g.step(new AnnounceEvent.Health(true, "nginx up"), now);
        assertEquals(new AnnounceAction.Changed(AnnounceState.WAITING, AnnounceState.ANNOUNCED, "healthy: nginx up"),
                a.get(0));
        assertEquals(now, g.sinceNanos());
    }
}
