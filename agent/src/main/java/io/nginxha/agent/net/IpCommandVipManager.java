package io.nginxha.agent.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link VipManager} on iproute2: runs {@code ip} with an argument list (never through a shell).
 * "File exists" on add and "Cannot assign requested address" on delete mean the work is already done.
 */
public final class IpCommandVipManager implements VipManager {
    private static final Logger log = LoggerFactory.getLogger(IpCommandVipManager.class);

    private final String ipCommand;
    private final List<String> prefixArgs;

    /** Uses {@code ip} from the PATH. */
    public IpCommandVipManager() {
        this("ip", List.of());
    }

    /**
     * @param ipCommand  the ip binary
     * @param prefixArgs words put before the ip command, e.g. {@code ip netns exec NS} for tests
     */
    public IpCommandVipManager(String ipCommand, List<String> prefixArgs) {
        this.ipCommand = ipCommand;
        this.prefixArgs = List.copyOf(prefixArgs);
    }

    @Override
    public boolean add(String dev, InetAddress address, int prefix, String label) {
        List<String> args = new ArrayList<>(List.of(family(address), "addr", "add",
                address.getHostAddress() + "/" + prefix, "dev", dev));
        if (label != null) {
            args.addAll(List.of("label", label));
        }
        Result r = run(args);
        if (r.ok() || r.stderr().contains("File exists") || r.stderr().contains("already assigned")
                || isAssigned(dev, address)) {
            return true;
        }
        log.error("adding {}/{} to {} failed: {}", address.getHostAddress(), prefix, dev, r.describe());
        return false;
    }

    @Override
    public boolean remove(String dev, InetAddress address, int prefix) {
        Result r = run(List.of(family(address), "addr", "del", address.getHostAddress() + "/" + prefix,
                "dev", dev));
        if (r.ok() || r.stderr().contains("Cannot assign requested address") || r.stderr().contains("not found")
                || (!r.stderr().contains("Cannot find device") && !isAssigned(dev, address))) {
            return true;
        }
        log.error("removing {}/{} from {} failed: {}", address.getHostAddress(), prefix, dev, r.describe());
        return false;
    }

    @Override
    public List<Assigned> list(String dev) {
        Result r = run(List.of("-o", "addr", "show", "dev", dev));
        if (!r.ok()) {
            log.error("listing the addresses of {} failed: {}", dev, r.describe());
            return List.of();
        }
        return parse(r.stdout());
    }

    private boolean isAssigned(String dev, InetAddress address) {
        return list(dev).stream().anyMatch(a -> a.address().equals(address));
    }

    /**
     * Parses {@code ip -o addr show} lines such as
     * {@code 2: eth0    inet 192.168.16.130/32 scope global eth0:vip\       valid_lft forever ...}.
     */
    static List<Assigned> parse(String output) {
        List<Assigned> result = new ArrayList<>();
        for (String line : output.split("\n")) {
            String[] w = line.trim().split("\\s+");
            for (int i = 0; i + 1 < w.length; i++) {
                if (!w[i].equals("inet") && !w[i].equals("inet6")) {
                    continue;
                }
                String[] addrPrefix = w[i + 1].split("/");
                try {
                    InetAddress address = InetAddress.getByName(addrPrefix[0]);
                    int prefix = addrPrefix.length > 1 ? Integer.parseInt(addrPrefix[1])
                            : address instanceof Inet6Address ? 128 : 32;
                    result.add(new Assigned(address, prefix, labelOf(w, i + 2, w[1])));
                } catch (UnknownHostException | NumberFormatException e) {
                    log.debug("unparsed ip output: {}", line);
                }
                break;
            }
        }
        return result;
    }

    /** IPv4 labels are printed after the flags, e.g. {@code scope global secondary eth0:vip}. */
    private static String labelOf(String[] w, int from, String dev) {
        for (int i = from; i < w.length && !w[i].startsWith("valid_lft"); i++) {
            String word = w[i].endsWith("\\") ? w[i].substring(0, w[i].length() - 1) : w[i];
            if (word.startsWith(dev + ":")) {
                return word;
            }
        }
        return null;
    }

    private static String family(InetAddress address) {
        return address instanceof Inet6Address ? "-6" : "-4";
    }

    private record Result(int exit, String stdout, String stderr, String command) {
        boolean ok() {
            return exit == 0;
        }

        String describe() {
            return "'" + command + "' exited " + exit + ": " + stderr.strip();
        }
    }

    private Result run(List<String> args) {
        List<String> command = new ArrayList<>(prefixArgs);
        command.add(ipCommand);
        command.addAll(args);
        String text = String.join(" ", command);
        try {
            Process p = new ProcessBuilder(command).start();
            p.getOutputStream().close();
            // Outputs are small (one line per address): reading them one after the other cannot dead-lock.
            String out = read(p.getInputStream());
            String err = read(p.getErrorStream());
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, out, "timed out", text);
            }
            return new Result(p.exitValue(), out, err, text);
        } catch (IOException e) {
            return new Result(-1, "", e.getMessage(), text);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "", "interrupted", text);
        }
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
