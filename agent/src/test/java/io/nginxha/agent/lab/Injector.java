package io.nginxha.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.lab.AdvertInjector.Kind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** {@link AdvertInjector} running in the lab's attacker namespace, driven through its stdin and stdout. */
final class Injector {
    private final OutputStream commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    Injector(NetnsLab lab) throws Exception {
        lab.attacker();
        Process p = lab.java("attacker", AdvertInjector.class, null, "eth0");
        commands = p.getOutputStream();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    answers.add(line);
                }
            } catch (IOException e) {
                // the injector ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        assertEquals("READY", answers.poll(60, TimeUnit.SECONDS), "injector start");
    }

    private void command(String line) throws IOException {
        commands.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        commands.flush();
    }

    /** {@code count} frames of {@code kind}, {@code gapMs} apart; returns once they are sent. */
    void send(Kind kind, int count, String destination, String destinationMac, long gapMs) throws Exception {
        command(kind + " " + count + " " + destination + " " + destinationMac + " " + gapMs);
        assertEquals("SENT " + kind + " " + count, answers.poll(30 + count * gapMs / 1000, TimeUnit.SECONDS));
    }

    /** Starts a flood of {@code kind} for {@code ms}; {@link #flooded} waits for its end and returns the count. */
    void flood(Kind kind, long ms, String destination, String destinationMac) throws IOException {
        command("FLOOD " + kind + " " + ms + " " + destination + " " + destinationMac);
    }

    long flooded(long waitMs) throws InterruptedException {
        String answer = answers.poll(waitMs, TimeUnit.MILLISECONDS);
        assertNotNull(answer, "the flood did not end");
        assertTrue(answer.startsWith("FLOODED "), answer);
        return Long.parseLong(answer.substring("FLOODED ".length()));
    }
}
