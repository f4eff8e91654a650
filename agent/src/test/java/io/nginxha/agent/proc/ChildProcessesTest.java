package io.nginxha.agent.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nginxha.agent.reliability.Ledger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every child the agent starts runs as: the configured user, and none of the agent's capabilities. */
class ChildProcessesTest {
    @Test
    void userSwitchOnlyWhenRoot() {
        assertEquals(List.of("runuser", "-u", "nobody", "-g", "nogroup", "--", "/chk"),
                ChildProcesses.asUser(List.of("/chk"), "nobody:nogroup", true));
        assertEquals(List.of("/chk"), ChildProcesses.asUser(List.of("/chk"), "nobody", false));
    }

    @Test
    void programsDoNotInheritTheAgentsAmbientCapabilities() throws Exception {
        assumeTrue(ChildProcesses.AGENT_IS_ROOT && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs root and setpriv");
        // The agent as the shipped unit starts it: user nobody here, with ambient CAP_NET_RAW (bit 13).
        List<String> asTheAgent = List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "--inh-caps=+net_raw", "--ambient-caps=+net_raw", "--");
        List<String> probe = List.of("/usr/bin/grep", "CapAmb", "/proc/self/status");
        assertEquals("CapAmb:\t0000000000002000", run(asTheAgent, probe), "the wrapper gives the capability");
        assertEquals("CapAmb:\t0000000000000000", run(asTheAgent, ChildProcesses.withoutCapabilities(probe, true)));
        Ledger.record("hardening", "scripts, notify and restart command started by an agent holding ambient"
                + " CAP_NET_RAW/CAP_NET_ADMIN (the systemd unit)", 1, "run with none (setpriv drops them)");
    }

    private String run(List<String> prefix, List<String> command) throws Exception {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(command);
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void onlyTheEndOfAHugeOutputIsReadBack(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("child.out");
        StringBuilder page = new StringBuilder();
        while (page.length() < 8 * 1024 * 1024) {
            page.append("<p>a page that a curl in a vrrp_script printed</p>\n");
        }
        page.append("HTTP 502 from the upstream\n");
        Files.writeString(out, page);
        String tail = ChildProcesses.outputTail(out);
        assertTrue(tail.startsWith("..."), tail.substring(0, 20));
        assertTrue(tail.endsWith("HTTP 502 from the upstream"), tail);
        assertTrue(tail.length() <= ChildProcesses.OUTPUT_TAIL_BYTES + 3,
                "read back " + tail.length() + " characters");
        Files.writeString(out, "short\n");
        assertEquals("short", ChildProcesses.outputTail(out));
    }
}
