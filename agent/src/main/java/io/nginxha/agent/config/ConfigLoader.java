package io.nginxha.agent.config;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a keepalived.conf or the agent's YAML, chosen by the file's content rather than its name: YAML when the
 * first thing that is not a comment is a document marker, a flow mapping or a {@code key:}; keepalived otherwise.
 * Every problem of the file (not just the first) comes back at once as {@link ConfigException#problems()}.
 */
public final class ConfigLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
    private static final Pattern YAML_START = Pattern.compile("(---|\\{|[A-Za-z_][\\w.-]*\\s*:(\\s|$)).*", Pattern.DOTALL);

    private ConfigLoader() { }

    /** Loads and validates {@code file}, logging each warning. */
    public static AgentConfig load(Path file) throws ConfigException {
        return load(file, defaultConfigId());
    }

    /** Loads {@code file} with {@code configId} choosing the {@code @ID} lines, logging each warning. */
    public static AgentConfig load(Path file, String configId) throws ConfigException {
        LoadResult result = loadWithWarnings(file, configId);
        result.warnings().forEach(LOG::warn);
        return result.config();
    }

    /** Loads and validates {@code file}, returning the warnings to the caller instead of logging them. */
    public static LoadResult loadWithWarnings(Path file) throws ConfigException {
        return loadWithWarnings(file, defaultConfigId());
    }

    /**
     * Loads and validates {@code file}; {@code configId} is keepalived's config id ({@code -i}): the {@code @ID}
     * lines kept, and $_INSTANCE.
     */
    public static LoadResult loadWithWarnings(Path file, String configId) throws ConfigException {
        Problems problems = new Problems();
        byte[] bytes = IncludeResolver.readBytes(file, null, problems);
        if (bytes == null) {
            throw new ConfigException(problems.errors());
        }
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        List<Entry> entries;
        if (looksLikeYaml(text)) {
            if (text.indexOf('\uFFFD') >= 0) {
                problems.error("cannot read " + file + ": not UTF-8 text");
                throw new ConfigException(problems.errors());
            }
            entries = YamlReader.read(text, file, problems);
        } else {
            problems.readingKeepalivedSyntax();
            entries = KeepalivedParser.parse(file, configId, problems);
        }
        // validate even after syntax errors, so that one run reports as much as it can
        AgentConfig config = Validator.build(entries, problems);
        if (config == null) {
            throw new ConfigException(problems.errors());
        }
        return new LoadResult(config, problems.warnings());
    }

    /** keepalived's default config id: the host name up to its first dot. */
    public static String defaultConfigId() {
        String host = GlobalBuilder.hostName();
        int dot = host.indexOf('.');
        return dot < 0 ? host : host.substring(0, dot);
    }

    static boolean looksLikeYaml(String text) {
        for (String line : text.split("\r?\n")) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#") || s.startsWith("!")) {
                continue;
            }
            return YAML_START.matcher(s).matches();
        }
        return false;
    }
}
