package io.nginxha.agent.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Abuses the agent's status endpoint from inside a lab host, for {@link LabFaultsIT}:
 * {@code StatusAbuser PORT SECONDS SLOW HUGE FLOOD}. SLOW clients send a request head a byte every 1.9 s, HUGE
 * clients send a request line followed by a header of 8 MiB, each reconnecting as soon as it is answered or cut
 * off; every second FLOOD connections are opened at once and held idle for a second. At the end it prints
 * {@code DONE} with how many connections each made and the status codes the endpoint answered.
 */
public final class StatusAbuser {
    private static final Map<String, AtomicLong> ANSWERS = new ConcurrentHashMap<>();
    private static final AtomicLong CONNECTIONS = new AtomicLong();

    private StatusAbuser() { }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long end = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000_000L;
        int slow = Integer.parseInt(args[2]);
        int huge = Integer.parseInt(args[3]);
        int flood = Integer.parseInt(args[4]);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < slow; i++) {
            threads.add(start(() -> repeat(end, port, StatusAbuser::slowly)));
        }
        for (int i = 0; i < huge; i++) {
            threads.add(start(() -> repeat(end, port, StatusAbuser::hugely)));
        }
        if (flood > 0) {
            threads.add(start(() -> flood(end, port, flood)));
        }
        System.out.println("READY");
        System.out.flush();
        for (Thread t : threads) {
            t.join();
        }
        System.out.println("DONE connections=" + CONNECTIONS + " answers=" + new java.util.TreeMap<>(ANSWERS));
        System.out.flush();
    }

    private static Thread start(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private interface Abuse {
        void on(Socket s, long end) throws IOException, InterruptedException;
    }

    private static void repeat(long end, int port, Abuse abuse) {
        while (System.nanoTime() < end) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                CONNECTIONS.incrementAndGet();
                abuse.on(s, end);
                answer(s);
            } catch (IOException e) {
                ANSWERS.computeIfAbsent("cut:" + e.getClass().getSimpleName(), k -> new AtomicLong())
                        .incrementAndGet();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The status code of whatever the endpoint answered, counted. */
    private static void answer(Socket s) throws IOException {
        s.setSoTimeout(5000);
        InputStream in = s.getInputStream();
        byte[] head = in.readNBytes(12);
        String code = head.length >= 12 ? new String(head, 9, 3, StandardCharsets.US_ASCII) : "none";
        ANSWERS.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
    }

    private static void slowly(Socket s, long end) throws IOException, InterruptedException {
        OutputStream out = s.getOutputStream();
        byte[] request = "GET /metrics HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < request.length && System.nanoTime() < end; i++) {
            out.write(request[i]);
            out.flush();
            Thread.sleep(1900);
        }
    }

    private static void hugely(Socket s, long end) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write("GET /metrics HTTP/1.0\r\nX-Junk: ".getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[65536];
        Arrays.fill(chunk, (byte) 'a');
        for (int i = 0; i < 128; i++) { // 8 MiB: the server answers 431 and closes long before
            out.write(chunk);
        }
        out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void flood(long end, int port, int count) {
        while (System.nanoTime() < end) {
            List<Socket> open = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                try {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                    CONNECTIONS.incrementAndGet();
                    open.add(s);
                } catch (IOException e) {
                    ANSWERS.computeIfAbsent("connect:" + e.getClass().getSimpleName(), k -> new AtomicLong())
                            .incrementAndGet();
                }
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            for (Socket s : open) {
                try (s) {
                    s.shutdownOutput();
                    answer(s);
                } catch (IOException e) {
                    ANSWERS.computeIfAbsent("cut:" + e.getClass().getSimpleName(), k -> new AtomicLong())
                            .incrementAndGet();
                }
            }
        }
    }
}
