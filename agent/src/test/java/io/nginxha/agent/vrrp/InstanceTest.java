package io.nginxha.agent.vrrp;

import static io.nginxha.agent.config.InstanceConfig.InitialState.MASTER;
import static io.nginxha.agent.vrrp.SeedInstance.config;
import static io.nginxha.agent.vrrp.SeedInstance.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.vrrp.Action.AddVips;
import io.nginxha.agent.vrrp.Action.RemoveVips;
import io.nginxha.agent.vrrp.Action.SendAdvert;
import io.nginxha.agent.vrrp.Action.SendGarp;
import io.nginxha.agent.vrrp.Action.Transition;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The transitions of RFC 5798 6.4 plus FAULT, driven with a fake clock (a plain long). */
class InstanceTest {
    static final long S = 1_000_000_000L;
    static final long T0 = 1_000 * S;
    static final InetAddress SELF = ip("192.168.16.129");
    static final InetAddress HIGHER = ip("192.168.16.200");
    static final InetAddress LOWER = ip("192.168.16.2");
    /** Master_Down_Interval for v2, advert_int 1, priority 99: 3 + 157/256 s. */
    static final long DOWN_V2_99 = 3_613_281_250L;
    /** The same for priority 100: 3 + 156/256 s. */
    static final long DOWN_V2_100 = 3_609_375_000L;

    static Advert advert(int priority) {
        return new Advert(2, 66, priority, 100, List.of(ip("192.168.16.130")), 1,
                "1111".getBytes(StandardCharsets.US_ASCII));
    }

    static Event.AdvertReceived from(InetAddress source, Advert advert) {
        return new Event.AdvertReceived(source, advert);
    }

    static Instance started(InstanceConfig config) {
        Instance instance = new Instance(config, SELF);
        instance.step(new Event.Startup(), T0);
        return instance;
    }

    /** A priority-100 instance that has become master by timing out at T0 + Master_Down. */
    static Instance master() {
        Instance instance = started(config().priority(100).build());
        instance.step(new Event.TimerFired(), T0 + DOWN_V2_100);
        assertEquals(VrrpState.MASTER, instance.state());
        return instance;
    }

    /** Fires every timer up to and including {@code until}, collecting the actions. */
    static List<Action> runUntil(Instance instance, long until) {
        List<Action> actions = new ArrayList<>();
        while (instance.nextDeadline() <= until) {
            actions.addAll(instance.step(new Event.TimerFired(), instance.nextDeadline()));
        }
        return actions;
    }

    static Transition onlyTransition(List<Action> actions) {
        List<Transition> transitions = actions.stream().filter(Transition.class::isInstance)
                .map(Transition.class::cast).toList();
        assertEquals(1, transitions.size(), actions.toString());
        return transitions.get(0);
    }

    @Test
    void timerArithmeticToTheNanosecond() {
        assertEquals(613_281_250L, Timers.skewNanos(2, 99, 100));
        assertEquals(DOWN_V2_99, Timers.masterDownNanos(2, 99, 100));
        // v2 skew does not scale with the interval (RFC 3768): 157/256 s even at advert_int 3.
        assertEquals(9_613_281_250L, Timers.masterDownNanos(2, 99, 300));
        // v3 at 0.1 s: skew = 156 * 10 cs / 256 = 60.9375 ms.
        assertEquals(60_937_500L, Timers.skewNanos(3, 100, 10));
        assertEquals(360_937_500L, Timers.masterDownNanos(3, 100, 10));
        assertEquals(300_781_250L, Timers.masterDownNanos(3, 254, 10));
        assertEquals("3.61 s", Timers.formatSeconds(DOWN_V2_99));
    }

    @Test
    void startupAsBackupArmsMasterDownInterval() {
        Instance instance = new Instance(config().build(), SELF);
        List<Action> actions = instance.step(new Event.Startup(), T0);
        assertEquals(List.of(new Transition(VrrpState.INIT, VrrpState.BACKUP,
                "startup: waiting 3.61 s for a master")), actions);
        assertEquals(T0 + DOWN_V2_99, instance.nextDeadline());
        assertEquals(VrrpState.BACKUP, instance.lastTransition().orElseThrow().to());
        assertEquals(T0, instance.lastTransition().orElseThrow().atNanos());
    }

