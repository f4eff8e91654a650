package io.nginxha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncludeTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    @Test
    void nestedIncludesAreRelativeToTheIncludingFile() throws Exception {
        Path main = write("keepalived.conf", "include sub/one.conf\n");
        write("sub/one.conf", "include two/*.conf   # relative to sub/\n");
        Path two = write("sub/two/instance.conf", "\n" + Configs.instance(""));
        InstanceConfig vi = ConfigLoader.load(main).instances().get(0);
        assertEquals(new Source(two.toAbsolutePath(), 2), vi.source());
    }

    @Test
    void globMatchesAreReadInNameOrder() throws Exception {
        Path main = write("keepalived.conf", "include conf.d/*.conf\n");
        write("conf.d/b.conf", Configs.instance("").replace("VI_1", "B").replace("66", "2"));
        write("conf.d/a.conf", Configs.instance("").replace("VI_1", "A").replace("66", "1"));
        write("conf.d/c.txt", "not included at all {\n");
        assertEquals(List.of("A", "B"), ConfigLoader.load(main).instances().stream().map(InstanceConfig::name).toList());
    }

    @Test
    void includeLoopIsAnErrorNamingTheChain() throws Exception {
        Path a = write("a.conf", Configs.instance("") + "include b.conf\n");
        Path b = write("b.conf", "\ninclude a.conf\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(a));
        assertEquals(List.of(b.toAbsolutePath() + ":2: include loop: " + a.toAbsolutePath() + " -> "
                + b.toAbsolutePath() + " -> " + a.toAbsolutePath()), e.problems());
    }

    @Test
    void missingTopLevelFile() {
        Path missing = dir.resolve("nope.conf");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing));
        assertEquals(List.of("cannot read " + missing + ": No such file"), e.problems());
    }

    @Test
    void missingIncludedFileNamesTheIncludeLine() throws Exception {
        Path main = write("keepalived.conf", Configs.instance("") + "include extra.conf\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(main));
        assertEquals(List.of(main + ":6: cannot read " + dir.toAbsolutePath().resolve("extra.conf") + ": No such file"),
                e.problems());
    }

    @Test
    void globWithoutMatchesWarns() throws Exception {
        Path main = write("keepalived.conf", "include none/*.conf\n" + Configs.instance(""));
        LoadResult r = ConfigLoader.loadWithWarnings(main);
        assertEquals(List.of(main + ":1: include 'none/*.conf' matched no files"), r.warnings());
    }

    @Test
    void errorsInIncludedFilesNameThatFile() throws Exception {
        Path main = write("keepalived.conf", "include inc.conf\n");
        Path inc = write("inc.conf", Configs.instance(" prority 5\n"));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(main));
        assertEquals(List.of(inc.toAbsolutePath() + ":5: unknown keyword 'prority' in vrrp_instance VI_1 "
                + "(did you mean 'priority'?)"), e.problems());
    }
}
