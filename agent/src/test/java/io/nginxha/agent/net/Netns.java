package io.nginxha.agent.net;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces joined by a veth pair, named with a per-run prefix so parallel runs never collide.
 * Code under test runs inside a namespace either through {@code ip netns exec NS ...} (a child JVM for pcap) or,
 * for sockets (which belong to the namespace they are made in), on a thread of ours moved there with setns.
 */
final class Netns implements AutoCloseable {
    final String a;
    final String b;
    final String ifA = "va0";
    final String ifB = "vb0";

    Netns(String tag) throws IOException {
        String prefix = "e" + ProcessHandle.current().pid() + tag;
        a = prefix + "-a";
        b = prefix + "-b";
        run("ip", "netns", "add", a);
        run("ip", "netns", "add", b);
        run("ip", "-n", a, "link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", b);
        run("ip", "-n", a, "addr", "add", "10.77.0.1/24", "dev", ifA);
        run("ip", "-n", b, "addr", "add", "10.77.0.2/24", "dev", ifB);
        run("ip", "-n", a, "link", "set", ifA, "up");
        run("ip", "-n", b, "link", "set", ifB, "up");
        run("ip", "-n", a, "link", "set", "lo", "up");
        run("ip", "-n", b, "link", "set", "lo", "up");
    }

    /** A command line that runs {@code command} inside namespace {@code ns}. */
    static List<String> in(String ns, String... command) {
        List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        line.addAll(List.of(command));
        return line;
    }

    /** The calls to move one thread into a network namespace. */
    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int open(String path, int flags) throws LastErrorException;

        int setns(int fd, int nstype) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    /**
     * Runs {@code work} on a new thread that first enters namespace {@code ns} (setns changes only the calling
     * thread's network namespace); sockets it opens stay in {@code ns} whichever thread uses them later.
     */
    static <T> T inside(String ns, Callable<T> work) throws IOException {
        FutureTask<T> task = new FutureTask<>(() -> {
            int fd = LibC.INSTANCE.open("/run/netns/" + ns, 0x80000); // O_RDONLY | O_CLOEXEC
            try {
                LibC.INSTANCE.setns(fd, 0x40000000); // CLONE_NEWNET
            } finally {
                LibC.INSTANCE.close(fd);
            }
            return work.call();
        });
        new Thread(task, "in-" + ns).start();
        try {
            return task.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException x ? x : new IOException("in namespace " + ns, e.getCause());
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new IOException("in namespace " + ns, e);
        }
    }

    static String run(String... command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        for (String ns : List.of(a, b)) {
            try {
                run("ip", "netns", "del", ns);
            } catch (IOException e) {
                // already gone
            }
        }
    }
}
