package io.nginxha.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrillLauncherTest {

    /** Stands in for the drill's jar: writes its arguments to the file named first, exits 3. */
    public static final class FakeDrill {
        public static void main(String[] args) throws IOException {
            Files.writeString(Path.of(args[0]), String.join("|", List.of(args).subList(1, args.length)));
            System.exit(3);
        }
    }

    @Test
    void runsTheFirstJarFoundWithTheArgumentsAndReturnsItsStatus(@TempDir Path dir) throws IOException {
        Path jar = fakeDrillJar(dir.resolve("nginx-ha-drill.jar"));
        Path argsFile = dir.resolve("args");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DrillLauncher.forward(List.of(argsFile.toString(), "-i", "inventory/lab", "stop nginx"),
                List.of(dir.resolve("missing.jar"), jar), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(3, status);
        assertEquals("-i|inventory/lab|stop nginx", Files.readString(argsFile));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withoutTheJarSaysItIsTheSeparateCommandAndWhereItLooked(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DrillLauncher.forward(List.of("--help"), List.of(dir.resolve("a.jar"), dir.resolve("b.jar")),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, status);
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("separate command nginx-ha-drill"), message);
        assertTrue(message.contains(dir.resolve("a.jar") + ", " + dir.resolve("b.jar")), message);
        assertTrue(message.contains("NGINX_HA_DRILL_JAR"), message);
    }

    @Test
    void anExplicitSettingIsTheOnlyPlaceLookedAt() {
        Path agentDir = Path.of("/opt/nha/agent/target");
        assertEquals(List.of(Path.of("/p.jar")), DrillLauncher.candidates("/p.jar", "/e.jar", agentDir));
        assertEquals(List.of(Path.of("/e.jar")), DrillLauncher.candidates(null, "/e.jar", agentDir));
        assertEquals(List.of(Path.of("/e.jar")), DrillLauncher.candidates("", "/e.jar", agentDir));
    }

    @Test
    void otherwiseBesideTheAgentThenTheSourceTreeThenTheInstalledPlace() {
        assertEquals(List.of(Path.of("/opt/nha/agent/target/nginx-ha-drill.jar"),
                        Path.of("/opt/nha/drill/target/nginx-ha-drill.jar"),
                        Path.of("/usr/share/nginx-ha/nginx-ha-drill.jar")),
                DrillLauncher.candidates(null, null, Path.of("/opt/nha/agent/target")));
        assertEquals(List.of(Path.of("/usr/lib/vrrp-agent/nginx-ha-drill.jar"),
                        Path.of("/usr/share/nginx-ha/nginx-ha-drill.jar")),
                DrillLauncher.candidates(null, null, Path.of("/usr/lib/vrrp-agent")));
        assertEquals(List.of(Path.of("/usr/share/nginx-ha/nginx-ha-drill.jar")),
                DrillLauncher.candidates(null, " ", null));
    }

    private static Path fakeDrillJar(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeDrill.class.getName());
        String entry = FakeDrill.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream classFile = FakeDrill.class.getResourceAsStream("/" + entry)) {
            out.putNextEntry(new JarEntry(entry));
            classFile.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }
}
