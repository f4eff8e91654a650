package io.nginxha.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** keepalived 2.2.7's quorum and delays of vrrp_track_process, on a fake clock (nanos passed in). */
class ProcessQuorumTest {
    private static final long S = 1_000_000_000L;

    @Test
    void theFirstCountDecidesAtOnce() {
        ProcessQuorum q = new ProcessQuorum(1, Integer.MAX_VALUE, S, S);
        assertFalse(q.held());
        assertEquals(Boolean.FALSE, q.observe(0, false, 0), "no process at start: lost, without waiting");
        ProcessQuorum up = new ProcessQuorum(1, Integer.MAX_VALUE, S, S);
        assertEquals(Boolean.TRUE, up.observe(3, false, 0));
        assertTrue(up.held());
    }

    @Test
    void withoutDelaysEveryCrossingCountsAtOnce() {
        ProcessQuorum q = new ProcessQuorum(2, 3, 0, 0);
        q.observe(2, false, 0);
        assertNull(q.observe(3, false, 1), "still within 2..3");
        assertEquals(Boolean.FALSE, q.observe(4, true, 2), "above quorum_max, even by a fork: no fork_delay");
        assertEquals(Boolean.TRUE, q.observe(3, false, 3));
        assertEquals(Boolean.FALSE, q.observe(1, false, 4));
        assertEquals(Long.MAX_VALUE, q.deadline());
    }

    @Test
    void terminateDelayHoldsTheQuorumUntilItRunsOut() {
        ProcessQuorum q = new ProcessQuorum(1, Integer.MAX_VALUE, 0, 2 * S);
        q.observe(1, false, 0);
        assertNull(q.observe(0, false, 10 * S), "the process ended: wait terminate_delay");
        assertEquals(12 * S, q.deadline());
        assertNull(q.observe(0, false, 11 * S), "the same count again, polled: still waiting");
        assertTrue(q.held());
        assertNull(q.tick(12 * S - 1));
        assertEquals(Boolean.FALSE, q.tick(12 * S), "still none after the delay: lost");
        assertEquals(Long.MAX_VALUE, q.deadline());
    }

    @Test
    void aRestartWithinTheTerminateDelayIsNoChangeAtAll() {
        ProcessQuorum q = new ProcessQuorum(1, Integer.MAX_VALUE, 0, 2 * S);
        q.observe(1, false, 0);
        assertNull(q.observe(0, false, S));
        assertNull(q.observe(1, false, 2 * S), "back (a reload restarted it): as if nothing happened");
        assertEquals(Long.MAX_VALUE, q.deadline());
        assertNull(q.tick(10 * S));
        assertTrue(q.held());
    }

    @Test
    void aQuorumGainedByForksWaitsForkDelayOneGainedOtherwiseDoesNot() {
        ProcessQuorum q = new ProcessQuorum(2, Integer.MAX_VALUE, S, 0);
        q.observe(1, false, 0);
        assertNull(q.observe(2, true, S), "a matching process forked: wait fork_delay");
        assertEquals(2 * S, q.deadline());
        assertEquals(Boolean.TRUE, q.tick(2 * S));
        ProcessQuorum exec = new ProcessQuorum(2, Integer.MAX_VALUE, S, 0);
        exec.observe(1, false, 0);
        assertEquals(Boolean.TRUE, exec.observe(2, false, S), "a process started afresh: at once");
    }

    @Test
    void aForkAboveQuorumMaxThatEndsWithinForkDelayChangesNothing() {
        // quorum_max 1 with fork_delay: the short-lived child of a fork/exec does not bounce the instance
        ProcessQuorum q = new ProcessQuorum(1, 1, S / 2, 0);
        q.observe(1, false, 0);
        assertNull(q.observe(2, true, S));
        assertNull(q.observe(1, false, S + S / 4), "the child is gone: the timer is cancelled");
        assertNull(q.tick(3 * S));
        assertTrue(q.held());
    }

    @Test
    void quorumMaxZeroMeansUpWhileNoneRuns() {
        ProcessQuorum q = new ProcessQuorum(0, 0, 0, 0);
        assertEquals(Boolean.TRUE, q.observe(0, false, 0));
        assertEquals(Boolean.FALSE, q.observe(1, false, 1));
        assertEquals(Boolean.TRUE, q.observe(0, false, 2));
    }

    @Test
    void theDelayEndsOnTheCountOfThenNotOfWhenItStarted() {
        // keepalived's timer thread recomputes from num_cur_proc when it fires
        ProcessQuorum q = new ProcessQuorum(2, Integer.MAX_VALUE, 0, S);
        q.observe(3, false, 0);
        assertNull(q.observe(1, false, S));
        assertNull(q.observe(0, false, S + 1), "the timer already runs; it is not restarted");
        assertEquals(2 * S, q.deadline());
        assertEquals(Boolean.FALSE, q.tick(2 * S));
        assertEquals(0, q.count());
    }
}
