package io.nginxha.agent.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The per-interface kernel settings under /proc/sys (net/ipv4/conf/IF/arp_ignore ...), read and written as the
 * small integers they are. The agent's network namespace is the one whose settings /proc/sys/net shows.
 */
public interface Sysctls {

    /** The value of {@code key} (relative to /proc/sys), or null when the setting does not exist. */
    Integer read(String key) throws IOException;

    void write(String key, int value) throws IOException;

    /** The names in the directory {@code dir} (relative to /proc/sys), e.g. the interfaces of net/ipv4/conf. */
    default List<String> list(String dir) throws IOException {
        throw new IOException("listing " + dir + " is not supported here");
    }

    /** The real /proc/sys. */
    Sysctls PROC = new Sysctls() {
        private final Path root = Path.of("/proc/sys");

        @Override
        public Integer read(String key) throws IOException {
            try {
                return Integer.valueOf(Files.readString(root.resolve(key), StandardCharsets.US_ASCII).trim());
            } catch (NoSuchFileException e) {
                return null;
            } catch (NumberFormatException e) {
                throw new IOException("/proc/sys/" + key + " is not a number");
            }
        }

        @Override
        public List<String> list(String dir) throws IOException {
            try (Stream<Path> names = Files.list(root.resolve(dir))) {
                return names.map(p -> p.getFileName().toString()).sorted().toList();
            }
        }

        @Override
        public void write(String key, int value) throws IOException {
            Files.writeString(root.resolve(key), Integer.toString(value), StandardCharsets.US_ASCII);
        }
    };
}
