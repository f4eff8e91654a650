package io.nginxha.agent.status;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.reliability.Ledger;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The status endpoint shows the cluster's state and counters: only local users may read it. The bound address is
 * checked rather than tried from another address, so the test sends nothing beyond loopback.
 */
class StatusBindTest {
    @Test
    void listensOnLoopbackOnly() throws Exception {
        AgentStatus empty = new AgentStatus("ha1", 0, List.of(), Map.of(), Map.of());
        try (StatusServer server = StatusServer.start(0, () -> CompletableFuture.completedFuture(empty),
                CheckReporter.NONE)) {
            InetAddress bound = server.address().getAddress();
            assertTrue(bound.isLoopbackAddress() && !bound.isAnyLocalAddress(), server.address().toString());
            try (Socket local = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                assertTrue(local.isConnected());
            }
        }
        Ledger.record("hardening", "status endpoint bind address (/status, /metrics)", 1,
                "127.0.0.1 only, never the wildcard; no setting exposes it");
    }
}
