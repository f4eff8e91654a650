package io.nginxha.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.GlobalConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.InstanceConfig.Tracked;
import io.nginxha.agent.config.NginxCheckConfig;
import io.nginxha.agent.config.NotifyConfig;
import io.nginxha.agent.config.ScriptConfig;
import io.nginxha.agent.config.Source;
import io.nginxha.agent.vrrp.Event;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    private static InstanceConfig instance(String name, int priority, List<Tracked> scripts) {
        // dont_track_primary: the test machine's eth0 is not the point here
        return new InstanceConfig(name, InstanceConfig.InitialState.BACKUP, "eth0", priority, priority, 100, 2, null,
                List.of(), true, 0, null, List.of(), scripts, List.of(), List.of(), NotifyConfig.NONE, null, SRC,
                List.of(), true);
    }
}
