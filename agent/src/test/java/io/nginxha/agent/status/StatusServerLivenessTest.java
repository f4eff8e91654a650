package io.nginxha.agent.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.os.Liveness;
import io.nginxha.agent.os.Stalls;
import io.nginxha.agent.reliability.Ledger;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The status endpoint's threads are part of the agent's liveness: a worker stuck in a request or dead in one. */
class StatusServerLivenessTest {
    private static final AgentStatus EMPTY = new AgentStatus("ha1", 0, List.of(), Map.of(), Map.of());
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Liveness liveness = new Liveness(now::get);

    private static Socket get(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        OutputStream out = s.getOutputStream();
        out.write("GET /status HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    private Optional<String> awaitStall() throws InterruptedException {
        return Stalls.await(liveness, Duration.ofSeconds(5));
    }

    @Test
    void aWorkerStuckInOneRequestStopsTheWatchdogAfterItsBound() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CheckReporter stuck = () -> { // the worker blocks where no deadline frees it
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Map.of();
        };
        StatusServer server = StatusServer.start(0, () -> CompletableFuture.completedFuture(EMPTY), stuck, liveness);
        try (Socket s = get(server.port())) {
            assertTrue(inside.await(5, TimeUnit.SECONDS));
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(StatusServer.MAX_REQUEST_MS));
            assertEquals(Optional.empty(), liveness.stalled(), "within its bound");
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
            assertEquals(Optional.of("status worker: failing for 30001 ms: one request still being served"),
                    liveness.stalled());
            release.countDown();
            s.getInputStream().readAllBytes();
        } finally {
            server.close();
        }
        assertEquals(Optional.empty(), liveness.stalled(), "closed: no longer watched");
        Ledger.record("hardening", "a status endpoint worker stuck in one request", 1,
                "the watchdog stops being fed after 30 s");
    }

    @Test
    void aWorkerKilledByAnErrorStopsTheWatchdog() throws Exception {
        CheckReporter dying = () -> {
            throw new OutOfMemoryError("simulated");
        };
        StatusServer server = StatusServer.start(0, () -> CompletableFuture.completedFuture(EMPTY), dying, liveness);
        try (Socket s = get(server.port())) {
            assertEquals(Optional.of("status worker: its thread has died"), awaitStall());
        } finally {
            server.close();
        }
        Ledger.record("hardening", "a status endpoint worker killed by an Error", 1, "the watchdog stops being fed");
    }

    @Test
    void anIdleEndpointIsAlive() throws Exception {
        StatusServer server = StatusServer.start(0, () -> CompletableFuture.completedFuture(EMPTY),
                CheckReporter.NONE, liveness);
        try (Socket s = get(server.port())) {
            s.getInputStream().readAllBytes();
            now.addAndGet(TimeUnit.HOURS.toNanos(1)); // blocked in accept and idle workers: silence is fine
            for (int i = 0; i < 200 && liveness.stalled().isPresent(); i++) {
                Thread.sleep(25); // the worker marks the request done just after the client saw it closed
            }
            assertEquals(Optional.empty(), liveness.stalled());
        } finally {
            server.close();
        }
    }
}
