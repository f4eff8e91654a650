package io.nginxha.agent.config;

import java.util.ArrayList;
import java.util.List;

/** Collects every error and warning of one load, each prefixed with file:line. */
final class Problems {
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    void error(Source at, String message) {
        errors.add(at + ": " + message);
    }

    void warn(Source at, String message) {
        warnings.add(at + ": " + message);
    }

    /** A problem not tied to a line, such as an unreadable file. */
    void error(String message) {
        errors.add(message);
    }

    int errorCount() {
        return errors.size();
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    List<String> errors() {
        return List.copyOf(errors);
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }
}
