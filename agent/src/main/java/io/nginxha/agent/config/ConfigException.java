package io.nginxha.agent.config;

import java.util.List;
import java.util.stream.Collectors;

/** A config that cannot be used; carries every problem found, each as {@code file:line: message}. */
public final class ConfigException extends Exception {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(problems.stream().collect(Collectors.joining(System.lineSeparator())));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(Source source, String message) {
        this(List.of(source + ": " + message));
    }

    public List<String> problems() {
        return problems;
    }
}
