package io.nginxha.agent.config;

import java.util.ArrayList;
import java.util.List;

/** Collects every error and warning of one load, each prefixed with file:line. */
final class Problems {
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    /** Set while reading keepalived.conf syntax: where keepalived drops a line with a warning, so do we. */
    private boolean keepalivedSyntax;

    /** Marks this load as keepalived.conf syntax (not the agent's YAML, which keeps those lines errors). */
    void readingKeepalivedSyntax() {
        keepalivedSyntax = true;
    }

    /** Whether a line keepalived drops with a warning is dropped with a warning (keepalived.conf) or refused (YAML). */
    boolean keepalivedSyntax() {
        return keepalivedSyntax;
    }

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
