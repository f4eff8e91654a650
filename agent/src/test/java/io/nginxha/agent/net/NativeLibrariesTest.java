package io.nginxha.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativeLibrariesTest {
    private static List<String> dirs(String arch) {
        return Arrays.asList(NativeLibraries.searchPath(arch).split(":"));
    }

    @Test
    void multiarchDirectoryComesFirstAndOnlyExistingOnesAreListed() {
        List<String> amd64 = dirs("amd64");
        assertTrue(amd64.stream().allMatch(d -> Files.isDirectory(Path.of(d))), amd64.toString());
        if (Files.isDirectory(Path.of("/usr/lib/x86_64-linux-gnu"))) {
            assertEquals("/usr/lib/x86_64-linux-gnu", amd64.get(0));
        }
        assertEquals(amd64, dirs("x86_64"), "the JDK says amd64, uname says x86_64: the same directories");
        assertFalse(dirs("aarch64").contains("/usr/lib/x86_64-linux-gnu"), dirs("aarch64").toString());
        assertTrue(dirs("riscv64").contains("/usr/lib"), "an unknown architecture still gets the plain directories");
    }

    @Test
    void libcAndLibpcapAreFoundThereWithoutLdconfig() {
        List<String> here = dirs(System.getProperty("os.arch"));
        assertTrue(here.stream().anyMatch(d -> Files.exists(Path.of(d, "libc.so.6"))), here.toString());
        assertTrue(here.stream().anyMatch(d -> {
            try (var files = Files.list(Path.of(d))) {
                return files.anyMatch(f -> f.getFileName().toString().startsWith("libpcap.so."));
            } catch (java.io.IOException e) {
                return false;
            }
        }), "libpcap (installed by scripts/install-deps) is in one of " + here);
    }
}
