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
        LoadResult result = loadWithWarnings(file);
        result.warnings().forEach(LOG::warn);
        return result.config();
    }

    /** Loads and validates {@code file}, returning the warnings to the caller instead of logging them. */
    public static LoadResult loadWithWarnings(Path file) throws ConfigException {
        Problems problems = new Problems();
        String text = IncludeResolver.readText(file, null, problems);
        if (text == null) {
            throw new ConfigException(problems.errors());
        }
        List<Entry> entries = looksLikeYaml(text) ? YamlReader.read(text, file, problems)
                : KeepalivedParser.parse(file, problems);
        // validate even after syntax errors, so that one run reports as much as it can
        AgentConfig config = Validator.build(entries, problems);
        if (config == null) {
            throw new ConfigException(problems.errors());
        }
        return new LoadResult(config, problems.warnings());
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
