package io.nginxha.agent.os;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which threads get which call, against a fake /proc (self/task/TID/comm, thread-self) and a recording libc. */
class SchedulingTest {
    @TempDir
    Path proc;

    private final List<String> calls = new ArrayList<>();
    private int failSched = -1;

    private final Scheduling.LibC libc = new Scheduling.LibC() {
        @Override public int sched_setscheduler(int pid, int policy, int[] param) {
            calls.add("rr " + pid + " policy " + Integer.toHexString(policy) + " prio " + param[0]);
            return pid == failSched ? -1 : 0;
        }
        @Override public int sched_setaffinity(int pid, long size, long[] mask) {
            calls.add("affinity " + pid + " size " + size + " mask " + Long.toBinaryString(mask[0]));
            return 0;
        }
        @Override public int setrlimit(int resource, long[] rlim) {
            calls.add("rlimit " + resource + " " + rlim[0] + "/" + rlim[1]);
            return 0;
        }
        @Override public int prctl(int option, long a2, long a3, long a4, long a5) {
            calls.add("prctl " + option + " " + a2);
            return 0;
        }
    };

    private void thread(int tid, String name) throws IOException {
        Path t = Files.createDirectories(proc.resolve("self/task/" + tid));
        Files.writeString(t.resolve("comm"), name + "\n");
    }

    private void setUp() throws IOException {
        thread(100, "java");
        thread(101, "main");
        thread(102, "VM Thread");
        thread(103, "C1 CompilerThre");
        thread(104, "pcap-eth0");
        thread(105, "nginx-nginx");
        Files.createSymbolicLink(proc.resolve("thread-self"), Path.of("100/task/101"));
    }

    @Test
    void rtPriorityGoesToTheLoopTheCapturesAndTheVmThreadOnly() throws IOException {
        setUp();
        List<String> problems = new Scheduling(libc, proc).apply(50, List.of(), 0, Scheduling.VRRP_THREADS);
        assertEquals(List.of(), problems);
        List<String> rr = calls.stream().filter(c -> c.startsWith("rr")).sorted().toList();
        assertEquals(List.of("rr 101 policy 40000002 prio 50", "rr 102 policy 40000002 prio 50",
                "rr 104 policy 40000002 prio 50"), rr, "SCHED_RR | SCHED_RESET_ON_FORK; never the tracker: " + calls);
        assertTrue(calls.contains("prctl 29 1"), "the loop's timer slack: " + calls);
        assertTrue(calls.stream().noneMatch(c -> c.startsWith("affinity") || c.startsWith("rlimit")), calls.toString());
    }

    @Test
    void affinityGoesToEveryThreadAndTheRtLimitToTheProcess() throws IOException {
        setUp();
        List<String> problems = new Scheduling(libc, proc).apply(0, List.of(1, 3), 20000, Scheduling.VRRP_THREADS);
        assertEquals(List.of(), problems);
        assertEquals(6, calls.stream().filter(c -> c.startsWith("affinity") && c.endsWith("size 128 mask 1010")).count(),
                calls.toString());
        assertTrue(calls.contains("rlimit 15 20000/20000"), calls.toString());
        assertTrue(calls.stream().noneMatch(c -> c.startsWith("rr")), "no priority asked: " + calls);
    }

    @Test
    void aRefusedCallIsAProblemNamingTheThreadAndTheOthersStillGetIt() throws IOException {
        setUp();
        failSched = 102;
        List<String> problems = new Scheduling(libc, proc).apply(10, List.of(), 0, Scheduling.VRRP_THREADS);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("vrrp_rt_priority 10 not applied to thread 'VM Thread'"), problems.get(0));
        assertEquals(3, calls.stream().filter(c -> c.startsWith("rr")).count());
    }

    @Test
    void theMaskIsGlibcsCpuSet() {
        long[] m = Scheduling.mask(List.of(0, 63, 64, 1023));
        assertEquals(16, m.length);
        assertEquals(1L | (1L << 63), m[0]);
        assertEquals(1L, m[1]);
        assertEquals(1L << 63, m[15]);
        assertArrayEquals(new long[16], Scheduling.mask(List.of()));
    }
}
