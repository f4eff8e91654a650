package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NginxCheckConfigTest {
    @TempDir
    Path dir;

    private static final String INSTANCE = """
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                priority 100
                virtual_ipaddress { 10.0.0.1 }
                track_script { nginx }
            }
            """;

    @Test
    void keepalivedBlockWithEveryKey() throws Exception {
        Path f = dir.resolve("k.conf");
        Files.writeString(f, """
                vrrp_track_nginx nginx {
                    pid_file /run/lab/ha1/nginx.pid
                    restart_command nginx -c /lab/ha1/nginx.conf -p /lab/ha1
                    probe_url http://127.0.0.1:80/health
                    probe_timeout 0.5
                    probe_status 204
                    probe_interval 2
                    interval 0.03
                    restart_attempts 2
                    restart_window 20
                    start_timeout 1.5
                    hold_down 7
                    weight -50
                }
                """ + INSTANCE);
        NginxCheckConfig c = ConfigLoader.load(f).nginxChecks().get("nginx");
        assertEquals(new NginxCheckConfig("nginx", "/run/lab/ha1/nginx.pid",
                List.of("nginx", "-c", "/lab/ha1/nginx.conf", "-p", "/lab/ha1"), "http://127.0.0.1:80/health", 500,
                204, 2000, 30, 2, 20_000, 1500, 7000, -50, new Source(f, 1)), c);
    }

    @Test
    void yamlNginxChecksWithDefaults() throws Exception {
        Path f = dir.resolve("a.yaml");
        Files.writeString(f, """
                nginx_checks:
                  nginx:
                    restart_command: "nginx -p /x"
                    interval: 50ms
                instances:
                  VI_1:
                    interface: eth0
                    virtual_router_id: 51
                    priority: 100
                    virtual_ipaddress: [10.0.0.1]
                    track_script: [nginx]
                """);
        NginxCheckConfig c = ConfigLoader.load(f).nginxChecks().get("nginx");
        assertEquals(List.of("nginx", "-p", "/x"), c.restartCommand());
        assertEquals(50, c.pollIntervalMs());
        assertEquals("/run/nginx.pid", c.pidFile());
        assertEquals(0, c.weight());
    }

    @Test
    void badValuesAreReportedInTheValidatorsStyle() throws Exception {
        Path f = dir.resolve("bad.conf");
        Files.writeString(f, """
                vrrp_track_nginx nginx {
                    pid_file run/nginx.pid
                    probe_url https://x/
                    restart_attempts -1
                    colour blue
                }
                vrrp_script nginx {
                    script /bin/true
                }
                """ + INSTANCE);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("pid_file must be an absolute path, got 'run/nginx.pid'"), all);
        assertTrue(all.contains("probe_url must be an http:// URL"), all);
        assertTrue(all.contains("restart_attempts"), all);
        assertTrue(all.contains("unknown keyword 'colour' in vrrp_track_nginx nginx"), all);
        assertTrue(all.contains("vrrp_track_nginx nginx: the name is already used"), all);
        assertEquals(5, e.problems().size(), all);
    }
}
