package io.nginxha.agent.net;

import io.nginxha.agent.config.FirewallConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Firewall} edge: runs Debian's {@code nft -f -} with the script {@link NftScript} renders, one
 * transaction per call, so a failed call changes nothing. It remembers which tables it made; before its first
 * success it takes both families' tables as possibly there, so what a killed agent left is deleted by the first
 * call.
 */
public final class NftFirewall implements Firewall {
    private static final long TIMEOUT_MS = 5_000;
    private static final int MAX_OUTPUT = 4096;

    private final List<String> command;
    private FirewallConfig applied;
    private boolean ipv4Present = true;
    private boolean ipv6Present = true;

    /** Runs {@code nft} from the PATH (Debian's nftables package). */
    public NftFirewall() {
        this(List.of("nft", "-f", "-"));
    }

    /** Runs {@code command}, which reads the script on its standard input (tests). */
    public NftFirewall(List<String> command) {
        this.command = List.copyOf(command);
    }

    @Override
    public synchronized Result apply(FirewallConfig config, Set<Blocked> blocked) {
        StringBuilder script = new StringBuilder();
        boolean sameTable = applied == null || applied.table().equals(config.table());
        if (!sameTable) {
            script.append(NftScript.render(applied, Set.of(), ipv4Present, ipv6Present));
        }
        script.append(NftScript.render(config, blocked, sameTable && ipv4Present, sameTable && ipv6Present));
        if (script.length() == 0) {
            return Result.OK;
        }
        Result result = run(script.toString());
        if (result.ok()) {
            applied = config;
            ipv4Present = blocked.stream().anyMatch(b -> b.address() instanceof Inet4Address);
            ipv6Present = blocked.stream().anyMatch(b -> b.address() instanceof Inet6Address);
        } else {
            // not known what is there now: the next call deletes whatever it does not want, in both families
            ipv4Present = true;
            ipv6Present = true;
            applied = applied == null ? config : applied;
        }
        return result;
    }

    /** nft's messages go to a file, so that a hung nft is ended at the timeout, never read forever. */
    private Result run(String script) {
        Path log;
        Process p;
        try {
            log = Files.createTempFile("vrrp-agent-nft", ".out");
        } catch (IOException e) {
            return Result.failed("cannot make a file for nft's messages: " + e.getMessage());
        }
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            delete(log);
            return Result.failed("cannot run " + command.get(0) + " (is the nftables package installed?): "
                    + e.getMessage());
        }
        try {
            try (OutputStream in = p.getOutputStream()) {
                in.write(script.getBytes(StandardCharsets.UTF_8));
            }
            boolean done = p.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            String output = read(log);
            if (!done) {
                return Result.failed(command.get(0) + " did not finish within " + TIMEOUT_MS + " ms");
            }
            int exit = p.exitValue();
            return exit == 0 ? Result.OK : Result.failed(command.get(0) + " exited " + exit + ": "
                    + output.strip().replace('\n', ' '));
        } catch (IOException e) {
            return Result.failed(command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.failed(command.get(0) + " interrupted");
        } finally {
            p.destroyForcibly();
            delete(log);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file; the system cleans /tmp
        }
    }

    /** nft's messages, at most {@link #MAX_OUTPUT} bytes of them. */
    private static String read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return new String(all, 0, Math.min(all.length, MAX_OUTPUT), StandardCharsets.UTF_8);
    }
}
