package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class YamlWriterTest {
    private static final Path RESOURCES = Path.of("src/test/resources/config");

    @ParameterizedTest
    @ValueSource(strings = {"seed-master.conf", "seed-backup.conf", "prod/keepalived.conf", "prod.yaml", "sync-group.conf", "strict.conf", "mcast.conf"})
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

    @org.junit.jupiter.api.Test
    void nginxChecksAndTrackFilesSurviveTheRoundTrip() throws ConfigException {
        Path conf = Configs.write("keepalived.conf", """
                vrrp_track_nginx nginx {
                    pid_file /run/lab/nginx.pid
                    restart_command nginx -c '/lab/my nginx.conf'
                    probe_url http://127.0.0.1/health
                    probe_timeout 0.25
                    interval 0.03
                    hold_down 7
                    weight -50
                }
                vrrp_track_nginx bare {
                    no_restart
                }
                track_file maint {
                    file /run/maint
                    weight 0 reverse
                    init_file 2 overwrite
                }
                track_file drain {
                    file /run/drain
                }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    priority 100
                    virtual_ipaddress { 10.0.0.1 }
                    track_script { nginx
                        bare weight -10 }
                    track_file { maint
                        drain weight 3 reverse }
                }
                """);
        AgentConfig original = ConfigLoader.loadWithWarnings(conf).config();
        String yaml = YamlWriter.write(original);
        assertTrue(yaml.contains("nginx_checks:") && yaml.contains("track_files:"), yaml);
        AgentConfig back = ConfigLoader.loadWithWarnings(Configs.write("converted.yaml", yaml)).config();
        assertEquals(2, back.nginxChecks().size(), yaml);
        assertEquals(List.of(), back.nginxChecks().get("bare").restartCommand(), yaml);
        assertEquals(ConfigFixtures.withoutSources(original), ConfigFixtures.withoutSources(back), yaml);
    }
}
