package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackFileConfigTest {
    @TempDir
    Path dir;

    private static final String INSTANCE = """
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                priority 100
                virtual_ipaddress { 10.0.0.1 }
                track_file {
                    maint
                    drain weight -5 reverse
                }
            }
            """;

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void keepalivedBlocksAndTheDeprecatedSynonym() throws Exception {
        Path f = write("k.conf", """
                track_file maint {
                    file /run/vrrp-agent/maint
                    weight 0
                    init_file
                }
                vrrp_track_file drain {
                    file "/var/lib/drain"
                    weight 10 reverse
                    init_file 3 overwrite
                }
                """ + INSTANCE);
        AgentConfig c = ConfigLoader.load(f);
        assertEquals(new TrackFileConfig("maint", "/run/vrrp-agent/maint", 0, false, 0, false, new Source(f, 1)),
                c.trackFiles().get("maint"));
        assertEquals(new TrackFileConfig("drain", "/var/lib/drain", 10, true, 3, true, new Source(f, 6)),
                c.trackFiles().get("drain"));
        assertEquals(List.of(new InstanceConfig.Tracked("maint", null, false, new Source(f, 17)),
                new InstanceConfig.Tracked("drain", -5, true, new Source(f, 18))), c.instances().get(0).trackFiles());
    }

    @Test
    void keepalivedsDefaultsWeightOneAndNoInit() throws Exception {
        Path f = write("k.conf", "track_file maint {\n file /run/maint\n}\ntrack_file drain {\n file /run/drain\n}\n"
                + INSTANCE);
        assertEquals(new TrackFileConfig("maint", "/run/maint", 1, false, null, false, new Source(f, 1)),
                ConfigLoader.load(f).trackFiles().get("maint"));
    }

    @Test
    void yamlGivesTheSameConfig() throws Exception {
        Path conf = write("k.conf", """
                track_file maint {
                    file /run/maint
                    weight 0
                }
                track_file drain {
                    file /run/drain
                    weight -3 reverse
                    init_file 1
                }
                """ + INSTANCE);
        Path yaml = write("a.yaml", """
                track_files:
                  maint:
                    file: /run/maint
                    weight: 0
                  drain: {file: /run/drain, weight: -3 reverse, init_file: 1}
                instances:
                  VI_1:
                    interface: eth0
                    virtual_router_id: 51
                    priority: 100
                    virtual_ipaddress: [10.0.0.1]
                    track_file: [maint, {name: drain, weight: -5, reverse: true}]
                """);
        assertEquals(ConfigFixtures.withoutSources(ConfigLoader.load(conf)),
                ConfigFixtures.withoutSources(ConfigLoader.load(yaml)));
    }

    @Test
    void anAddressOwnerTakesWeightOneAsZeroAndIgnoresOtherWeights() throws Exception {
        Path f = write("k.conf", "track_file maint {\n file /run/maint\n}\ntrack_file drain {\n file /run/drain\n}\n"
                + INSTANCE.replace("priority 100", "priority 255"));
        LoadResult r = ConfigLoader.loadWithWarnings(f);
        assertEquals(List.of(new InstanceConfig.Tracked("maint", 0, false, new Source(f, 13))),
                r.config().instances().get(0).trackFiles());
        assertEquals(List.of(f + ":13: vrrp_instance VI_1 is the address owner: track_file maint is taken with "
                        + "weight 0 (FAULT while non-zero), as keepalived does",
                f + ":14: vrrp_instance VI_1 is the address owner: track_file drain with weight -5 is ignored, as "
                        + "keepalived does (use weight 0)"),
                r.warnings().stream().filter(w -> w.contains("address owner")).toList());
    }

    @Test
    void badBlocksNameFileLineAndSetting() throws Exception {
        Path f = write("k.conf", """
                track_file maint {
                    file run/maint
                    weight 300
                    init_file 0 twice
                    interval 1
                }
                track_file drain {
                    weight 1
                }
                """ + INSTANCE.replace("maint\n", "maint\n        nope\n"));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f));
        List<String> expected = List.of(
                f + ":2: file of track_file maint must be an absolute path, got 'run/maint'",
                f + ":3: weight of track_file maint must be an integer -254..254, got '300'",
                f + ":4: init_file value of track_file maint must be an integer -254..254, got 'twice'",
                f + ":5: unknown keyword 'interval' in track_file maint",
                f + ":1: track_file maint needs 'file PATH'",
                f + ":7: track_file drain needs 'file PATH'",
                f + ":17: track_file 'nope' in vrrp_instance VI_1 is not defined by any track_file block");
        for (String line : expected) {
            assertTrue(e.problems().contains(line), () -> "expected " + line + "\nbut got " + e.problems());
        }
    }
}
