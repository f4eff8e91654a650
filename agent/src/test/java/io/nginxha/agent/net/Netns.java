package io.nginxha.agent.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces joined by a veth pair, named with a per-run prefix so parallel runs never collide.
 * Code under test runs inside a namespace either through {@code ip netns exec NS ...} (the ip command of
 * {@link IpCommandVipManager}, or a child JVM for pcap, whose sockets belong to the namespace they are made in).
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