    @Test
    void startupAsV3BackupUsesCentisecondSkew() {
        Instance instance = started(config().version(3).authPass(null).intervalCs(10).priority(100).build());
        assertEquals(T0 + 360_937_500L, instance.nextDeadline());
    }

    @Test
    void stateMasterBelowOwnerPriorityStartsAsBackupLikeKeepalived() {
        Instance instance = new Instance(config().initialState(MASTER).priority(100).build(), SELF);
        Transition transition = onlyTransition(instance.step(new Event.Startup(), T0));
        assertEquals(VrrpState.BACKUP, transition.to());
        assertTrue(transition.reason().contains("state MASTER but priority 100 < 255"), transition.reason());
        assertEquals(T0 + DOWN_V2_100, instance.nextDeadline());
    }

    @Test
    void addressOwnerStartsAsMaster() {
        Instance instance = new Instance(config().initialState(MASTER).priority(255).build(), SELF);
        List<Action> actions = instance.step(new Event.Startup(), T0);
        // VIPs and gratuitous ARPs before the advert: a preempted master drops its VIPs on that advert
        assertEquals(List.of(new AddVips(), new SendGarp(5), new SendAdvert(255)), actions.subList(0, 3));
        assertEquals(VrrpState.MASTER, onlyTransition(actions).to());
        assertEquals(T0 + S, instance.nextDeadline());
        assertEquals(SELF, instance.masterAddress().orElseThrow());
    }

    @Test
    void backupBecomesMasterWhenDownTimerExpires() {
        Instance instance = started(config().build());
        assertEquals(List.of(), instance.step(new Event.TimerFired(), T0 + DOWN_V2_99 - 1));
        assertEquals(VrrpState.BACKUP, instance.state());
        List<Action> actions = instance.step(new Event.TimerFired(), T0 + DOWN_V2_99);
        assertEquals(List.of(new AddVips(), new SendGarp(5), new SendAdvert(99), new Transition(VrrpState.BACKUP,
                VrrpState.MASTER, "master down timer expired (no advert for 3.61 s)")), actions);
        assertEquals(T0 + DOWN_V2_99 + S, instance.nextDeadline());
    }

    @Test
    void backupAdvertFromBetterMasterResetsDownTimer() {
        Instance instance = started(config().build());
        assertEquals(List.of(), instance.step(from(HIGHER, advert(100)), T0 + 2 * S));
        assertEquals(T0 + 2 * S + DOWN_V2_99, instance.nextDeadline());
        assertEquals(HIGHER, instance.masterAddress().orElseThrow());
        // Equal priority also holds a backup down (RFC: greater than or equal), whatever the address.
        instance.step(from(LOWER, advert(99)), T0 + 3 * S);
        assertEquals(T0 + 3 * S + DOWN_V2_99, instance.nextDeadline());
    }

    @Test
    void backupTakesOverAfterSkewTimeWhenMasterResigns() {
        Instance instance = started(config().build());
        instance.step(from(HIGHER, advert(100)), T0 + S);
        assertEquals(List.of(), instance.step(from(HIGHER, advert(0)), T0 + 2 * S));
        assertEquals(T0 + 2 * S + 613_281_250L, instance.nextDeadline());
        Transition transition = onlyTransition(runUntil(instance, T0 + 3 * S));
        assertEquals(VrrpState.MASTER, transition.to());
        assertEquals("master 192.168.16.200 resigned (priority 0), took over after skew time 0.61 s",
                transition.reason());
    }

    @Test
    void masterReannouncesEveryInterval() {
        Instance instance = master();
        long becameMaster = T0 + DOWN_V2_100;
        assertEquals(List.of(new SendAdvert(100)), instance.step(new Event.TimerFired(), becameMaster + S));
        assertEquals(becameMaster + 2 * S, instance.nextDeadline());
        // A late timer re-arms from the time it actually ran, as keepalived does.
        instance.step(new Event.TimerFired(), becameMaster + 2 * S + 5);
        assertEquals(becameMaster + 3 * S + 5, instance.nextDeadline());
    }

