package io.nginxha.agent.config;

import java.nio.file.Path;

/** Where a setting was written, so every error and warning can name its file and line. */
public record Source(Path file, int line) {
    @Override
    public String toString() {
        return file + ":" + line;
    }
}
