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
    private static final java.util.regex.Pattern DEFINITION =
            java.util.regex.Pattern.compile("(@\\^?\\S+[ \t]+)?\\$[A-Za-z_]\\w*=.*");

    private final Problems problems;
    private final Preprocessor preprocessor;
    private final Deque<Path> chain = new ArrayDeque<>();

    private IncludeResolver(Problems problems, String configId) {
        this.problems = problems;
        this.preprocessor = new Preprocessor(configId, problems);
    }

    /**
     * The words of {@code file} and its includes, preprocessed for {@code configId} (keepalived's -i); on an
     * unreadable top-level file, an error and no words.
     */
    static List<Token> read(Path file, String configId, Problems problems) {
        List<Token> out = new ArrayList<>();
        new IncludeResolver(problems, configId).readInto(file, null, out);
        return out;
    }

    /**
     * The lines of {@code bytes} without their comments, decoded as UTF-8. Bytes that are not UTF-8 are allowed
     * in comments (configs written in Chinese often carry GBK comments) and are an error anywhere else.
     */
    static List<String> commentFreeLines(byte[] bytes, Path file, Problems problems) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int lineNo = 1; start <= bytes.length; lineNo++) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            int cut = commentStart(bytes, start, end);
            int last = cut;
            while (last > start && bytes[last - 1] == '\r') {
                last--;
            }
            Source at = new Source(file, lineNo);
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .decode(java.nio.ByteBuffer.wrap(bytes, start, last - start)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                problems.error(at, "bytes that are not UTF-8 outside a comment (only comments may hold another "
                        + "encoding)");
                text = "";
            }
            lines.add(KeepalivedLexer.stripComment(text, at, problems));
            start = end + 1;
        }
        return lines;
    }

    /** Where a '#' or '!' comment starts between {@code start} and {@code end}, outside double quotes. */
    private static int commentStart(byte[] b, int start, int end) {
        boolean quoted = false;
        for (int i = start; i < end; i++) {
            if (b[i] == '"') {
                quoted = !quoted;
            } else if (b[i] == '\\' && !quoted && i + 1 < end && (b[i + 1] == '#' || b[i + 1] == '!')) {
                i++;
            } else if (!quoted && (b[i] == '#' || b[i] == '!')) {
                return i;
            }
        }
        return end;
    }

    /** Reads a whole file, reporting failures as "cannot read FILE: reason". */
    static byte[] readBytes(Path file, Source includedFrom, Problems problems) {
        try {
            return Files.readAllBytes(file);
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
        byte[] bytes = readBytes(file, includedFrom, problems);
        if (bytes == null) {
            return;
        }
        chain.addLast(key);
        preprocessor.enterFile(file);
        List<String> lines = commentFreeLines(bytes, file, problems);
        for (int i = 0; i < lines.size(); i++) {
            Source at = new Source(file, i + 1);
            String line = lines.get(i);
            // a trailing '\' joins lines (keepalived itself continues only $NAME= definitions, which the
            // preprocessor reads on its own)
            while (line.endsWith("\\") && !preprocessor.collecting() && !DEFINITION.matcher(line.strip()).matches() && i + 1 < lines.size()) {
                line = line.substring(0, line.length() - 1) + " " + lines.get(++i);
            }
            preprocessor.line(line, at, (text, source) -> {
                if (text.startsWith("include") && (text.length() == 7 || Character.isWhitespace(text.charAt(7)))) {
                    List<Token> words = new ArrayList<>();
                    KeepalivedLexer.split(text, source, words);
                    include(file, words.subList(1, words.size()), source, out);
                    preprocessor.enterFile(file); // back in this file: $_PWD is its directory again
                } else {
                    KeepalivedLexer.split(text, source, out);
                }
            });
        }
        preprocessor.endFile();
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
