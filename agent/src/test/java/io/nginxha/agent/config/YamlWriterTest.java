package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class YamlWriterTest {
    private static final Path RESOURCES = Path.of("src/test/resources/config");

    @ParameterizedTest
    @ValueSource(strings = {"seed-master.conf", "seed-backup.conf", "prod/keepalived.conf", "prod.yaml"})
    void convertedYamlLoadsBackToAnEqualConfig(String name) throws ConfigException {
        AgentConfig original = ConfigLoader.loadWithWarnings(RESOURCES.resolve(name)).config();
        String yaml = YamlWriter.write(original);
        LoadResult back = ConfigLoader.loadWithWarnings(Configs.write("converted.yaml", yaml));
        assertEquals(ConfigFixtures.withoutSources(original), ConfigFixtures.withoutSources(back.config()), yaml);
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed-master.conf"})
    void theComparisonSeesADifference(String name) throws ConfigException {
        AgentConfig original = ConfigLoader.loadWithWarnings(RESOURCES.resolve(name)).config();
        String changed = YamlWriter.write(original).replace("priority: 100", "priority: 101");
        AgentConfig back = ConfigLoader.loadWithWarnings(Configs.write("converted.yaml", changed)).config();
        assertNotEquals(ConfigFixtures.withoutSources(original), ConfigFixtures.withoutSources(back));
    }

    @ParameterizedTest
    @ValueSource(strings = {"prod/keepalived.conf"})
    void passwordsAndCommandsAreWrittenSoYamlKeepsThemStrings(String name) throws ConfigException {
        String yaml = YamlWriter.write(ConfigLoader.loadWithWarnings(RESOURCES.resolve(name)).config());
        assertTrue(yaml.startsWith("# Written by vrrp-agent convert"), yaml);
        assertTrue(yaml.contains("instances:"), yaml);
    }
}
