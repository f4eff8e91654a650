package io.nginxha.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.GlobalConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.InstanceConfig.Tracked;
import io.nginxha.agent.config.NginxCheckConfig;
import io.nginxha.agent.config.ScriptConfig;
import io.nginxha.agent.config.Source;
import io.nginxha.agent.config.TrackFileConfig;
import io.nginxha.agent.config.TrackProcessConfig;
import io.nginxha.agent.vrrp.Event;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrackersTest {
    private static final Source SRC = new Source(Path.of("t"), 1);

    /** A check whose status the test sets; it reports nothing by itself. */
    private record Fake(String name, boolean initiallyUp) implements Check {
        public void start(Sink sink) { }

        public void close() { }
    }

    @Test
    void statusChangesBecomeEventsForEveryInstanceTrackingTheCheck() {
        ScriptConfig chk = new ScriptConfig("chk", List.of("/chk"), 1000, 1000, -30, false, 1, 1, null, SRC);
        NginxCheckConfig nginx = NginxCheckConfig.defaults("nginx", SRC);
        InstanceConfig vi1 = instance("VI_1", 100, List.of(new Tracked("chk", null, false, SRC),
                new Tracked("nginx", null, false, SRC)));
        InstanceConfig vi2 = instance("VI_2", 50, List.of(new Tracked("chk", -10, false, SRC)));
        GlobalConfig g = new GlobalConfig("ha1", 2, null, false, List.of(), null, null, 30, GarpConfig.DEFAULTS);
        AgentConfig config = new AgentConfig(g, Map.of("chk", chk), List.of(vi1, vi2), Map.of("nginx", nginx));
        List<String> events = new ArrayList<>();
        Trackers t = new Trackers(config, (i, e) -> events.add(i + " " + e), (c, name, reloading) -> new Fake(name, true));
        t.start();
        assertEquals(List.of(), events, "all up: nothing to tell");
        t.status("chk", false, "exit status 1");
        assertEquals(List.of("VI_1 " + new Event.PriorityChanged(70, "chk down (exit status 1)"),
                "VI_2 " + new Event.PriorityChanged(40, "chk down (exit status 1)")), events);
        assertEquals(false, t.results().get("chk").up(), "the status endpoint sees it too");
        assertEquals(true, t.results().get("nginx").up());
        events.clear();
        t.status("nginx", false, "gave up");
        assertEquals(List.of("VI_1 " + new Event.FaultChanged(true, "nginx down (gave up)")), events);
        events.clear();
        t.status("nginx", true, "healthy");
        t.status("chk", true, "exit status 0");
        assertEquals(List.of("VI_1 " + new Event.FaultChanged(false, "nginx up (healthy)"),
                "VI_1 " + new Event.PriorityChanged(100, "chk up (exit status 0)"),
                "VI_2 " + new Event.PriorityChanged(50, "chk up (exit status 0)")), events);
    }

    @Test
    void aTrackedProcessWeighsOrFaultsAsItsBlockAndTheInstanceSay() {
        TrackProcessConfig nginx = new TrackProcessConfig("nginx", "nginx", List.of(),
                TrackProcessConfig.ParamMatch.NONE, false, -20, false, 1, Integer.MAX_VALUE, 0, 0, SRC);
        TrackProcessConfig fault = new TrackProcessConfig("cron", "cron", List.of(),
                TrackProcessConfig.ParamMatch.NONE, false, 0, false, 1, Integer.MAX_VALUE, 0, 0, SRC);
        InstanceConfig vi1 = instance("VI_1", 100, List.of()).toBuilder().trackProcesses(List.of(
                new Tracked("nginx", null, false, SRC), new Tracked("cron", null, false, SRC))).build();
        InstanceConfig vi2 = instance("VI_2", 100, List.of()).toBuilder().trackProcesses(List.of(
                new Tracked("nginx", 30, false, SRC))).build();
        GlobalConfig g = new GlobalConfig("ha1", 2, null, false, List.of(), null, null, 30, GarpConfig.DEFAULTS);
        AgentConfig config = new AgentConfig(g, Map.of(), List.of(vi1, vi2), Map.of(), Map.of(), List.of(), null, List.of(),
                Map.of("nginx", nginx, "cron", fault));
        List<String> events = new ArrayList<>();
        Trackers t = new Trackers(config, (i, e) -> events.add(i + " " + e), (c, name, reloading) -> new Fake(name,
                true));
        t.start();
        assertEquals(List.of("VI_2 " + new Event.PriorityChanged(130, "initial check status")), events,
                "weight 30 while the quorum is held");
        events.clear();
        t.status("process:nginx", false, "quorum lost");
        assertEquals(List.of("VI_1 " + new Event.PriorityChanged(80, "process:nginx down (quorum lost)"),
                "VI_2 " + new Event.PriorityChanged(100, "process:nginx down (quorum lost)")), events);
        events.clear();
        t.status("process:cron", false, "quorum lost");
        assertEquals(List.of("VI_1 " + new Event.FaultChanged(true, "process:cron down (quorum lost)")), events,
                "weight 0: FAULT while lost");
    }

    /** A check that remembers its sink and whether it was started or closed. */
    private static final class Probe implements Check {
        final String name;
        final long initial;
        Sink sink;
        boolean closed;

        Probe(String name, long initial) {
            this.name = name;
            this.initial = initial;
        }

        public String name() {
            return name;
        }

        public boolean initiallyUp() {
            return valued() ? initial == 0 : initial != 0;
        }

        public boolean valued() {
            return name.startsWith("file:");
        }

        public long initialValue() {
            return initial;
        }

        public void start(Sink s) {
            sink = s;
        }

        public void close() {
            closed = true;
        }
    }

    @Test
    void reloadKeepsUnchangedChecksReplacesChangedOnesAndRetellsFreshInstances() {
        GlobalConfig g = new GlobalConfig("ha1", 2, null, false, List.of(), null, null, 30, GarpConfig.DEFAULTS);
        ScriptConfig chk = new ScriptConfig("chk", List.of("/chk"), 1000, 1000, -30, false, 1, 1, null, SRC);
        NginxCheckConfig nginx = NginxCheckConfig.defaults("nginx", SRC);
        TrackFileConfig maint = new TrackFileConfig("maint", "/run/maint", 0, false, null, false, SRC);
        InstanceConfig vi1 = withFiles(instance("VI_1", 100, List.of(new Tracked("chk", null, false, SRC))),
                List.of(new Tracked("maint", null, false, SRC)));
        InstanceConfig vi2 = instance("VI_2", 50, List.of(new Tracked("nginx", null, false, SRC)));
        AgentConfig before = new AgentConfig(g, Map.of("chk", chk), List.of(vi1, vi2), Map.of("nginx", nginx),
                Map.of("maint", maint));
        Map<String, Probe> live = new java.util.HashMap<>();
        List<String> made = new ArrayList<>();
        List<String> events = new ArrayList<>();
        Trackers t = new Trackers(before, (i, e) -> events.add(i + " " + e), (c, name, reloading) -> {
            made.add(name + (reloading ? " (reload)" : ""));
            Probe p = new Probe(name, name.equals("file:drain") ? 2 : name.startsWith("file:") ? 0 : 1);
            live.put(name, p);
            return p;
        });
        t.start();
        live.get("chk").sink.status("chk", false, "exit status 1");
        assertEquals(List.of("VI_1 " + new Event.PriorityChanged(70, "chk down (exit status 1)")), events);
        Probe chkProbe = live.get("chk");
        Probe oldNginx = live.get("nginx");
        Probe maintProbe = live.get("file:maint");
        made.clear();
        events.clear();

        ScriptConfig chkMoved = new ScriptConfig("chk", List.of("/chk"), 1000, 1000, -30, false, 1, 1, null,
                new Source(Path.of("t"), 40));
        NginxCheckConfig nginxChanged = new NginxCheckConfig("nginx", "/run/other.pid", List.of(), null, 1000, 200,
                1000, 20, 3, 10_000, 3000, 10_000, 0, SRC);
        TrackFileConfig drain = new TrackFileConfig("drain", "/run/drain", -10, false, null, false, SRC);
        InstanceConfig vi1Kept = instance("VI_1", 100, List.of(new Tracked("chk", null, false, SRC)));
        InstanceConfig vi2Fresh = withFiles(instance("VI_2", 50, List.of(new Tracked("nginx", null, false, SRC))),
                List.of(new Tracked("drain", null, false, SRC)));
        t.reload(new AgentConfig(g, Map.of("chk", chkMoved), List.of(vi1Kept, vi2Fresh),
                Map.of("nginx", nginxChanged), Map.of("drain", drain)), Set.of("VI_2"));

        assertEquals(List.of("nginx (reload)", "file:drain (reload)"), made, "only changed and new checks are made");
        assertSame(chkProbe, t.checks().get("chk"));
        assertFalse(chkProbe.closed, "an unchanged script keeps running, with its state");
        assertTrue(oldNginx.closed && maintProbe.closed, "changed and removed checks are stopped");
        assertNotNull(live.get("nginx").sink, "the replacement is started");
        assertEquals(List.of("VI_2 " + new Event.PriorityChanged(30, "reload")), events,
                "VI_1 still believes 70: nothing to tell; the fresh VI_2 learns drain's 2 x -10");
        events.clear();
        oldNginx.sink.status("nginx", false, "late word");
        assertEquals(List.of(), events, "a stopped check's last report is ignored");
        live.get("file:drain").sink.value("file:drain", 0, "/run/drain holds 0");
        assertEquals(List.of("VI_2 " + new Event.PriorityChanged(50, "file:drain = 0 (/run/drain holds 0)")), events);
        assertEquals(true, t.results().get("file:drain").up());
        assertEquals(false, t.results().containsKey("file:maint"));
    }

    private static InstanceConfig withFiles(InstanceConfig i, List<Tracked> files) {
        return i.toBuilder().trackFiles(files).build();
    }

    private static InstanceConfig instance(String name, int priority, List<Tracked> scripts) {
        // dont_track_primary: the test machine's eth0 is not the point here
        return InstanceConfig.builder(name).iface("eth0").vrid(priority).priority(priority).trackScripts(scripts)
                .source(SRC).dontTrackPrimary(true).build();
    }
}