    @Test
    void masterStepsDownForHigherPriority() {
        Instance instance = master();
        long now = T0 + 10 * S;
        List<Action> actions = instance.step(from(LOWER, advert(101)), now);
        // Our own priority on the way out (three times, against loss), so the new master hears a lower one
        // and sends GARP.
        assertEquals(List.of(new SendAdvert(100), new SendAdvert(100), new SendAdvert(100), new RemoveVips(),
                new Transition(VrrpState.MASTER, VrrpState.BACKUP,
                        "higher priority advert from 192.168.16.2 (101 > 100)")), actions);
        assertEquals(now + DOWN_V2_100, instance.nextDeadline());
        assertEquals(LOWER, instance.masterAddress().orElseThrow());
    }

    @Test
    void masterTieBreakFavoursHigherAddress() {
        Instance instance = master();
        long now = T0 + 10 * S;
        assertEquals(List.of(new Action.LowerPriorityMasterHeard(LOWER, 100), new SendAdvert(100)),
                instance.step(from(LOWER, advert(100)), now), "equal priority from a lower address counts as lower");
        assertEquals(VrrpState.MASTER, instance.state());
        List<Action> actions = instance.step(from(HIGHER, advert(100)), now + 1);
        assertEquals(List.of(new SendAdvert(100), new SendAdvert(100), new SendAdvert(100), new RemoveVips(),
                new Transition(VrrpState.MASTER, VrrpState.BACKUP,
                        "equal priority 100 advert from higher address 192.168.16.200")), actions);
    }

    @Test
    void masterHearingLowerPriorityReannouncesAndRepeatsGarp() {
        Instance instance = new Instance(config().priority(100).garp(new GarpConfig(0, 5, 0, 1, 0, 5, 3)).build(),
                SELF);
        instance.step(new Event.Startup(), T0);
        runUntil(instance, T0 + DOWN_V2_100);
        long now = T0 + DOWN_V2_100 + S / 2;
        assertEquals(List.of(new Action.LowerPriorityMasterHeard(HIGHER, 99), new SendAdvert(100), new SendGarp(3)),
                instance.step(from(HIGHER, advert(99)), now));
        assertEquals(VrrpState.MASTER, instance.state());
        // The advert timer restarts from the re-announcement; the delayed GARP comes 5 s later.
        assertEquals(now + S, instance.nextDeadline());
        List<Action> later = runUntil(instance, now + 5 * S);
        assertEquals(5, later.stream().filter(SendAdvert.class::isInstance).count());
        assertEquals(List.of(new SendGarp(3)), later.stream().filter(SendGarp.class::isInstance).toList());
    }

    @Test
    void masterAnswersPriorityZeroAtOnce() {
        Instance instance = master();
        long now = T0 + 10 * S + 123;
        assertEquals(List.of(new SendAdvert(100)), instance.step(from(HIGHER, advert(0)), now));
        assertEquals(now + S, instance.nextDeadline());
        assertEquals(VrrpState.MASTER, instance.state());
    }

    @Test
    void ownAdvertIsDropped() {
        Instance instance = master();
        List<Action> actions = instance.step(from(SELF, advert(100)), T0 + 10 * S);
        assertEquals(DropReason.OWN_ADVERT, ((Action.AdvertDropped) actions.get(0)).reason());
        assertEquals(1, actions.size());
        assertEquals(VrrpState.MASTER, instance.state());
    }

    @Test
    void shutdownAsMasterResignsAndRemovesVips() {
        Instance instance = master();
        assertEquals(List.of(new SendAdvert(0), new RemoveVips(),
                new Transition(VrrpState.MASTER, VrrpState.INIT, "shutdown")),
                instance.step(new Event.Shutdown(), T0 + 10 * S));
        assertEquals(Long.MAX_VALUE, instance.nextDeadline());
        assertEquals(List.of(), instance.step(from(HIGHER, advert(100)), T0 + 11 * S));
    }

    @Test
    void shutdownAsBackupOnlyLeaves() {
        Instance instance = started(config().build());
        assertEquals(List.of(new Transition(VrrpState.BACKUP, VrrpState.INIT, "shutdown")),
                instance.step(new Event.Shutdown(), T0 + S));
        assertEquals(Long.MAX_VALUE, instance.nextDeadline());
        assertEquals(List.of(), instance.step(new Event.Shutdown(), T0 + 2 * S));
    }

