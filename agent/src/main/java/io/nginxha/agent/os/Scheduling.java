package io.nginxha.agent.os;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The kernel's scheduling of the agent's threads: SCHED_RR, CPU affinity, RLIMIT_RTTIME and the loop's timer slack,
 * through libc over JNA (which pcap4j brings). keepalived sets these on its single-threaded VRRP process; a JVM has
 * many threads, so they are set per thread, on those the adverts depend on: the loop (the caller), the capture
 * threads and the VM thread that every other thread waits for at a safepoint (a GC). Not the trackers, the notifier
 * or the compiler: a busy check must never outrank the adverts.
 *
 * <p>Why a native call and not {@code chrt} in the launcher: chrt would make every thread of the JVM real-time
 * (compiler, GC workers, check threads and the scripts they fork), and with {@code --reset-on-fork} none but the
 * launcher's thread (the JVM's threads are clones, reset too). SCHED_RESET_ON_FORK is set here as well, so
 * a thread or process made by an RT thread starts ordinary.
 *
 * <p>Every call reports its failure (no CAP_SYS_NICE, a CPU not online) as a problem string for the caller to log;
 * the agent runs on, with the ordinary scheduler.
 */
public final class Scheduling {
    static final int SCHED_RR = 2;
    static final int SCHED_RESET_ON_FORK = 0x40000000;
    static final int RLIMIT_RTTIME = 15;
    static final int PR_SET_TIMERSLACK = 29;

    /** The libc functions used; tests give a fake. */
    public interface LibC extends Library {
        int sched_setscheduler(int pid, int policy, int[] param);

        int sched_setaffinity(int pid, long cpusetsize, long[] mask);

        int setrlimit(int resource, long[] rlim);

        int prctl(int option, long arg2, long arg3, long arg4, long arg5);
    }

    private final LibC libc;
    private final Path proc;

    public Scheduling(LibC libc, Path proc) {
        this.libc = libc;
        this.proc = proc;
    }

    /** The real one, or null (the problem logged by the caller) when libc cannot be bound. */
    public static Scheduling system() {
        return new Scheduling(Native.load("c", LibC.class), Path.of("/proc"));
    }

    /** The threads real-time scheduling is for, by their name in /proc (a name is cut to 15 characters there). */
    public static final Predicate<String> VRRP_THREADS = name -> name.startsWith("pcap-") || name.equals("VM Thread");

    /**
     * Applies {@code rtPriority} (0: none), {@code cpus} (empty: all) and {@code rlimitRttimeUs} (0: unchanged) to
     * the calling thread, the threads of this process that {@code rtThreads} names, and, for the CPUs, every thread of
     * the process (affinity is the process's, as keepalived's). Also takes the calling thread's timer slack down to
     * 1 ns, so its deadlines fire when due rather than up to 50 us late. Returns what could not be applied.
     */
    public List<String> apply(int rtPriority, List<Integer> cpus, long rlimitRttimeUs, Predicate<String> rtThreads) {
        List<String> problems = new ArrayList<>();
        if (libc.prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0) != 0) {
            problems.add("the loop's timer slack stays at the default: prctl(PR_SET_TIMERSLACK): " + error());
        }
        List<Task> tasks = tasks(problems);
        long self = selfTid(problems);
        if (rlimitRttimeUs > 0 && libc.setrlimit(RLIMIT_RTTIME, new long[] {rlimitRttimeUs, rlimitRttimeUs}) != 0) {
            problems.add("vrrp_rlimit_rttime " + rlimitRttimeUs + " not applied: setrlimit(RLIMIT_RTTIME): " + error());
        }
        if (rtPriority > 0) {
            for (Task t : tasks) {
                if (t.tid() == self || rtThreads.test(t.name())) {
                    if (libc.sched_setscheduler(t.tid(), SCHED_RR | SCHED_RESET_ON_FORK, new int[] {rtPriority}) != 0) {
                        problems.add("vrrp_rt_priority " + rtPriority + " not applied to thread '" + t.name() + "': "
                                + "sched_setscheduler(SCHED_RR): " + error() + " (needs CAP_SYS_NICE, or an RLIMIT_RTPRIO"
                                + " of at least " + rtPriority + ")");
                    }
                }
            }
        }
        if (!cpus.isEmpty()) {
            long[] mask = mask(cpus);
            for (Task t : tasks) {
                if (libc.sched_setaffinity(t.tid(), mask.length * 8L, mask) != 0) {
                    problems.add("vrrp_cpu_affinity " + cpus + " not applied to thread '" + t.name() + "': "
                            + "sched_setaffinity: " + error());
                    break; // the same reason for every thread
                }
            }
        }
        return problems;
    }

    /** A cpu_set_t for {@code cpus}: 1024 bits, as glibc's. */
    static long[] mask(List<Integer> cpus) {
        long[] mask = new long[16];
        for (int cpu : cpus) {
            mask[cpu / 64] |= 1L << (cpu % 64);
        }
        return mask;
    }

    record Task(int tid, String name) { }

    private List<Task> tasks(List<String> problems) {
        List<Task> out = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(proc.resolve("self").resolve("task"))) {
            for (Path task : dir) {
                try {
                    String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
                    out.add(new Task(Integer.parseInt(task.getFileName().toString()), name));
                } catch (IOException | NumberFormatException e) {
                    // a thread that ended meanwhile
                }
            }
        } catch (IOException e) {
            problems.add("cannot list the agent's threads: " + e.getMessage());
        }
        return out;
    }

    /** The calling thread's id: /proc/thread-self links to PID/task/TID. */
    private long selfTid(List<String> problems) {
        try {
            Path link = Files.readSymbolicLink(proc.resolve("thread-self"));
            return Long.parseLong(link.getFileName().toString());
        } catch (IOException | NumberFormatException | UnsupportedOperationException e) {
            problems.add("cannot tell the loop's thread id: " + e.getMessage());
            return -1;
        }
    }

    private static String error() {
        int errno = Native.getLastError();
        return switch (errno) {
            case 1 -> "EPERM, operation not permitted";
            case 22 -> "EINVAL, invalid argument";
            case 3 -> "ESRCH, no such thread";
            default -> "errno " + errno;
        };
    }
}
