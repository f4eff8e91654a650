package io.nginxha.agent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code vrrp-agent drill ...}: the failover drill is its own command (nginx-ha-drill, the drill module's jar), so
 * the daemon's jar does not carry it and its SSH library; this runs that jar with the same arguments, in the same
 * JVM binary, on the same terminal, and returns its exit status.
 */
public final class DrillLauncher {
    /** Where the operator says the drill's jar is; when set, nowhere else is looked at. */
    static final String PROPERTY = "nginxha.drill.jar";
    static final String ENVIRONMENT = "NGINX_HA_DRILL_JAR";
    static final String JAR = "nginx-ha-drill.jar";
    static final Path INSTALLED = Path.of("/usr/share/nginx-ha", JAR);
    static final int NOT_FOUND = 1;

    private DrillLauncher() { }

    public static int forward(List<String> args, PrintStream err) {
        return forward(args, candidates(System.getProperty(PROPERTY), System.getenv(ENVIRONMENT), agentJarDirectory()),
                err);
    }

    static int forward(List<String> args, List<Path> candidates, PrintStream err) {
        Path jar = candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
        if (jar == null) {
            err.println("vrrp-agent drill: the failover drill is the separate command nginx-ha-drill, and its jar ("
                    + JAR + ") is not installed here; looked at: "
                    + candidates.stream().map(Path::toString).collect(Collectors.joining(", "))
                    + " (set " + ENVIRONMENT + " or -D" + PROPERTY + " to its path)");
            return NOT_FOUND;
        }
        List<String> command = new ArrayList<>(List.of(javaCommand(), "-jar", jar.toString()));
        command.addAll(args);
        try {
            Process drill = new ProcessBuilder(command).inheritIO().start();
            // Ctrl-C reaches both JVMs; this one must stay until the drill has restored the master and exited, or
            // the shell would come back while the drill still writes. A plain kill of this JVM is passed on.
            Thread waitForDrill = new Thread(() -> {
                drill.destroy();
                waitUninterruptibly(drill);
            }, "drill-wait");
            Runtime.getRuntime().addShutdownHook(waitForDrill);
            int status = waitUninterruptibly(drill);
            try {
                Runtime.getRuntime().removeShutdownHook(waitForDrill);
            } catch (IllegalStateException e) {
                // this JVM is already shutting down (the drill ended on the same Ctrl-C): the hook waits anyway
            }
            return status;
        } catch (IOException e) {
            err.println("vrrp-agent drill: cannot start " + String.join(" ", command) + ": " + e.getMessage());
            return NOT_FOUND;
        }
    }

    /**
     * The explicit setting alone, else beside the agent's jar (an install that keeps both in one directory), the
     * drill module's jar when the agent runs from a source tree (agent/target → drill/target), and the installed
     * location.
     */
    static List<Path> candidates(String property, String environment, Path agentJarDirectory) {
        if (property != null && !property.isBlank()) {
            return List.of(Path.of(property));
        }
        if (environment != null && !environment.isBlank()) {
            return List.of(Path.of(environment));
        }
        List<Path> paths = new ArrayList<>();
        if (agentJarDirectory != null) {
            paths.add(agentJarDirectory.resolve(JAR));
            if (agentJarDirectory.endsWith(Path.of("agent", "target"))) {
                paths.add(agentJarDirectory.resolveSibling("../drill/target").resolve(JAR).normalize());
            }
        }
        paths.add(INSTALLED);
        return paths;
    }

    /** agent/target both for the packaged jar (agent/target/vrrp-agent.jar) and for the classes of a test run. */
    private static Path agentJarDirectory() {
        var source = DrillLauncher.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        try {
            return Path.of(source.getLocation().toURI()).toAbsolutePath().getParent();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The java binary running this agent, so the drill gets the same Java version. */
    private static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static int waitUninterruptibly(Process process) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
