package io.nginxha.agent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads a keepalived.conf and every file it includes into one word stream. An {@code include} pattern is
 * relative to the directory of the file that contains it and may use glob wildcards; matches are read in name
 * order. A file that includes itself, directly or through others, is an error naming the chain.
 */
final class IncludeResolver {
    private final Problems problems;
    private final Deque<Path> chain = new ArrayDeque<>();

    private IncludeResolver(Problems problems) {
        this.problems = problems;
    }

    /** The words of {@code file} and its includes; on an unreadable top-level file, an error and no words. */
    static List<Token> read(Path file, Problems problems) {
        List<Token> out = new ArrayList<>();
        new IncludeResolver(problems).readInto(file, null, out);
        return out;
    }

    /** Reads a whole file as UTF-8, reporting failures as "cannot read FILE: reason". */
    static String readText(Path file, Source includedFrom, Problems problems) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            String message = "cannot read " + file + ": " + reason(e);
            if (includedFrom == null) {
                problems.error(message);
            } else {
                problems.error(includedFrom, message);
            }
            return null;
        }
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return "not UTF-8 text";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private void readInto(Path file, Source includedFrom, List<Token> out) {
        Path key = file.toAbsolutePath().normalize();
        if (chain.contains(key)) {
            String loop = Stream.concat(chain.stream(), Stream.of(key)).map(Path::toString)
                    .collect(Collectors.joining(" -> "));
            problems.error(includedFrom, "include loop: " + loop);
            return;
        }
        String text = readText(file, includedFrom, problems);
        if (text == null) {
            return;
        }
        chain.addLast(key);
        List<Token> tokens = KeepalivedLexer.lex(text, file, problems);
        for (int i = 0; i < tokens.size(); ) {
            Token first = tokens.get(i);
            int end = i;
            while (end < tokens.size() && tokens.get(end).source().equals(first.source())) {
                end++;
            }
            if (!first.brace() && first.text().equals("include")) {
                include(file, tokens.subList(i + 1, end), first.source(), out);
            } else {
                out.addAll(tokens.subList(i, end));
            }
            i = end;
        }
        chain.removeLast();
    }

    private void include(Path includingFile, List<Token> words, Source at, List<Token> out) {
        if (words.size() != 1 || words.get(0).brace()) {
            problems.error(at, "include needs exactly one file name or glob pattern");
            return;
        }
        Path dir = includingFile.toAbsolutePath().getParent();
        Path pattern = dir.resolve(words.get(0).text()).normalize();
        if (!hasGlob(pattern.toString())) {
            readInto(pattern, at, out);
            return;
        }
        List<Path> matches = expand(pattern);
        if (matches.isEmpty()) {
            problems.warn(at, "include '" + words.get(0).text() + "' matched no files");
        }
        for (Path match : matches) {
            readInto(match, at, out);
        }
    }

    private static boolean hasGlob(String s) {
        return s.chars().anyMatch(c -> c == '*' || c == '?' || c == '[');
    }

    /** Expands a glob by walking from its longest wildcard-free directory, as deep as the pattern goes. */
    private static List<Path> expand(Path pattern) {
        Path base = pattern.getRoot();
        int depth = 0;
        boolean globSeen = false;
        for (Path part : pattern) {
            if (!globSeen && !hasGlob(part.toString())) {
                base = base.resolve(part);
            } else {
                globSeen = true;
                depth++;
            }
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        try (Stream<Path> walk = Files.walk(base, depth)) {
            return walk.filter(p -> matcher.matches(p) && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
