package io.nginxha.agent.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A minimal SMTP server for the namespace lab, run in the client namespace with {@code ip netns exec} (the lab is
 * never routed to the test's own loopback): {@code SmtpSink ADDRESS PORT FILE}. It accepts every message and
 * appends each to FILE as {@code FROM <a>}, {@code TO <b>} and the message's header and body lines, then a line
 * {@code .END}; it writes {@code READY} first, once it listens. Enough of RFC 5321 for Jakarta Mail: EHLO/HELO,
 * MAIL, RCPT, DATA (with dot-unstuffing), RSET, NOOP, QUIT. With a fourth argument {@code --blackhole} it is a
 * relay gone bad instead: it accepts every connection and never says a word (not even the greeting), appending
 * {@code CONNECTED} to FILE for each.
 */
public final class SmtpSink {
    private SmtpSink() { }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[2]);
        try (ServerSocket server = new ServerSocket(Integer.parseInt(args[1]), 10, InetAddress.getByName(args[0]))) {
            append(file, "READY\n");
            if (args.length > 3 && args[3].equals("--blackhole")) {
                java.util.List<Socket> held = new java.util.ArrayList<>();
                while (true) {
                    held.add(server.accept()); // held open, never answered
                    append(file, "CONNECTED\n");
                }
            }
            while (true) {
                try (Socket s = server.accept()) {
                    session(s, file);
                } catch (IOException e) {
                    System.err.println("session: " + e);
                }
            }
        }
    }

    private static void session(Socket s, Path file) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream raw = s.getOutputStream();
        PrintWriter out = new PrintWriter(raw, true, StandardCharsets.US_ASCII);
        reply(out, "220 sink ready");
        StringBuilder message = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
            switch (verb) {
                case "EHLO", "HELO", "NOOP" -> reply(out, "250 ok");
                case "RSET" -> {
                    message.setLength(0);
                    reply(out, "250 ok");
                }
                case "MAIL" -> {
                    message.append("FROM ").append(line.substring(line.indexOf(':') + 1).strip()).append('\n');
                    reply(out, "250 ok");
                }
                case "RCPT" -> {
                    message.append("TO ").append(line.substring(line.indexOf(':') + 1).strip()).append('\n');
                    reply(out, "250 ok");
                }
                case "DATA" -> {
                    reply(out, "354 end with <CRLF>.<CRLF>");
                    while ((line = in.readLine()) != null && !line.equals(".")) {
                        message.append(line.startsWith(".") ? line.substring(1) : line).append('\n');
                    }
                    message.append(".END\n");
                    append(file, message.toString());
                    message.setLength(0);
                    reply(out, "250 queued");
                }
                case "QUIT" -> {
                    reply(out, "221 bye");
                    return;
                }
                default -> reply(out, "502 not implemented");
            }
        }
    }

    private static void reply(PrintWriter out, String text) {
        out.print(text + "\r\n");
        out.flush();
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
