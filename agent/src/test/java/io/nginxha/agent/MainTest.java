package io.nginxha.agent;

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
        assertTrue(err().contains("cannot read /nonexistent/keepalived.conf"), err());
    }

    @Test
    void helpAndVersionSucceed() {
        assertEquals(0, main("--help"));
        assertEquals(0, main("--version"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("vrrp-agent "));
    }
}
