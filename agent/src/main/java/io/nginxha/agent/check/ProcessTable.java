package io.nginxha.agent.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The edge of process tracking: the processes running now, read from /proc as keepalived reads it at start
 * (track_process.c read_procs): the name and state from {@code /proc/PID/stat}, the command line from
 * {@code /proc/PID/cmdline} only when asked (it is read from the process's memory, which may be swapped out). A
 * process that ends while being read is simply not there.
 *
 * <p>Why a scan rather than keepalived's netlink process connector: the connector's events reach only a listener
 * with CAP_NET_ADMIN in the initial PID and user namespace (not inside a container or a systemd unit with
 * PrivateUsers=), an overrun of its socket loses events and forces this very scan anyway, and keeping a pid tree
 * current from fork/exec/exit/comm events is a second copy of the kernel's bookkeeping. The price is CPU: a scan
 * of 240 processes' stat files measured 3.5 ms of CPU (5.7 ms with their command lines) on the 2-core CI machine,
 * so at {@link ProcessTracker#POLL_MS} it costs under 1% of one core, and detection is bounded by the poll as a
 * vrrp_script's is by its interval (a pidof script every 2 s, typically) rather than immediate as keepalived's.
 */
final class ProcessTable {
    private final Path proc;

    ProcessTable(Path proc) {
        this.proc = proc;
    }

    static ProcessTable system() {
        return new ProcessTable(Path.of("/proc"));
    }

    /** Every process now; with {@code commandLines} each one's argv too (empty for a kernel thread). */
    List<ProcessMatch.Proc> scan(boolean commandLines) throws IOException {
        List<ProcessMatch.Proc> out = new ArrayList<>(512);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, ProcessTable::isPid)) {
            for (Path dir : dirs) {
                ProcessMatch.Proc p = read(dir, commandLines);
                if (p != null) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static boolean isPid(Path p) {
        String n = p.getFileName().toString();
        return !n.isEmpty() && n.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** One process, or null when it is gone (or its stat cannot be read). */
    static ProcessMatch.Proc read(Path dir, boolean commandLine) {
        try {
            String stat = Files.readString(dir.resolve("stat"), StandardCharsets.ISO_8859_1);
            ProcessMatch.Proc p = parseStat(Integer.parseInt(dir.getFileName().toString()), stat);
            if (p == null || !commandLine || p.zombie()) {
                return p;
            }
            byte[] cmd = Files.readAllBytes(dir.resolve("cmdline"));
            return new ProcessMatch.Proc(p.pid(), p.ppid(), p.comm(), false, argv(cmd));
        } catch (IOException | RuntimeException e) {
            return null; // ended between the listing and the read
        }
    }

    /**
     * "PID (COMM) S PPID ...": the name is between the first '(' and the last ')', since it may itself hold
     * blanks and parentheses; null when the line is not of that shape.
     */
    static ProcessMatch.Proc parseStat(int pid, String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open || close + 2 >= stat.length()) {
            return null;
        }
        String[] rest = stat.substring(close + 2).split(" ", 3);
        if (rest.length < 2) {
            return null;
        }
        return new ProcessMatch.Proc(pid, Integer.parseInt(rest[1]), stat.substring(open + 1, close),
                rest[0].equals("Z"), List.of());
    }

    /** The NUL-separated words of a cmdline file. */
    static List<String> argv(byte[] cmd) {
        List<String> words = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmd.length; i++) {
            if (cmd[i] == 0) {
                words.add(new String(Arrays.copyOfRange(cmd, start, i), StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < cmd.length) {
            words.add(new String(Arrays.copyOfRange(cmd, start, cmd.length), StandardCharsets.UTF_8));
        }
        return words;
    }
}
