package io.nginxha.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int main(String... args) {
        return Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noCommandIsBadUsage() {
        assertEquals(2, main());
        assertTrue(err().contains("no command given"), err());
    }

    @Test
    void unknownCommandIsBadUsage() {
        assertEquals(2, main("start"));
        assertTrue(err().contains("unknown command 'start'"), err());
    }

    @Test
    void runNeedsAConfigFile() {
        assertEquals(2, main("run"));
        assertTrue(err().contains("run needs -c FILE"), err());
    }

    @Test
    void optionWithoutValueIsBadUsage() {
        assertEquals(2, main("check-config", "-c"));
        assertTrue(err().contains("option -c needs a value"), err());
    }

    @Test
    void unknownLogLevelIsBadUsage() {
        assertEquals(2, main("run", "-c", "x.conf", "--log-level", "LOUD"));
        assertTrue(err().contains("unknown log level 'LOUD'"), err());
    }

    @Test
    void unreadableFileFails() {
        assertEquals(1, main("check-config", "-c", "/nonexistent/keepalived.conf"));
        assertTrue(err().contains("/nonexistent/keepalived.conf: cannot read: no such file"), err());
    }

    @Test
    void helpAndVersionSucceed() {
        assertEquals(0, main("--help"));
        assertEquals(0, main("--version"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("vrrp-agent "));
    }

    @Test
    void checkConfigPrintsWarningsAndSucceeds() {
        assertEquals(0, main("check-config", "-c", "src/test/resources/config/seed-master.conf"));
        assertTrue(err().contains("warning: src/test/resources/config/seed-master.conf:6: vrrp_instance VI_1 uses "
                + "auth_pass 1111"), err());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("OK, 1 VRRP instance(s)"));
    }

    @Test
    void checkConfigWithPeerWarnsOnlyAboutRealDifferences() {
        assertEquals(0, main("check-config", "-c", "src/test/resources/config/seed-master.conf",
                "--peer", "src/test/resources/config/seed-backup.conf"));
        assertTrue(!err().contains("the same as"), err());
    }

    @Test
    void checkConfigListsEveryErrorWithItsLineAndFails() throws Exception {
        java.nio.file.Path bad = java.nio.file.Files.createTempFile("bad", ".conf");
        java.nio.file.Files.writeString(bad, "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 300\n"
                + " priority 0\n virtual_ipaddress { 10.0.0.1 }\n}\n");
        try {
            assertEquals(1, main("check-config", "-c", bad.toString()));
            assertTrue(err().contains("error: " + bad + ":3: "), err());
            assertTrue(err().contains("error: " + bad + ":4: "), err());
            assertTrue(err().contains("3 error(s)"), err()); // the range error, then the missing VRID it leaves
        } finally {
            java.nio.file.Files.delete(bad);
        }
    }

    @Test
    void convertPrintsYaml() {
        assertEquals(0, main("convert", "src/test/resources/config/seed-master.conf"));
        String yaml = out.toString(StandardCharsets.UTF_8);
        assertTrue(yaml.contains("  VI_1:\n"), yaml);
        assertTrue(yaml.contains("auth_pass: '1111'"), yaml);
    }

    @Test
    void statusWithoutAgentFails() {
        assertEquals(1, main("status", "--port", "1"));
        assertTrue(err().contains("no agent answers on http://127.0.0.1:1/status/table"), err());
    }
}
