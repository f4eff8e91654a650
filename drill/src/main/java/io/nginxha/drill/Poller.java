package io.nginxha.drill;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The client of every failover measurement: requests a URL at a fixed period and records who answered.
 *
 * <p>A plain socket with tight timeouts rather than an HTTP client library: on a LAN a healthy answer takes
 * well under a millisecond, so a connect that is not done in a few tens of milliseconds means the VIP is not
 * served, and the timeout bounds the error of the measured outage.
 *
 * <p>Usage: {@code Poller URL [--period-ms 10] [--timeout-ms 20] [--duration-ms N] [--log FILE]}. Runs until the
 * duration ends or SIGTERM, then prints one summary line: {@code requests=.. failed=.. outage_ms=.. served=a>b>a}.
 * The log has one line a request ({@code START_MS END_MS ok HOST} or {@code START_MS END_MS fail ERROR}, in ms since
 * the poller started) after a first line {@code # start_unix_ms T}, the wall-clock time of that start, so that the
 * requests can be set beside other timestamped records (the lab's history checker does).
 */
public final class Poller implements VipWatch, AutoCloseable {
    private final URI url;
    private final long periodNanos;
    private final int timeoutMs;
    private final List<Sample> samples = new ArrayList<>();

    /** One request: when it started and ended (ms since the poller started) and who answered, or null. */
    public record Sample(double startMs, double endMs, String server, String error) {
        public boolean ok() {
            return server != null;
        }
    }

    Poller(URI url, long periodMs, int timeoutMs) {
        this.url = url;
        this.periodNanos = periodMs * 1_000_000L;
        this.timeoutMs = timeoutMs;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: Poller URL [--period-ms 10] [--timeout-ms 20] [--duration-ms N] [--log FILE]");
            System.exit(2);
        }
        long period = 10;
        int timeout = 20;
        long duration = Long.MAX_VALUE;
        Path log = null;
        for (int i = 1; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                System.err.println("Poller: " + args[i] + " needs a value");
                System.exit(2);
            }
            switch (args[i]) {
                case "--period-ms" -> period = Long.parseLong(value);
                case "--timeout-ms" -> timeout = Integer.parseInt(value);
                case "--duration-ms" -> duration = Long.parseLong(value);
                case "--log" -> log = Path.of(value);
                default -> {
                    System.err.println("Poller: unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        Poller poller = new Poller(URI.create(args[0]), period, timeout);
        Path logFile = log;
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            main.interrupt();
            poller.finish(logFile, System.out);
        }));
        poller.run(duration);
        System.exit(0);
    }

    private volatile boolean finished;
    private volatile long startNanos = System.nanoTime();
    private Thread thread;

    /** A poller requesting {@code url} every {@code periodMs} in a daemon thread, until {@link #close}. */
    public static Poller start(URI url, long periodMs, int timeoutMs) {
        Poller poller = new Poller(url, periodMs, timeoutMs);
        poller.startNanos = System.nanoTime();
        poller.thread = new Thread(() -> poller.run(Long.MAX_VALUE), "drill-poller");
        poller.thread.setDaemon(true);
        poller.thread.start();
        return poller;
    }

    @Override
    public double nowMs() {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    @Override
    public List<Sample> since(double fromMs) {
        synchronized (samples) {
            int i = samples.size();
            while (i > 0 && samples.get(i - 1).startMs() > fromMs) {
                i--;
            }
            return List.copyOf(samples.subList(i, samples.size()));
        }
    }

    @Override
    public void pause(long ms) throws InterruptedException {
        Thread.sleep(ms);
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void run(long durationMs) {
        long start = startNanos;
        long next = start;
        long end = durationMs == Long.MAX_VALUE ? Long.MAX_VALUE : start + durationMs * 1_000_000L;
        while (!Thread.currentThread().isInterrupted() && System.nanoTime() < end) {
            long t0 = System.nanoTime();
            String server = null;
            String error = null;
            try {
                server = fetch();
            } catch (IOException e) {
                error = e.getClass().getSimpleName();
            }
            long t1 = System.nanoTime();
            synchronized (samples) {
                samples.add(new Sample((t0 - start) / 1e6, (t1 - start) / 1e6, server, error));
            }
            next += periodNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime();
            }
        }
    }

    /** One HTTP/1.0 GET; the page's first line names the host that served it. */
    private String fetch() throws IOException {
        int port = url.getPort() < 0 ? 80 : url.getPort();
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(timeoutMs * 10);
            socket.connect(new InetSocketAddress(url.getHost(), port), timeoutMs);
            String path = url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: " + url.getHost() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!response.startsWith("HTTP/1.1 200") && !response.startsWith("HTTP/1.0 200")) {
                throw new IOException("status " + response.lines().findFirst().orElse("none"));
            }
            int body = response.indexOf("\r\n\r\n");
            return body < 0 ? "?" : response.substring(body + 4).strip().lines().findFirst().orElse("?").strip();
        }
    }

    void finish(Path log, PrintStream out) {
        if (finished) {
            return;
        }
        finished = true;
        List<Sample> copy;
        synchronized (samples) {
            copy = List.copyOf(samples);
        }
        if (log != null) {
            StringBuilder text = new StringBuilder();
            // the wall clock at startNanos, from one reading of both clocks now
            double startUnixMs = System.currentTimeMillis() - (System.nanoTime() - startNanos) / 1e6;
            text.append(String.format(java.util.Locale.ROOT, "# start_unix_ms %.1f%n", startUnixMs));
            for (Sample s : copy) {
                text.append(String.format("%.1f %.1f %s%n", s.startMs(), s.endMs(),
                        s.ok() ? "ok " + s.server() : "fail " + s.error()));
            }
            try {
                Files.writeString(log, text);
            } catch (IOException e) {
                System.err.println("Poller: cannot write " + log + ": " + e.getMessage());
            }
        }
        out.println(Summary.of(copy));
        out.flush();
    }
}