    @Test
    void faultTakesMasterDownWithPriorityZeroAndBackOnRecovery() {
        Instance instance = master();
        long now = T0 + 10 * S;
        assertEquals(List.of(new SendAdvert(0), new RemoveVips(),
                new Transition(VrrpState.MASTER, VrrpState.FAULT, "fault: eth0 down")),
                instance.step(new Event.FaultChanged(true, "eth0 down"), now));
        assertEquals(Long.MAX_VALUE, instance.nextDeadline());
        assertEquals(List.of(), instance.step(from(HIGHER, advert(0)), now + S));
        assertEquals(List.of(new Transition(VrrpState.FAULT, VrrpState.BACKUP, "fault cleared: eth0 up")),
                instance.step(new Event.FaultChanged(false, "eth0 up"), now + 2 * S));
        assertEquals(now + 2 * S + DOWN_V2_100, instance.nextDeadline());
    }

    @Test
    void faultBeforeStartupStartsInFault() {
        Instance instance = new Instance(config().build(), SELF);
        assertEquals(List.of(), instance.step(new Event.FaultChanged(true, "chk_nginx failed"), T0 - S));
        assertEquals(List.of(new Transition(VrrpState.INIT, VrrpState.FAULT,
                "starting in fault: chk_nginx failed")), instance.step(new Event.Startup(), T0));
        assertEquals(List.of(new Transition(VrrpState.FAULT, VrrpState.INIT, "shutdown")),
                instance.step(new Event.Shutdown(), T0 + S));
    }

    @Test
    void ownerLeavingFaultGoesStraightToMaster() {
        Instance instance = new Instance(config().initialState(MASTER).priority(255).build(), SELF);
        instance.step(new Event.Startup(), T0);
        instance.step(new Event.FaultChanged(true, "eth0 down"), T0 + S);
        List<Action> actions = instance.step(new Event.FaultChanged(false, "eth0 up"), T0 + 2 * S);
        assertEquals(new Transition(VrrpState.FAULT, VrrpState.MASTER, "fault cleared: eth0 up"),
                onlyTransition(actions));
        assertTrue(actions.contains(new AddVips()));
    }

    @Test
    void preemptingBackupIgnoresLowerMasterAndTakesOver() {
        Instance instance = started(config().priority(100).build());
        for (long t = 1; t <= 3; t++) {
            assertEquals(List.of(), instance.step(from(HIGHER, advert(99)), T0 + t * S));
        }
        assertEquals(T0 + DOWN_V2_100, instance.nextDeadline());
        Transition transition = onlyTransition(runUntil(instance, T0 + DOWN_V2_100));
        assertEquals("preempting lower-priority master 192.168.16.200 (priority 99 < 100)", transition.reason());
    }

    @Test
    void nopreemptBackupFollowsLowerMaster() {
        Instance instance = started(config().priority(100).preempt(false).build());
        for (long t = 1; t <= 10; t++) {
            instance.step(from(HIGHER, advert(99)), T0 + t * S);
            runUntil(instance, T0 + t * S + S - 1);
        }
        assertEquals(VrrpState.BACKUP, instance.state());
        assertEquals(T0 + 10 * S + DOWN_V2_100, instance.nextDeadline());
    }

    @Test
    void preemptDelayHoldsOffFromFirstLowerAdvert() {
        Instance instance = started(config().priority(100).preemptDelaySec(10).build());
        // Lower adverts every second from T0+1 s: the delay starts then and ends at T0+11 s; the advert at
        // T0+10 s is the last honoured one, so the down timer runs out at T0+10 s + Master_Down.
        for (long t = 1; t <= 13; t++) {
            instance.step(from(HIGHER, advert(99)), T0 + t * S);
        }
        long takeover = T0 + 10 * S + DOWN_V2_100;
        assertEquals(takeover, instance.nextDeadline());
        runUntil(instance, takeover - 1);
        assertEquals(VrrpState.BACKUP, instance.state());
        runUntil(instance, takeover);
        assertEquals(VrrpState.MASTER, instance.state());
    }

