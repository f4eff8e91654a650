package io.nginxha.agent.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status endpoint on 127.0.0.1: {@code /status} (JSON), {@code /status/table} (what {@code vrrp-agent status}
 * prints) and {@code /metrics}. Each request asks the agent's loop for a fresh copy of its state, so what is shown
 * is never half-updated; one daemon thread serves them, which is plenty for a scraper and an operator.
 */
public final class StatusServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusServer.class);
    private final HttpServer server;
    private final Supplier<CompletableFuture<AgentStatus>> snapshots;
    private final CheckReporter checks;

    private StatusServer(HttpServer server, Supplier<CompletableFuture<AgentStatus>> snapshots, CheckReporter checks) {
        this.server = server;
        this.snapshots = snapshots;
        this.checks = checks;
    }

    /** Listens on 127.0.0.1:{@code port} (0 in tests: any free port, see {@link #port()}). */
    public static StatusServer start(int port, Supplier<CompletableFuture<AgentStatus>> snapshots,
                                     CheckReporter checks) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
        StatusServer s = new StatusServer(http, snapshots, checks);
        http.createContext("/status/table", x -> s.serve(x, "text/plain; charset=utf-8", StatusTable::render));
        http.createContext("/status", x -> s.serve(x, "application/json", StatusJson::render));
        http.createContext("/metrics", x -> s.serve(x, "text/plain; version=0.0.4; charset=utf-8", Metrics::render));
        http.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "status-http");
            t.setDaemon(true);
            return t;
        }));
        http.start();
        return s;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Where it listens: always a loopback address (there is no setting to expose it). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void serve(HttpExchange x, String type, Function<AgentStatus, String> render) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            if (!x.getRequestMethod().equals("GET") || !path.equals(x.getHttpContext().getPath())) {
                reply(x, 404, "text/plain", "not found\n");
                return;
            }
            AgentStatus status;
            try {
                status = snapshots.get().get(2, TimeUnit.SECONDS).withChecks(checks.results());
            } catch (TimeoutException | ExecutionException e) {
                reply(x, 503, "text/plain", "the agent's loop did not answer: " + e + "\n");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            reply(x, 200, type, render.apply(status));
        } catch (RuntimeException e) {
            log.warn("status request failed: {}", e.toString());
        }
    }

    private static void reply(HttpExchange x, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
