package io.nginxha.agent.status;

import io.nginxha.agent.os.Liveness;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
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
 * <p>A plain blocking socket, one request per connection, rather than the JDK's HttpServer: that one's dispatcher
 * wakes every second and its idle timer every ten, which was a fifth of an idle agent's CPU; a thread blocked in
 * accept costs nothing until a scraper or an operator asks. A few workers serve the connections, so one slow
 * client cannot hold up the others; each gets {@value #REQUEST_DEADLINE_MS} ms in all to send a request head of at
 * most {@value #MAX_HEAD_BYTES} bytes, and connections beyond what the workers and their queue hold are answered
 * 503 at once. A local client can therefore neither hang {@code /metrics} nor run the agent out of memory.
 */
public final class StatusServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusServer.class);
    /** A client gets this long, in all, to send its request line and headers. */
    static final int REQUEST_DEADLINE_MS = 2000;
    /** The request line and headers together; a scraper's are a few hundred bytes. */
    static final int MAX_HEAD_BYTES = 8192;
    /** Connections served at once, and waiting beyond those; more are refused with 503 at once. */
    static final int WORKERS = 4;
    static final int WAITING = 16;
    private static final String TEXT = "text/plain; charset=utf-8";

    private record Page(String type, Function<AgentStatus, String> render) { }

    private static final Map<String, Page> PAGES = Map.of(
            "/status", new Page("application/json", StatusJson::render),
            "/status/table", new Page(TEXT, StatusTable::render),
            "/metrics", new Page("text/plain; version=0.0.4; charset=utf-8", Metrics::render));

    private final ServerSocket socket;
    private final Supplier<CompletableFuture<AgentStatus>> snapshots;
    private final CheckReporter checks;
    /**
     * The longest one request may hold a worker: the head's deadline and the loop's answer are a few seconds;
     * past this the worker is stuck (in a write nobody reads) and the agent's liveness says so.
     */
    static final long MAX_REQUEST_MS = 30_000;
    /** Null when no liveness watches the endpoint's threads. */
    private final Liveness liveness;
    private final List<Liveness.Heartbeat> heartbeats = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Liveness.Heartbeat> workerBeat = new ThreadLocal<>();
    private final ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(WAITING), r -> {
                Thread t = new Thread(() -> {
                    workerBeat.set(watch("status worker", MAX_REQUEST_MS));
                    r.run();
                }, "status-http-worker");
                t.setDaemon(true);
                return t;
            });

    private StatusServer(ServerSocket socket, Supplier<CompletableFuture<AgentStatus>> snapshots,
                         CheckReporter checks, Liveness liveness) {
        this.socket = socket;
        this.snapshots = snapshots;
        this.checks = checks;
        this.liveness = liveness;
    }

    /** Listens on 127.0.0.1:{@code port} (0 in tests: any free port, see {@link #port()}). */
    public static StatusServer start(int port, Supplier<CompletableFuture<AgentStatus>> snapshots,
                                     CheckReporter checks) throws IOException {
        return start(port, snapshots, checks, null);
    }

    /**
     * As {@link #start(int, Supplier, CheckReporter)}, with its threads part of {@code liveness}: the accept thread
     * dying, or a worker dying or holding one request past {@link #MAX_REQUEST_MS}, stops the watchdog.
     */
    public static StatusServer start(int port, Supplier<CompletableFuture<AgentStatus>> snapshots,
                                     CheckReporter checks, Liveness liveness) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64); // a flood waits here, not in SYN retries
        StatusServer s = new StatusServer(socket, snapshots, checks, liveness);
        Thread t = new Thread(() -> {
            s.watch("status endpoint", Long.MAX_VALUE / 2_000_000); // blocks in accept: only its death counts
            s.acceptLoop();
        }, "status-http");
        t.setDaemon(true);
        t.start();
        return s;
    }

    /** Watches the calling thread, bound to it at once; null without a liveness. */
    private Liveness.Heartbeat watch(String name, long maxTroubleMs) {
        if (liveness == null) {
            return null;
        }
        Liveness.Heartbeat beat = liveness.registerBlocking(name, maxTroubleMs);
        beat.beat();
        heartbeats.add(beat);
        return beat;
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
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    log.warn("status endpoint: accept failed: {}", e.toString());
                }
                continue;
            }
            try {
                workers.execute(() -> handle(client));
            } catch (RejectedExecutionException e) {
                refuse(client);
            }
        }
    }

    private void handle(Socket client) {
        Liveness.Heartbeat beat = workerBeat.get();
        if (beat != null) {
            beat.trouble("one request still being served");
        }
        try (client) {
            serve(client);
        } catch (SocketException e) {
            log.debug("status request: {}", e.toString());
        } catch (IOException | RuntimeException e) {
            log.warn("status request failed: {}", e.toString());
        } finally {
            if (beat != null) {
                beat.fine();
            }
        }
    }

    /** Every worker busy and the queue full: say so without reading, so a flood costs nothing but the reply. */
    private static void refuse(Socket client) {
        try (client) {
            client.setSoTimeout(100);
            reply(client.getOutputStream(), 503, "Service Unavailable", TEXT, "busy\n");
        } catch (IOException e) {
            log.debug("status endpoint: refusing a connection: {}", e.toString());
        }
    }

    private void serve(Socket client) throws IOException {
        OutputStream out = client.getOutputStream();
        String requestLine;
        try {
            requestLine = requestLine(client, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REQUEST_DEADLINE_MS));
        } catch (HeadTooLarge e) {
            reply(out, 431, "Request Header Fields Too Large", TEXT, "request head over " + MAX_HEAD_BYTES + " bytes\n");
            return;
        } catch (SocketTimeoutException e) {
            reply(out, 408, "Request Timeout", TEXT, "request not complete within " + REQUEST_DEADLINE_MS + " ms\n");
            return;
        }
        if (requestLine == null) {
            return;
        }
        String[] parts = requestLine.split(" ");
        String path = parts.length == 3 ? parts[1] : "";
        int query = path.indexOf('?');
        Page page = PAGES.get(query < 0 ? path : path.substring(0, query));
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

    private static final class HeadTooLarge extends IOException {
        HeadTooLarge() {
            super("request head too large");
        }
    }

    /**
     * Reads the request head (up to the empty line, so the client is not reset while still sending headers) within
     * the deadline and the size bound; returns its first line, or null when the client closed without one.
     */
    static String requestLine(Socket client, long deadlineNanos) throws IOException {
        InputStream in = client.getInputStream();
        byte[] head = new byte[MAX_HEAD_BYTES];
        int length = 0;
        while (!headComplete(head, length)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("deadline");
            }
            client.setSoTimeout((int) left);
            int n = in.read(head, length, head.length - length);
            if (n < 0) {
                break;
            }
            length += n;
            if (length == head.length && !headComplete(head, length)) {
                throw new HeadTooLarge();
            }
        }
        String text = new String(head, 0, length, StandardCharsets.ISO_8859_1);
        int eol = text.indexOf('\n');
        if (eol < 0) {
            return text.isEmpty() ? null : text.strip();
        }
        return text.substring(0, eol).strip();
    }

    private static boolean headComplete(byte[] b, int length) {
        for (int i = 0; i + 1 < length; i++) {
            if (b[i] == '\n' && (b[i + 1] == '\n' || b[i + 1] == '\r' && i + 2 < length && b[i + 2] == '\n')) {
                return true;
            }
        }
        return false;
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
        heartbeats.forEach(Liveness.Heartbeat::ended); // stopped on purpose
        workers.shutdownNow();
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("closing the status socket: {}", e.toString());
        }
    }
}