    @Test
    void preemptDelayStopsWhenBetterMasterHeard() {
        Instance instance = started(config().priority(100).preemptDelaySec(10).build());
        instance.step(from(HIGHER, advert(99)), T0 + S);
        instance.step(from(HIGHER, advert(101)), T0 + 2 * S);
        // The delay restarts at the next lower advert, so at T0+12 s it still holds.
        instance.step(from(HIGHER, advert(99)), T0 + 3 * S);
        instance.step(from(HIGHER, advert(99)), T0 + 12 * S);
        assertEquals(T0 + 12 * S + DOWN_V2_100, instance.nextDeadline());
    }

    @Test
    void v3BackupLearnsMasterAdvertInterval() {
        Instance instance = started(config().version(3).authPass(null).intervalCs(100).priority(100).build());
        Advert fast = new Advert(3, 66, 150, 10, List.of(ip("192.168.16.130")), 0, null);
        instance.step(from(HIGHER, fast), T0 + S);
        assertEquals(10, instance.masterAdverIntervalCs());
        assertEquals(T0 + S + 360_937_500L, instance.nextDeadline());
        runUntil(instance, T0 + S + 360_937_500L);
        // As master it advertises at its own configured interval again.
        assertEquals(VrrpState.MASTER, instance.state());
        assertEquals(100, instance.masterAdverIntervalCs());
        assertEquals(T0 + S + 360_937_500L + S, instance.nextDeadline());
    }

    @Test
    void v3MasterSteppingDownAdoptsTheNewMastersInterval() {
        Instance instance = new Instance(config().version(3).authPass(null).intervalCs(100).priority(255)
                .initialState(MASTER).build(), SELF);
        instance.step(new Event.Startup(), T0);
        instance.step(from(HIGHER, new Advert(3, 66, 255, 10, List.of(ip("192.168.16.130")), 0, null)), T0 + S);
        // Two owners: keepalived lowers its own priority to 254, and the peer then wins.
        assertEquals(VrrpState.BACKUP, instance.state());
        assertEquals(254, instance.effectivePriority());
        assertEquals(T0 + S + 300_781_250L, instance.nextDeadline());
    }

    @Test
    void priorityChangeShiftsBackupDeadlineBySkewDifference() {
        Instance instance = started(config().build());
        assertEquals(List.of(new Action.PriorityChanged(99, 101)),
                instance.step(new Event.PriorityChanged(101, "chk_http_port up"), T0 + S));
        // skew 157/256 s -> 155/256 s: 2/256 s = 7812500 ns earlier.
        assertEquals(T0 + DOWN_V2_99 - 7_812_500L, instance.nextDeadline());
        assertEquals(101, instance.effectivePriority());
        assertEquals(List.of(new Action.PriorityChanged(101, 254)),
                instance.step(new Event.PriorityChanged(400, "clamped"), T0 + S));
        assertEquals(254, instance.effectivePriority());
        assertEquals(List.of(), instance.step(new Event.PriorityChanged(300, "clamped again"), T0 + S),
                "no change, nothing to notify");
    }

    @Test
    void ownerPriorityIsNeverAdjusted() {
        Instance instance = new Instance(config().initialState(MASTER).priority(255).build(), SELF);
        assertEquals(List.of(), instance.step(new Event.PriorityChanged(200, "chk failed"), T0));
        assertEquals(255, instance.effectivePriority());
    }

    @Test
    void masterKeepsAdvertisingItsLoweredPriority() {
        Instance instance = master();
        instance.step(new Event.PriorityChanged(98, "chk_http_port down"), T0 + 5 * S);
        assertEquals(VrrpState.MASTER, instance.state());
        assertEquals(List.of(new SendAdvert(98)), instance.step(new Event.TimerFired(), instance.nextDeadline()));
    }

    @Test
    void garpAfterDelayAndPeriodicRefresh() {
        Instance instance = new Instance(config().priority(255).initialState(MASTER)
                .garp(new GarpConfig(5, 4, 60, 2, 0, 0, 0)).build(), SELF);
        instance.step(new Event.Startup(), T0);
        List<Action> second = instance.step(new Event.TimerFired(), T0 + 5 * S);
        assertEquals(List.of(new SendAdvert(255), new SendGarp(4)), second);
        List<Action> minute = runUntil(instance, T0 + 120 * S);
        assertEquals(List.of(new SendGarp(2), new SendGarp(2)),
                minute.stream().filter(SendGarp.class::isInstance).toList());
        assertEquals(115, minute.stream().filter(SendAdvert.class::isInstance).count());
    }
}
