package io.nginxha.agent.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Is the nginx named by a pid file running? Reads the pid file and {@code /proc/PID/stat} (two small reads, cheap
 * enough to poll every 20 ms): the process must exist, not be a zombie, and be called nginx. Unlike
 * a process lookup by name, another host's or container's nginx (other pid namespace or pid file) is never mistaken for ours.
 */
public final class NginxProcess {
    private final Path pidFile;
    private final Path proc;
    private long checkedExePid = -1;
    private boolean exeIsNginx;

    public NginxProcess(Path pidFile) {
        this(pidFile, Path.of("/proc"));
    }

    NginxProcess(Path pidFile, Path proc) {
        this.pidFile = pidFile;
        this.proc = proc;
    }

    /** The master's pid when it is alive and nginx, else -1. */
    public long alivePid() {
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        String stat;
        try {
            stat = Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return -1;
        }
        // "PID (comm) S ...": comm may itself hold spaces or parentheses, so take the last ')'
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open || close + 2 >= stat.length()) {
            return -1;
        }
        String comm = stat.substring(open + 1, close);
        char state = stat.charAt(close + 2);
        if (!comm.equals("nginx") || state == 'Z' || state == 'X') {
            return -1;
        }
        return exeIsNginx(pid) ? pid : -1;
    }

    /** Once per pid: the executable's name too, when /proc lets us read it (comm alone can be set by anyone). */
    private boolean exeIsNginx(long pid) {
        if (pid != checkedExePid) {
            checkedExePid = pid;
            try {
                Path exe = Files.readSymbolicLink(proc.resolve(Long.toString(pid)).resolve("exe"));
                String name = exe.getFileName() == null ? "" : exe.getFileName().toString();
                exeIsNginx = name.startsWith("nginx");
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                exeIsNginx = true; // not ours to read (another user): comm and the pid file have to do
            }
        }
        return exeIsNginx;
    }
}
