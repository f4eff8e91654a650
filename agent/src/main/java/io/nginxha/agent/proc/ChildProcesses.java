package io.nginxha.agent.proc;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the agent starts every child: health check scripts, notify scripts and nginx's restart command. Never
 * through a shell (argv as the config split it), never with the agent's own capabilities, as the configured user
 * when the agent can switch to it, and with stdin and output that cannot block either side.
 */
public final class ChildProcesses {
    /** Whether the agent runs as root, the only case where it can (and must) switch users for scripts. */
    public static final boolean AGENT_IS_ROOT = "root".equals(System.getProperty("user.name"));

    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final List<String> DROP_CAPABILITIES =
            List.of(SETPRIV.toString(), "--inh-caps=-all", "--ambient-caps=-all", "--");
    /** Run by systemd as an unprivileged user with AmbientCapabilities=, every child would inherit them. */
    private static final boolean AMBIENT = ambientCapabilities() != 0 && Files.isExecutable(SETPRIV);

    private ChildProcesses() { }

    /**
     * Starts {@code argv}: stdin from /dev/null, stdout and stderr into {@code output}, a file and never a pipe,
     * since a child that daemonizes (nginx) keeps it open and a pipe would have to be drained.
     */
    public static Process start(List<String> argv, Path output) throws IOException {
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    /** How much of a child's output is read back for the log: its end, which is where the error usually is. */
    public static final int OUTPUT_TAIL_BYTES = 4096;

    /**
     * The last {@value #OUTPUT_TAIL_BYTES} bytes of a child's output file, as text, stripped; with "..." in front
     * when there was more. Never the whole file: a check that prints megabytes (a curl of a page) must not cost
     * the agent, whose heap is small, more than this.
     */
    public static String outputTail(Path output) throws IOException {
        try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(output)) {
            long size = f.size();
            int n = (int) Math.min(size, OUTPUT_TAIL_BYTES);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(n);
            f.position(size - n);
            while (buf.hasRemaining() && f.read(buf) >= 0) {
                // read until full: the file does not shrink while we read it
            }
            String text = new String(buf.array(), 0, buf.position(), java.nio.charset.StandardCharsets.UTF_8).strip();
            return size > n ? "..." + text : text;
        }
    }

    /**
     * {@code command} as run for {@code user} (user[:group], null for none): behind {@code runuser} when the agent
     * is root and the user is another one; without the agent's capabilities otherwise. Never through a shell.
     */
    public static List<String> asUser(List<String> command, String user, boolean agentIsRoot) {
        if (user == null || !agentIsRoot || user.equals("root")) {
            // runuser's switch to another user drops capabilities; without it they must be dropped explicitly.
            return withoutCapabilities(command);
        }
        List<String> out = new ArrayList<>(List.of("runuser", "-u", user.split(":")[0]));
        if (user.contains(":")) {
            out.addAll(List.of("-g", user.substring(user.indexOf(':') + 1)));
        }
        out.add("--");
        out.addAll(command);
        return out;
    }

    /**
     * {@code argv} without the agent's ambient capabilities (CAP_NET_ADMIN, CAP_NET_RAW under the shipped unit):
     * a health check or notify script must not be able to change the network. Through {@code setpriv} (util-linux)
     * when the agent has any; as is otherwise.
     */
    public static List<String> withoutCapabilities(List<String> argv) {
        return withoutCapabilities(argv, AMBIENT);
    }

    static List<String> withoutCapabilities(List<String> argv, boolean drop) {
        if (!drop) {
            return argv;
        }
        List<String> out = new ArrayList<>(DROP_CAPABILITIES);
        out.addAll(argv);
        return out;
    }

    private static long ambientCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapAmb:")) {
                    return Long.parseUnsignedLong(line.substring("CapAmb:".length()).strip(), 16);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
