package io.nginxha.agent.net;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link LinkMonitor} in a namespace of our own (needs root): the kernel's events for a veth set down and up. */
class LinkMonitorIT {
    private Netns netns;
    private LinkMonitor monitor;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @BeforeEach
    void namespaces() throws Exception {
        netns = new Netns("l");
        monitor = LinkMonitor.open(groups -> Netns.inside(netns.a, () -> NetlinkSocket.open(groups)));
        monitor.listen((iface, up) -> events.add(iface + (up ? " up" : " down")));
    }

    @AfterEach
    void cleanUp() {
        monitor.close();
        netns.close();
    }

    /**
     * Waits for {@code expected}, skipping the transient states a link passes through (the kernel's linkwatch
     * reports operstate changes up to a second late, sometimes after an intermediate state).
     */
    private void await(String expected) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        StringBuilder seen = new StringBuilder();
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            String e = events.poll(left, TimeUnit.NANOSECONDS);
            if (expected.equals(e)) {
                return;
            }
            seen.append(e).append("; ");
        }
        throw new AssertionError("no '" + expected + "' within 10 s, saw: " + seen);
    }

    @Test
    void initialStatesComeFromTheDump() throws Exception {
        if (!monitor.isUp(netns.ifA)) {
            await(netns.ifA + " up"); // the veth was set up just before: its operstate may follow late
        }
        assertTrue(monitor.isUp(netns.ifA));
        assertTrue(monitor.isUp("lo"), "loopback reports operstate unknown");
        assertFalse(monitor.isUp(netns.ifB), "the peer is in the other namespace");
    }

    @Test
    void downUpCarrierLossAndDeletionAreEvents() throws Exception {
        Netns.run("ip", "-n", netns.a, "link", "set", netns.ifA, "down");
        await(netns.ifA + " down");
        assertFalse(monitor.isUp(netns.ifA));
        Netns.run("ip", "-n", netns.a, "link", "set", netns.ifA, "up");
        await(netns.ifA + " up");
        assertTrue(monitor.isUp(netns.ifA));

        Netns.run("ip", "-n", netns.b, "link", "set", netns.ifB, "down"); // takes our carrier
        await(netns.ifA + " down");
        assertFalse(monitor.isUp(netns.ifA));
        Netns.run("ip", "-n", netns.b, "link", "set", netns.ifB, "up");
        await(netns.ifA + " up");

        Netns.run("ip", "-n", netns.a, "link", "del", netns.ifA);
        await(netns.ifA + " down");
        assertFalse(monitor.isUp(netns.ifA), "a deleted interface is down");
    }

    @Test
    void closeEndsTheThread() throws Exception {
        monitor.close();
        for (int i = 0; i < 100 && monitor.running(); i++) {
            Thread.sleep(50);
        }
        assertFalse(monitor.running());
    }
}
