package io.nginxha.agent.proc;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * keepalived's script security rule (lib/notify.c, check_script_secure), for a command that will run with root's
 * privileges: the program and every directory on its path, from {@code /} down, must be owned by root, and none of
 * them writable by a non-root group or by others (a directory with the sticky bit, like /tmp, may be). Otherwise
 * any user who can write there can make root run their code. With {@code enable_script_security} such a script
 * is never run; without it, the agent runs it and warns, as keepalived does.
 */
public final class ScriptSecurity {
    private static final int GROUP_WRITE = 0020;
    private static final int OTHER_WRITE = 0002;
    private static final int STICKY = 01000;

    private ScriptSecurity() { }

    /** Whether a command run for {@code user} (null: the agent's own user) runs with root's privileges. */
    public static boolean runsAsRoot(String user, boolean agentIsRoot) {
        return agentIsRoot && (user == null || user.equals("root") || user.startsWith("root:"));
    }

    /** Why {@code command} is unsafe to run as root, or empty when it is safe (or cannot be found: it will fail). */
    public static Optional<String> unsafe(List<String> command) {
        Optional<Path> program = locate(command.get(0));
        if (program.isEmpty()) {
            return Optional.empty();
        }
        Path path = program.get().toAbsolutePath().normalize();
        Path at = path.getRoot();
        for (int i = -1; i < path.getNameCount(); i++) {
            if (i >= 0) {
                at = at.resolve(path.getName(i));
            }
            Optional<String> problem = problem(at, i == path.getNameCount() - 1);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> problem(Path at, boolean isProgram) {
        Map<String, Object> attrs;
        try {
            attrs = Files.readAttributes(at, "unix:uid,gid,mode");
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
        int uid = (Integer) attrs.get("uid");
        int gid = (Integer) attrs.get("gid");
        int mode = (Integer) attrs.get("mode");
        if (uid != 0) {
            return Optional.of(at + " is owned by uid " + uid + ", not root");
        }
        boolean writeProtected = isProgram || (mode & STICKY) == 0;
        if (writeProtected && gid != 0 && (mode & GROUP_WRITE) != 0) {
            return Optional.of(at + " is writable by group " + gid);
        }
        if (writeProtected && (mode & OTHER_WRITE) != 0) {
            return Optional.of(at + " is writable by every user");
        }
        return Optional.empty();
    }

    /** The program as exec would find it: a name with a slash as is, else the first executable on PATH. */
    private static Optional<Path> locate(String program) {
        if (program.contains("/")) {
            return Optional.of(Path.of(program));
        }
        String searchPath = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : searchPath.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
