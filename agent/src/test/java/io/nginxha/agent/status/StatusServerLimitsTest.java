package io.nginxha.agent.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.reliability.Ledger;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A local client must not be able to hang the status endpoint nor run it out of memory: a slow client does not
 * hold up another, a request head has a deadline and a size bound, and a connection flood is answered 503 and
 * then forgotten.
 */
class StatusServerLimitsTest {
    private static final AgentStatus EMPTY = new AgentStatus("ha1", 0, List.of(), Map.of(), Map.of());
    private StatusServer server;
    private final List<Socket> opened = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = StatusServer.start(0, () -> CompletableFuture.completedFuture(EMPTY), CheckReporter.NONE);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : opened) {
            s.close();
        }
        server.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
        s.setSoTimeout(5000);
        opened.add(s);
        return s;
    }

    /** Sends {@code request} and returns the status line of the answer. */
    private static String statusLine(Socket s, byte[] request) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(request);
        out.flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).strip();
    }

    private static byte[] get(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aSlowClientDoesNotHoldUpTheScraper() throws Exception {
        Socket slow = connect();
        slow.getOutputStream().write("GET /met".getBytes(StandardCharsets.ISO_8859_1)); // and then nothing
        long t0 = System.nanoTime();
        assertEquals("HTTP/1.1 200 OK", statusLine(connect(), get("/metrics")));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < StatusServer.REQUEST_DEADLINE_MS, "the scraper waited " + ms + " ms for the slow client");
        Ledger.record("hardening", "status endpoint: a client that never finishes its request, beside a scraper", 1,
                "scraper answered at once");
    }

    @Test
    void aClientDrippingOneByteAtATimeIsCutOffAtTheDeadline() throws Exception {
        Socket drip = connect();
        OutputStream out = drip.getOutputStream();
        long t0 = System.nanoTime();
        String line = null;
        byte[] request = get("/status");
        for (int i = 0; i < request.length - 2; i++) { // never the final CRLF
            out.write(request[i]);
            out.flush();
            Thread.sleep(150);
            if (drip.getInputStream().available() > 0) {
                break;
            }
            if (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) > StatusServer.REQUEST_DEADLINE_MS + 1000) {
                break;
            }
        }
        line = statusLine(drip, new byte[0]);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals("HTTP/1.1 408 Request Timeout", line);
        assertTrue(ms >= StatusServer.REQUEST_DEADLINE_MS - 100 && ms < StatusServer.REQUEST_DEADLINE_MS + 1500,
                "cut off after " + ms + " ms");
        Ledger.record("hardening", "status endpoint: a request sent one byte every 150 ms", 1,
                "408 at the 2 s deadline of the whole request");
    }

    @Test
    void anOversizedRequestHeadIsRefusedAndTheServerGoesOn() throws Exception {
        byte[] huge = new byte[8 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) 'a');
        System.arraycopy("GET /".getBytes(StandardCharsets.ISO_8859_1), 0, huge, 0, 5);
        Socket s = connect();
        String line;
        try {
            line = statusLine(s, huge);
        } catch (IOException e) {
            line = "reset while sending: " + e; // the server may close before all 8 MiB are written
        }
        assertTrue(line.equals("HTTP/1.1 431 Request Header Fields Too Large") || line.startsWith("reset"), line);
        assertEquals("HTTP/1.1 200 OK", statusLine(connect(), get("/status")));
        Ledger.record("hardening", "status endpoint: an 8 MiB request line", 1, "refused after 8 KiB, then served");
    }

    @Test
    void aConnectionFloodIsAnsweredBusyAndTheEndpointRecovers() throws Exception {
        int flood = StatusServer.WORKERS + StatusServer.WAITING + 20;
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < flood; i++) {
            Socket s = connect();
            s.setSoTimeout(30_000); // a queued one waits for those ahead of it, each up to the request deadline
            idle.add(s);
        }
        int busy = 0;
        int timedOut = 0;
        for (Socket s : idle) {
            String line = statusLine(s, new byte[0]);
            if (line.equals("HTTP/1.1 503 Service Unavailable")) {
                busy++;
            } else if (line.equals("HTTP/1.1 408 Request Timeout")) {
                timedOut++;
            }
        }
        // The split depends on how fast the workers free up; that every connection is answered does not.
        assertEquals(flood, busy + timedOut, "every connection answered, none left hanging");
        assertTrue(busy >= 1 && timedOut >= StatusServer.WORKERS, busy + " busy, " + timedOut + " timed out");
        for (Socket s : idle) {
            s.close();
        }
        long t0 = System.nanoTime();
        String line = "";
        while (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 3 * StatusServer.REQUEST_DEADLINE_MS) {
            line = statusLine(connect(), get("/status"));
            if (line.equals("HTTP/1.1 200 OK")) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals("HTTP/1.1 200 OK", line, "served again once the flood is gone");
        Ledger.record("hardening", "status endpoint: " + flood + " idle connections at once", 1,
                "each answered 503 (busy) or 408 (its deadline), served again after the flood");
    }
}
