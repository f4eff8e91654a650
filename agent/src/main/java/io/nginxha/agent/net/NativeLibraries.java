package io.nginxha.agent.net;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where JNA looks for libc and libpcap. Left alone, JNA's first use runs {@code /sbin/ldconfig -p} to learn
 * the library directories: a process started between the agent's exec and its first advert (tens of ms of the
 * start-up budget). The directories are known from the architecture, so they are given to JNA instead, through
 * its own {@code jna.platform.library.path} property. Must run before anything touches JNA or pcap4j.
 */
public final class NativeLibraries {
    static final String PROPERTY = "jna.platform.library.path";

    private NativeLibraries() { }

    /** Sets the search path unless the operator set one (-Djna.platform.library.path=...). */
    public static void configure() {
        if (System.getProperty(PROPERTY) == null) {
            String path = searchPath(System.getProperty("os.arch", ""));
            if (!path.isEmpty()) {
                System.setProperty(PROPERTY, path);
            }
        }
    }

    /** The existing library directories for {@code osArch}: Debian's multiarch ones first, then RHEL's and the plain. */
    static String searchPath(String osArch) {
        List<String> dirs = new ArrayList<>();
        String triplet = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64", "arm64" -> "aarch64-linux-gnu";
            default -> null;
        };
        if (triplet != null) {
            dirs.add("/usr/lib/" + triplet);
            dirs.add("/lib/" + triplet);
        }
        dirs.addAll(List.of("/usr/lib64", "/lib64", "/usr/lib", "/lib"));
        dirs.removeIf(d -> !Files.isDirectory(Path.of(d)));
        return String.join(":", dirs);
    }
}
