package io.nginxha.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.TrackProcessConfig;
import io.nginxha.agent.config.TrackProcessConfig.ParamMatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which processes a vrrp_track_process counts, and the /proc reading it counts them from. */
class ProcessMatchTest {
    @TempDir
    Path dir;

    private static TrackProcessConfig named(String process, boolean full, ParamMatch m, String... params) {
        return new TrackProcessConfig("t", process, List.of(params), m, full, 0, false, 1, Integer.MAX_VALUE, 0, 0,
                null);
    }

    private static ProcessMatch.Proc proc(String comm, String... argv) {
        return new ProcessMatch.Proc(10, 1, comm, false, List.of(argv));
    }

    @Test
    void theProcessNameExactlyNeverAPattern() {
        TrackProcessConfig ssh = named("ssh", false, ParamMatch.NONE);
        assertTrue(ProcessMatch.matches(ssh, proc("ssh")));
        assertFalse(ProcessMatch.matches(ssh, proc("sshd")), "pgrep ssh would; keepalived does not");
        assertFalse(ProcessMatch.matches(ssh, new ProcessMatch.Proc(10, 1, "ssh", true, List.of())), "a zombie");
    }

    @Test
    void fullCommandComparesTheFirstWordOfTheCommandLine() {
        TrackProcessConfig nginx = named("/usr/sbin/nginx", true, ParamMatch.NONE);
        assertTrue(ProcessMatch.matches(nginx, proc("nginx", "/usr/sbin/nginx", "-g", "daemon on;")));
        assertFalse(ProcessMatch.matches(nginx, proc("nginx", "nginx: worker process")));
        assertFalse(ProcessMatch.matches(nginx, proc("nginx")), "a kernel thread has no command line");
    }

    @Test
    void parametersExactPartialAndInitial() {
        ProcessMatch.Proc p = proc("haproxy", "/usr/sbin/haproxy", "-f", "/etc/haproxy/haproxy.cfg", "-p", "/run/x");
        assertTrue(ProcessMatch.matches(named("/usr/sbin/haproxy", true, ParamMatch.EXACT, "-f",
                "/etc/haproxy/haproxy.cfg", "-p", "/run/x"), p));
        assertFalse(ProcessMatch.matches(named("/usr/sbin/haproxy", true, ParamMatch.EXACT, "-f",
                "/etc/haproxy/haproxy.cfg"), p), "exact: not the first two only");
        assertTrue(ProcessMatch.matches(named("/usr/sbin/haproxy", true, ParamMatch.PARTIAL, "-f",
                "/etc/haproxy/haproxy.cfg"), p), "partial: the first two exactly");
        assertFalse(ProcessMatch.matches(named("/usr/sbin/haproxy", true, ParamMatch.PARTIAL, "-f", "/etc/hap"), p));
        assertTrue(ProcessMatch.matches(named("/usr/sbin/haproxy", true, ParamMatch.INITIAL, "-f", "/etc/hap"), p),
                "initial: the last one as a prefix");
        assertFalse(ProcessMatch.matches(named("/usr/sbin/haproxy", true, ParamMatch.INITIAL, "-x", "/etc/hap"), p));
        assertTrue(ProcessMatch.matches(named("/usr/sbin/haproxy", true, ParamMatch.EXACT),
                proc("haproxy", "/usr/sbin/haproxy")), "param_match with no parameters: none allowed");
        assertFalse(ProcessMatch.matches(named("/usr/sbin/haproxy", true, ParamMatch.EXACT), p));
    }

    @Test
    void statLinesWithBlanksAndParenthesesInTheName() {
        ProcessMatch.Proc p = ProcessTable.parseStat(42, "42 (Web (Content) x) S 7 42 42 0 -1 4194560 1 0 0 0");
        assertEquals(new ProcessMatch.Proc(42, 7, "Web (Content) x", false, List.of()), p);
        assertTrue(ProcessTable.parseStat(43, "43 (nginx) Z 1 43 43 0").zombie());
        assertEquals(null, ProcessTable.parseStat(44, "garbage"));
        assertEquals(List.of("/usr/sbin/nginx", "-g", "daemon on;"),
                ProcessTable.argv("/usr/sbin/nginx\0-g\0daemon on;\0".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aProcTreeIsReadAndItsForksTold() throws Exception {
        write(100, "100 (nginx) S 1 100", "/usr/sbin/nginx\0");
        write(101, "101 (nginx) S 100 100", "nginx: worker process\0");
        write(200, "200 (bash) S 1 200", "bash\0");
        Files.createDirectories(dir.resolve("self")); // not a pid
        ProcessTable table = new ProcessTable(dir);
        List<ProcessMatch.Proc> procs = table.scan(false);
        assertEquals(3, procs.size());
        TrackProcessConfig nginx = named("nginx", false, ParamMatch.NONE);
        Set<Integer> seen = new HashSet<>();
        assertEquals(new ProcessTracker.Count(2, false), ProcessTracker.count(nginx, procs, seen),
                "the first count: the master is new and no fork");
        write(102, "102 (nginx) S 100 100", "nginx: worker process\0");
        assertEquals(new ProcessTracker.Count(3, true), ProcessTracker.count(nginx, table.scan(false), seen),
                "a worker forked off the master");
        write(300, "300 (nginx) S 200 300", "/usr/sbin/nginx\0");
        assertEquals(new ProcessTracker.Count(4, false), ProcessTracker.count(nginx, table.scan(false), seen),
                "started from a shell: not a fork of a matching process");
        assertEquals(new ProcessTracker.Count(4, false), ProcessTracker.count(nginx, table.scan(false), seen),
                "nothing new");
        assertEquals(List.of("/usr/sbin/nginx"), table.scan(true).stream().filter(p -> p.pid() == 100)
                .findFirst().orElseThrow().argv());
    }

    @Test
    void theRealProcTableHasThisJvm() throws Exception {
        long self = ProcessHandle.current().pid();
        ProcessMatch.Proc me = ProcessTable.system().scan(true).stream().filter(p -> p.pid() == self).findFirst()
                .orElseThrow();
        assertEquals(ProcessHandle.current().info().command().orElseThrow(), me.argv().get(0));
    }

    private void write(int pid, String stat, String cmdline) throws Exception {
        Path d = Files.createDirectories(dir.resolve(Integer.toString(pid)));
        Files.writeString(d.resolve("stat"), stat + " 0 0 0\n");
        Files.writeString(d.resolve("cmdline"), cmdline);
    }
}
