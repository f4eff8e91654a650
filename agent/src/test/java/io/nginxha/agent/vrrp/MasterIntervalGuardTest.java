package io.nginxha.agent.vrrp;

import static io.nginxha.agent.vrrp.InstanceTest.S;
import static io.nginxha.agent.vrrp.InstanceTest.T0;
import static io.nginxha.agent.vrrp.InstanceTest.from;
import static io.nginxha.agent.vrrp.InstanceTest.runUntil;
import static io.nginxha.agent.vrrp.InstanceTest.started;
import static io.nginxha.agent.vrrp.SeedInstance.config;
import static io.nginxha.agent.vrrp.SeedInstance.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nginxha.agent.reliability.Ledger;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A VRRPv3 backup and the interval a master claims, on a fake clock: a lone advert claiming 40.95 s must not stretch
 * the takeover to two minutes, a genuinely slow master is believed from its second advert, a shorter interval at once.
 */
class MasterIntervalGuardTest {
    private static final InetAddress MASTER = ip("192.168.16.128");
    private static final InetAddress ROGUE = ip("192.168.16.66");
    private static final int LONGEST_CS = 4095;

    private static Advert v3(int priority, int intervalCs) {
        return new Advert(3, 66, priority, intervalCs, List.of(ip("192.168.16.130")), 0, null);
    }

    /** ha2 of the seed pair in VRRPv3: priority 99, advert_int 1 s, hearing ha1 (100) every second until T0+5 s. */
    private static Instance backupHearingTheMaster() {
        Instance backup = started(config().version(3).authPass(null).intervalCs(100).priority(99).build());
        for (long t = 1; t <= 5; t++) {
            backup.step(from(MASTER, v3(100, 100)), T0 + t * S);
        }
        assertEquals(VrrpState.BACKUP, backup.state());
        return backup;
    }

    @Test
    void aLoneSpoofedLongIntervalAdvertDoesNotStretchTheTakeover() {
        Instance backup = backupHearingTheMaster();
        long spoofed = T0 + 5 * S + S / 2;
        backup.step(from(ROGUE, v3(255, LONGEST_CS)), spoofed);
        assertEquals(100, backup.masterAdverIntervalCs(), "the claim is not believed");
        // The master is gone too (it stepped down for the rogue, or died): the backup takes over one ordinary
        // Master_Down_Interval after the rogue's advert, not 3 x 40.95 s later.
        long takeover = spoofed + Timers.masterDownNanos(3, 99, 100);
        assertEquals(takeover, backup.nextDeadline());
        runUntil(backup, takeover);
        assertEquals(VrrpState.MASTER, backup.state());
        Ledger.record("hostile packet", "one VRRPv3 advert, priority 255, claiming a 40.95 s interval, then silence "
                + "(instance, fake clock)", 1, String.format(java.util.Locale.ROOT, "backup took over %.2f s after "
                + "it (keepalived and RFC 5798: %.1f s); the longer interval is believed only once adverts come "
                + "that far apart", Timers.masterDownNanos(3, 99, 100) / 1e9,
                Timers.masterDownNanos(3, 99, LONGEST_CS) / 1e9));
    }

    @Test
    void aRogueRepeatingTheClaimEverySecondIsStillNotBelieved() {
        Instance backup = backupHearingTheMaster();
        long last = 0;
        for (int i = 0; i < 10; i++) {
            last = T0 + 6 * S + i * S;
            backup.step(from(ROGUE, v3(255, LONGEST_CS)), last);
        }
        // believed as far as its adverts' spacing shows: 1 s and 10% jitter
        assertEquals(110, backup.masterAdverIntervalCs());
        assertEquals(last + Timers.masterDownNanos(3, 99, 110), backup.nextDeadline());
    }

    @Test
    void aMasterAskedToStepDownByTheRogueComesBackAfterAnOrdinaryInterval() {
        Instance master = started(config().version(3).authPass(null).intervalCs(100).priority(100).build());
        runUntil(master, T0 + 4 * S);
        assertEquals(VrrpState.MASTER, master.state());
        long spoofed = T0 + 5 * S;
        master.step(from(ROGUE, v3(255, LONGEST_CS)), spoofed);
        assertEquals(VrrpState.BACKUP, master.state(), "a priority-255 advert is obeyed (VRRP cannot tell)");
        assertEquals(spoofed + Timers.masterDownNanos(3, 100, 100), master.nextDeadline());
    }

    @Test
    void aGenuinelySlowMasterIsBelievedFromItsSecondAdvert() {
        Instance backup = started(config().version(3).authPass(null).intervalCs(100).priority(99).build());
        backup.step(from(MASTER, v3(100, 500)), T0 + S);
        assertEquals(100, backup.masterAdverIntervalCs(), "one advert is no evidence of its spacing");
        // Its second advert, 4.98 s later (timer jitter), before our down timer ran out (we heard it at 3.6 s
        // otherwise: see below): now believed.
        Instance patient = started(config().version(3).authPass(null).intervalCs(100).priority(99).build());
        patient.step(from(MASTER, v3(100, 300)), T0 + S);
        patient.step(from(MASTER, v3(100, 300)), T0 + S + 2_980_000_000L);
        assertEquals(300, patient.masterAdverIntervalCs());
        assertEquals(T0 + S + 2_980_000_000L + Timers.masterDownNanos(3, 99, 300), patient.nextDeadline());
        // With 5 s the first gap outlasts our own Master_Down_Interval: one takeover, then the second advert
        // (higher priority) sends us back, and from then on its interval is believed.
        runUntil(backup, T0 + S + Timers.masterDownNanos(3, 99, 100));
        assertEquals(VrrpState.MASTER, backup.state());
        backup.step(from(MASTER, v3(100, 500)), T0 + 6 * S);
        assertEquals(VrrpState.BACKUP, backup.state());
        assertEquals(500, backup.masterAdverIntervalCs());
        backup.step(from(MASTER, v3(100, 500)), T0 + 11 * S);
        assertEquals(T0 + 11 * S + Timers.masterDownNanos(3, 99, 500), backup.nextDeadline());
    }

    @Test
    void aShorterIntervalIsBelievedAtOnce() {
        Instance backup = backupHearingTheMaster();
        backup.step(from(MASTER, v3(100, 20)), T0 + 6 * S);
        assertEquals(20, backup.masterAdverIntervalCs());
        assertEquals(T0 + 6 * S + Timers.masterDownNanos(3, 99, 20), backup.nextDeadline());
    }
}
