package io.nginxha.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages as layers (docs/architecture.md): each may use only the packages below it, so the graph has no
 * cycle and nothing calls upwards. Read from the sources: every import and every fully qualified name counts.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/io/nginxha/agent");
    private static final Pattern USE = Pattern.compile("\\bio\\.nginxha\\.agent\\.([a-z]+)\\.");

    /** Lower layers first; a package may use those listed for it and nothing else. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("config", Set.of()),
            Map.entry("os", Set.of()),
            Map.entry("vrrp", Set.of("config")),
            Map.entry("announce", Set.of("config")),
            Map.entry("net", Set.of("config", "vrrp", "os")),
            Map.entry("status", Set.of("config", "vrrp", "os")),
            Map.entry("proc", Set.of("config")),
            Map.entry("check", Set.of("config", "vrrp", "net", "status", "proc", "os")),
            Map.entry("notify", Set.of("config", "vrrp", "status", "proc", "os")),
            Map.entry("runtime", Set.of("config", "vrrp", "announce", "net", "status", "os")),
            Map.entry("cli", Set.of("config", "vrrp", "announce", "net", "status", "proc", "check", "notify", "runtime",
                    "os")));

    @Test
    void everyPackageUsesOnlyTheLayersBelowIt() throws IOException {
        Map<String, Set<String>> uses = uses();
        List<String> wrong = new ArrayList<>();
        uses.forEach((from, tos) -> {
            Set<String> allowed = ALLOWED.get(from);
            if (allowed == null) {
                wrong.add(from + ": a package without a layer (add it to docs/architecture.md and here)");
                return;
            }
            for (String to : tos) {
                if (!allowed.contains(to)) {
                    wrong.add(from + " -> " + to);
                }
            }
        });
        assertEquals(List.of(), wrong, "uses: " + uses);
    }

    @Test
    void theLayersThemselvesHaveNoCycle() {
        // Guards the table above: a cycle there would let the first test pass a cyclic graph.
        Set<String> done = new TreeSet<>();
        for (String p : ALLOWED.keySet()) {
            visit(p, new ArrayList<>(), done);
        }
        assertEquals(ALLOWED.keySet(), done);
    }

    @Test
    void noClassIsLeftAtTheTop() throws IOException {
        try (Stream<Path> top = Files.list(MAIN)) {
            assertEquals(List.of(), top.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList());
        }
    }

    @Test
    void theScanSeesEveryPackage() throws IOException {
        // A scan that found nothing would pass the layer test: it must see the packages that exist.
        assertTrue(uses().keySet().containsAll(Set.of("vrrp", "announce", "runtime", "cli", "check", "net")),
                uses().toString());
    }

    private static void visit(String p, List<String> path, Set<String> done) {
        assertTrue(!path.contains(p), "cycle in the layer table: " + path + " -> " + p);
        if (done.contains(p)) {
            return;
        }
        path.add(p);
        for (String q : ALLOWED.getOrDefault(p, Set.of())) {
            visit(q, path, done);
        }
        path.remove(path.size() - 1);
        done.add(p);
    }

    private static Map<String, Set<String>> uses() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String from = MAIN.relativize(f.getParent()).toString().split("/")[0];
                Set<String> tos = uses.computeIfAbsent(from, k -> new TreeSet<>());
                for (String line : Files.readAllLines(f)) {
                    if (line.startsWith("package ")) {
                        continue;
                    }
                    Matcher m = USE.matcher(line);
                    while (m.find()) {
                        if (!m.group(1).equals(from)) {
                            tos.add(m.group(1));
                        }
                    }
                }
            }
        }
        return uses;
    }
}
