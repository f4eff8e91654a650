package io.nginxha.agent.config;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test resources and a way to compare configs from different files (their Sources necessarily differ). */
final class ConfigFixtures {
    private ConfigFixtures() { }

    static Path resource(String name) {
        try {
            return Path.of(ConfigFixtures.class.getResource("/config/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same config with every Source removed. */
    static AgentConfig withoutSources(AgentConfig c) {
        Map<String, ScriptConfig> scripts = new LinkedHashMap<>();
        c.scripts().forEach((name, s) -> scripts.put(name, new ScriptConfig(s.name(), s.command(), s.intervalMs(),
                s.timeoutMs(), s.weight(), s.weightReverse(), s.rise(), s.fall(), s.user(), null, s.initFail())));
        List<InstanceConfig> instances = c.instances().stream().map(i -> i.toBuilder().source(null)
                .vips(vips(i.vips())).excludedVips(vips(i.excludedVips())).trackScripts(tracked(i.trackScripts()))
                .trackInterfaces(tracked(i.trackInterfaces())).trackFiles(tracked(i.trackFiles())).build()).toList();
        Map<String, NginxCheckConfig> nginx = new LinkedHashMap<>();
        c.nginxChecks().forEach((name, n) -> nginx.put(name, n.withoutSource()));
        Map<String, TrackFileConfig> files = new LinkedHashMap<>();
        c.trackFiles().forEach((name, f) -> files.put(name, f.withoutSource()));
        List<SyncGroupConfig> groups = c.syncGroups().stream()
                .map(g -> new SyncGroupConfig(g.name(), g.members(), g.notifications(), null)).toList();
        return new AgentConfig(c.global(), scripts, instances, nginx, files, groups);
    }

    private static List<VirtualAddress> vips(List<VirtualAddress> vips) {
        return vips.stream().map(VirtualAddress::withoutSource).toList();
    }

    private static List<InstanceConfig.Tracked> tracked(List<InstanceConfig.Tracked> list) {
        return list.stream().map(t -> new InstanceConfig.Tracked(t.name(), t.weight(), t.reverse(), null)).toList();
    }
}
