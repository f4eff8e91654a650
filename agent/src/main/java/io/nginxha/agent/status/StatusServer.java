package io.nginxha.agent.status;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status endpoint on 127.0.0.1: {@code /status} (JSON), {@code /status/table} (what {@code vrrp-agent status}
 * prints) and {@code /metrics}. Each request asks the agent's loop for a fresh copy of its state, so what is shown
 * is never half-updated.
 *
 * <p>A plain blocking socket served by one daemon thread, one request per connection, rather than the JDK's
 * HttpServer: that one's dispatcher wakes every second and its idle timer every ten, which was a fifth of an idle
 * agent's CPU; a thread blocked in accept costs nothing until a scraper or an operator asks.
 */
public final class StatusServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusServer.class);
    /** A client gets this long to send its request; the endpoint serves one at a time. */
    private static final int READ_TIMEOUT_MS = 2000;
    private static final int MAX_HEADER_LINES = 100;
    private static final String TEXT = "text/plain; charset=utf-8";

    private record Page(String type, Function<AgentStatus, String> render) { }

    private static final Map<String, Page> PAGES = Map.of(
            "/status", new Page("application/json", StatusJson::render),
            "/status/table", new Page(TEXT, StatusTable::render),
            "/metrics", new Page("text/plain; version=0.0.4; charset=utf-8", Metrics::render));

    private final ServerSocket socket;
    private final Supplier<CompletableFuture<AgentStatus>> snapshots;
    private final CheckReporter checks;

    private StatusServer(ServerSocket socket, Supplier<CompletableFuture<AgentStatus>> snapshots,
                         CheckReporter checks) {
        this.socket = socket;
        this.snapshots = snapshots;
        this.checks = checks;
    }

    /** Listens on 127.0.0.1:{@code port} (0 in tests: any free port, see {@link #port()}). */
    public static StatusServer start(int port, Supplier<CompletableFuture<AgentStatus>> snapshots,
                                     CheckReporter checks) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
        StatusServer s = new StatusServer(socket, snapshots, checks);
        Thread t = new Thread(s::acceptLoop, "status-http");
        t.setDaemon(true);
        t.start();
        return s;
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Where it listens: always a loopback address (there is no setting to expose it). */
    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                client.setSoTimeout(READ_TIMEOUT_MS);
                serve(client);
            } catch (SocketException e) {
                if (!socket.isClosed()) {
                    log.warn("status request failed: {}", e.toString());
                }
            } catch (IOException | RuntimeException e) {
                log.warn("status request failed: {}", e.toString());
            }
        }
    }

    private void serve(Socket client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                StandardCharsets.ISO_8859_1));
        String requestLine = in.readLine();
        if (requestLine == null) {
            return;
        }
        // The headers are read (and ignored) so that the client is not reset while still sending them.
        String header = in.readLine();
        for (int n = 0; header != null && !header.isEmpty() && n < MAX_HEADER_LINES; n++) {
            header = in.readLine();
        }
        String[] parts = requestLine.split(" ");
        String path = parts.length == 3 ? parts[1] : "";
        int query = path.indexOf('?');
        Page page = PAGES.get(query < 0 ? path : path.substring(0, query));
        OutputStream out = client.getOutputStream();
        if (!parts[0].equals("GET") || page == null) {
            reply(out, 404, "Not Found", TEXT, "not found\n");
            return;
        }
        AgentStatus status;
        try {
            status = snapshots.get().get(2, TimeUnit.SECONDS).withChecks(checks.results());
        } catch (TimeoutException | ExecutionException e) {
            reply(out, 503, "Service Unavailable", TEXT, "the agent's loop did not answer: " + e + "\n");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        reply(out, 200, "OK", page.type(), page.render().apply(status));
    }

    private static void reply(OutputStream out, int code, String reason, String type, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + code + " " + reason + "\r\nContent-Type: " + type + "\r\nContent-Length: "
                + bytes.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("closing the status socket: {}", e.toString());
        }
    }
}
