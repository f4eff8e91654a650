package io.nginxha.agent.config;

import static io.nginxha.agent.config.ConfigFixtures.resource;
import static io.nginxha.agent.config.ConfigFixtures.withoutSources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamlConfigTest {

    @Test
    void yamlTwinEqualsKeepalivedConfigApartFromSources() throws Exception {
        AgentConfig conf = ConfigLoader.load(resource("prod/keepalived.conf"));
        LoadResult yaml = ConfigLoader.loadWithWarnings(resource("prod.yaml"));
        assertEquals(List.of(), yaml.warnings());
        assertEquals(withoutSources(conf), withoutSources(yaml.config()));
    }

    @Test
    void yamlSourcesPointIntoTheYamlFile() throws Exception {
        Path file = resource("prod.yaml");
        AgentConfig c = ConfigLoader.load(file);
        InstanceConfig web = c.instances().get(0);
        assertEquals(new Source(file, 31), web.source());
        assertEquals(new Source(file, 42), web.vips().get(0).source());
        assertEquals(new Source(file, 48), web.trackScripts().get(1).source());
        assertEquals(new Source(file, 16), c.scripts().get("chk_nginx").source());
    }

    @Test
    void seedInYamlEqualsSeedConf() throws Exception {
        Path yaml = Configs.write("agent.yml", """
                scripts:
                  chk_http_port: {script: "/usr/local/src/check_nginx_pid.sh", interval: 2s, weight: 2}
                instances:
                  VI_1:
                    state: MASTER
                    interface: eth0
                    virtual_router_id: 66
                    priority: 100
                    advert_int: 1
                    auth_pass: "1111"
                    track_script: [chk_http_port]
                    virtual_ipaddress: ["192.168.16.130"]
                """);
        assertEquals(withoutSources(ConfigLoader.load(resource("seed-master.conf"))),
                withoutSources(ConfigLoader.load(yaml)));
    }

    @Test
    void durationsAcceptMillisecondsSecondsAndNumbers() {
        assertEquals("0.1", YamlReader.seconds("100ms"));
        assertEquals("1.5", YamlReader.seconds("1.5s"));
        assertEquals("2", YamlReader.seconds("2"));
        assertEquals("fast", YamlReader.seconds("fast"));
    }

    @Test
    void formatIsChosenByContentNotName() throws Exception {
        assertTrue(ConfigLoader.looksLikeYaml("# comment\n\ninstances:\n  X: {}\n"));
        assertTrue(ConfigLoader.looksLikeYaml("---\nglobal: {}\n"));
        assertTrue(ConfigLoader.looksLikeYaml("global: {router_id: a}\n"));
        assertFalse(ConfigLoader.looksLikeYaml("! keepalived\nglobal_defs {\n}\n"));
        assertFalse(ConfigLoader.looksLikeYaml("include /etc/keepalived/conf.d/*.conf\n"));
        assertFalse(ConfigLoader.looksLikeYaml("vrrp_instance VI_1 {\n}\n"));
        // a YAML file named .conf and a keepalived file named .yaml both load
        Path yamlNamedConf = Configs.write("agent.conf", "instances:\n  V:\n    interface: eth0\n"
                + "    virtual_router_id: 3\n    virtual_ipaddress: 10.0.0.1\n");
        assertEquals(3, ConfigLoader.load(yamlNamedConf).instances().get(0).vrid());
        Path confNamedYaml = Configs.write("agent.yaml", Configs.instance(""));
        assertEquals(66, ConfigLoader.load(confNamedYaml).instances().get(0).vrid());
    }
}
