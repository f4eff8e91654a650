package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        assertEquals(withoutSources(original), withoutSources(back.config()), yaml);
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed-master.conf"})
    void theComparisonSeesADifference(String name) throws ConfigException {
        AgentConfig original = ConfigLoader.loadWithWarnings(RESOURCES.resolve(name)).config();
        String changed = YamlWriter.write(original).replace("priority: 100", "priority: 101");
        AgentConfig back = ConfigLoader.loadWithWarnings(Configs.write("converted.yaml", changed)).config();
        assertNotEquals(withoutSources(original), withoutSources(back));
    }

    @ParameterizedTest
    @ValueSource(strings = {"prod/keepalived.conf"})
    void passwordsAndCommandsAreWrittenSoYamlKeepsThemStrings(String name) throws ConfigException {
        String yaml = YamlWriter.write(ConfigLoader.loadWithWarnings(RESOURCES.resolve(name)).config());
        assertTrue(yaml.startsWith("# Written by vrrp-agent convert"), yaml);
        assertTrue(yaml.contains("instances:"), yaml);
    }

    /** Sources name the file and line, which differ by design between the two files. */
    static AgentConfig withoutSources(AgentConfig c) {
        Map<String, ScriptConfig> scripts = new LinkedHashMap<>();
        c.scripts().forEach((k, s) -> scripts.put(k, new ScriptConfig(s.name(), s.command(), s.intervalMs(),
                s.timeoutMs(), s.weight(), s.weightReverse(), s.rise(), s.fall(), s.user(), null, s.initFail())));
        List<InstanceConfig> instances = c.instances().stream().map(i -> new InstanceConfig(i.name(),
                i.initialState(), i.iface(), i.vrid(), i.priority(), i.intervalCs(), i.version(), i.authPass(),
                vips(i.vips()), i.preempt(), i.preemptDelaySec(), i.unicastSrc(), i.unicastPeers(),
                tracked(i.trackScripts()), tracked(i.trackInterfaces()), tracked(i.trackFiles()), i.notifications(),
                i.garp(), null, vips(i.excludedVips()), i.dontTrackPrimary())).toList();
        return new AgentConfig(c.global(), scripts, instances);
    }

    private static List<VirtualAddress> vips(List<VirtualAddress> vips) {
        return vips.stream().map(v -> new VirtualAddress(v.address(), v.prefix(), v.dev(), v.label(), null)).toList();
    }

    private static List<InstanceConfig.Tracked> tracked(List<InstanceConfig.Tracked> t) {
        return t.stream().map(x -> new InstanceConfig.Tracked(x.name(), x.weight(), x.reverse(), null)).toList();
    }
}
