package io.nginxha.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real frames between two namespaces over a veth pair (needs root and the packaged jar). pcap handles belong
 * to the namespace of the process that opens them, so each side is a child JVM started with
 * {@code ip netns exec}: the simplest way that needs no namespace switching inside the JVM.
 */
class PcapTransportIT {
    private Netns netns;
    private final List<Process> children = new ArrayList<>();

    @BeforeEach
    void namespaces() throws Exception {
        netns = new Netns("p");
    }

    @AfterEach
    void cleanUp() {
        children.forEach(Process::destroyForcibly);
        netns.close();
    }

    private static String classpath() throws Exception {
        String jar = System.getProperty("agent.jar", "target/vrrp-agent.jar");
        Path tests = Path.of(TransportProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return tests + ":" + jar;
    }

    private Process probe(String ns, String... args) throws Exception {
        return probe(false, ns, args);
    }

    private Process probe(boolean liveness, String ns, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath(), TransportProbe.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (liveness) {
            pb.environment().put("PROBE_LIVENESS", "1");
        }
        Process p = pb.start();
        children.add(p);
        return p;
    }

    private static BlockingQueue<String> lines(Process p) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the child ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static List<String> received(BlockingQueue<String> lines, int wanted) throws InterruptedException {
        List<String> got = new ArrayList<>();
        // A generous bound against a hang, not a performance assertion: the count is what is checked.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (got.size() < wanted && System.nanoTime() < until) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith("RECV")) {
                got.add(line);
            }
        }
        return got;
    }

    private static void awaitReady(BlockingQueue<String> lines) throws InterruptedException {
        String first = lines.poll(60, TimeUnit.SECONDS);
        assertEquals("READY", first);
    }

    private void runSender(String... args) throws Exception {
        Process sender = probe(netns.a, args);
        BlockingQueue<String> out = lines(sender);
        assertTrue(sender.waitFor(60, TimeUnit.SECONDS), "sender finished");
        assertEquals(0, sender.exitValue());
        assertEquals("SENT " + args[3], out.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void multicastAdvertsArriveWithTtl255AndOwnSendsAreNotSeen() throws Exception {
        Process listener = probe(netns.b, netns.ifB, "-", "listen", "99");
        BlockingQueue<String> lines = lines(listener);
        awaitReady(lines);

        runSender(netns.ifA, "-", "send", "3", "66", "100", "224.0.0.18");

        List<String> got = received(lines, 3);
        assertEquals(List.of("RECV 10.77.0.1 224.0.0.18 ttl=255 vrid=66 prio=100",
                "RECV 10.77.0.1 224.0.0.18 ttl=255 vrid=66 prio=100",
                "RECV 10.77.0.1 224.0.0.18 ttl=255 vrid=66 prio=100"), got);
        listener.getOutputStream().close();
        assertTrue(listener.waitFor(30, TimeUnit.SECONDS));
        List<String> rest = new ArrayList<>();
        lines.drainTo(rest);
        assertTrue(rest.stream().noneMatch(l -> l.contains("vrid=99")), "own advert looped back: " + rest);
    }

    @Test
    void unicastAdvertsReachThePeerAfterArpResolution() throws Exception {
        Process listener = probe(netns.b, netns.ifB, "10.77.0.1", "listen");
        BlockingQueue<String> lines = lines(listener);
        awaitReady(lines);

        runSender(netns.ifA, "10.77.0.2", "send", "2", "66", "100", "10.77.0.2");

        assertEquals(List.of("RECV 10.77.0.1 10.77.0.2 ttl=255 vrid=66 prio=100",
                "RECV 10.77.0.1 10.77.0.2 ttl=255 vrid=66 prio=100"), received(lines, 2));
    }

    private void recreateVethPair() throws Exception {
        run("ip", "-n", netns.a, "link", "del", netns.ifA); // takes its peer in the other namespace with it
        Thread.sleep(1500);
        run("ip", "-n", netns.a, "link", "add", netns.ifA, "type", "veth", "peer", "name", netns.ifB, "netns",
                netns.b);
        run("ip", "-n", netns.a, "addr", "add", "10.77.0.1/24", "dev", netns.ifA);
        run("ip", "-n", netns.b, "addr", "add", "10.77.0.2/24", "dev", netns.ifB);
        run("ip", "-n", netns.a, "link", "set", netns.ifA, "up");
        run("ip", "-n", netns.b, "link", "set", netns.ifB, "up");
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
    }

    /** The capture of an interface deleted and made again (VLAN, bond, veth) is opened again and hears again. */
    @Test
    void anInterfaceDeletedAndMadeAgainIsCapturedAgain() throws Exception {
        Process listener = probe(true, netns.b, netns.ifB, "-", "listen");
        BlockingQueue<String> lines = lines(listener);
        assertEquals("LIVE", lines.poll(60, TimeUnit.SECONDS));
        awaitReady(lines);
        runSender(netns.ifA, "-", "send", "2", "66", "100", "224.0.0.18");
        assertEquals(2, received(lines, 2).size());
        recreateVethPair();
        // The reopened capture hears the next adverts; before, the old handle failed forever.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String after = null;
        while (after == null && System.nanoTime() < until) {
            runSender(netns.ifA, "-", "send", "2", "66", "100", "224.0.0.18");
            for (long t = System.nanoTime() + TimeUnit.SECONDS.toNanos(2); after == null && System.nanoTime() < t; ) {
                String line = lines.poll(200, TimeUnit.MILLISECONDS);
                after = line != null && line.startsWith("RECV") ? line : null;
            }
        }
        assertEquals("RECV 10.77.0.1 224.0.0.18 ttl=255 vrid=66 prio=100", String.valueOf(after));
        Thread.sleep(PcapTransport.MAX_TROUBLE_MS + 1000);
        List<String> rest = new ArrayList<>();
        lines.drainTo(rest);
        assertTrue(rest.stream().noneMatch(l -> l.startsWith("STALLED")), "no stall once reopened: " + rest);
        io.nginxha.agent.reliability.Ledger.record("hardening", "capture interface deleted and made again "
                + "(veth pair)", 1, "capture reopened, adverts heard again");
    }

    /** An interface that stays gone makes the capture's liveness fail, which stops the agent's watchdog feed. */
    @Test
    void anInterfaceThatStaysGoneStallsTheAgentsLiveness() throws Exception {
        Process listener = probe(true, netns.b, netns.ifB, "-", "listen");
        BlockingQueue<String> lines = lines(listener);
        assertEquals("LIVE", lines.poll(60, TimeUnit.SECONDS));
        awaitReady(lines);
        run("ip", "-n", netns.a, "link", "del", netns.ifA);
        String stalled = null;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (stalled == null && System.nanoTime() < until) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith("STALLED")) {
                stalled = line;
            }
        }
        assertTrue(stalled != null && stalled.startsWith("STALLED capture on vb0 (IPv4): failing for "),
                String.valueOf(stalled));
        io.nginxha.agent.reliability.Ledger.record("hardening", "capture interface deleted for good", 1,
                "liveness failed after 6 s of capture errors, so the watchdog stops being fed");
    }
}
