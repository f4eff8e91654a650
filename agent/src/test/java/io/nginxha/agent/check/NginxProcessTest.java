package io.nginxha.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NginxProcessTest {
    @TempDir
    Path dir;

    private long check(String pid, String stat) throws Exception {
        Path pidFile = dir.resolve("nginx.pid");
        Files.writeString(pidFile, pid);
        Path proc = dir.resolve("proc");
        Files.createDirectories(proc.resolve("42"));
        Files.writeString(proc.resolve("42/stat"), stat);
        return new NginxProcess(pidFile, proc).alivePid();
    }

    @Test
    void aliveNginxMaster() throws Exception {
        assertEquals(42, check("42\n", "42 (nginx) S 1 42 42 0 -1"));
    }

    @Test
    void zombieOtherProgramOrStalePidAreDown() throws Exception {
        assertEquals(-1, check("42\n", "42 (nginx) Z 1 42 42 0 -1"));
        assertEquals(-1, check("42\n", "42 (bash) S 1 42 42 0 -1"));
        assertEquals(-1, check("43\n", "42 (nginx) S 1 42 42 0 -1"));
        assertEquals(-1, check("garbage", "42 (nginx) S 1 42 42 0 -1"));
    }

    @Test
    void missingPidFileIsDown() {
        assertEquals(-1, new NginxProcess(dir.resolve("none.pid"), dir).alivePid());
    }
}
