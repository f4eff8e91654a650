package io.nginxha.agent.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sd_notify as systemd would receive it: a Unix datagram socket (bound by a small python3 helper, since JDK 17
 * cannot) gets READY=1 and then WATCHDOG=1 pings, rate-limited to half the watchdog period.
 */
class SystemdNotifierTest {
    interface LibC extends Library {
        int setenv(String name, String value, int overwrite);

        int unsetenv(String name);
    }

    private static final String RECEIVER = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.bind(sys.argv[1])
            open(sys.argv[1] + '.ready', 'w').close()
            s.settimeout(10)
            for _ in range(int(sys.argv[2])):
                print(s.recv(4096).decode().replace('\\n', '|'), flush=True)
            """;

    @Test
    void readyThenRateLimitedWatchdogPings(@TempDir Path dir) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "python3 missing");
        Assumptions.assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libsystemd.so.0"))
                || Files.exists(Path.of("/lib/x86_64-linux-gnu/libsystemd.so.0")), "libsystemd missing");
        Path socket = dir.resolve("notify.sock");
        Process receiver = new ProcessBuilder(python.toString(), "-c", RECEIVER, socket.toString(), "3")
                .redirectErrorStream(true).start();
        for (int i = 0; i < 200 && !Files.exists(Path.of(socket + ".ready")); i++) {
            Thread.sleep(10);
        }
        LibC libc = Native.load("c", LibC.class);
        libc.setenv("NOTIFY_SOCKET", socket.toString(), 1); // libsystemd reads the C environment itself
        try {
            SystemdNotifier n = SystemdNotifier.from(Map.of("NOTIFY_SOCKET", socket.toString(),
                    "WATCHDOG_USEC", "200000"));
            n.ready(2);
            n.loopAlive(); // too early: less than half the period since start
            Thread.sleep(120);
            n.loopAlive(); // pings
            n.loopAlive(); // too early again
            n.stopping();
        } finally {
            libc.unsetenv("NOTIFY_SOCKET");
        }
        assertTrue(receiver.waitFor(10, TimeUnit.SECONDS));
        String got = new String(receiver.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("READY=1|STATUS=2 VRRP instance(s) running|MAINPID=" + ProcessHandle.current().pid()
                + "\nWATCHDOG=1\nSTOPPING=1\n", got);
    }

    @Test
    void withoutNotifySocketNothingIsLoadedOrSent() {
        SystemdNotifier n = SystemdNotifier.from(Map.of());
        n.ready(1);
        n.loopAlive();
        n.stopping(); // would throw if it tried to use a library it did not load
    }
}
