package io.nginxha.agent.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes inline config text to a fresh temporary file and loads it. */
final class Configs {
    private static Path last;

    private Configs() { }

    static Path write(String fileName, String text) {
        try {
            Path dir = Files.createTempDirectory("vrrp-config-test");
            dir.toFile().deleteOnExit();
            last = dir.resolve(fileName);
            Files.writeString(last, text);
            last.toFile().deleteOnExit();
            return last;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file written last. */
    static Path file() {
        return last;
    }

    static LoadResult load(String keepalivedConf) throws ConfigException {
        return ConfigLoader.loadWithWarnings(write("keepalived.conf", keepalivedConf));
    }

    /** A valid instance VI_1 whose lines from 5 on are {@code extra}. */
    static String instance(String extra) {
        return "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 66\n virtual_ipaddress { 10.1.1.1 }\n"
                + extra + "}\n";
    }
}
