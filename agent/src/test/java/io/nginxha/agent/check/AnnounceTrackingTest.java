package io.nginxha.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.AnnounceConfig;
import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.GlobalConfig;
import io.nginxha.agent.config.InstanceConfig.Tracked;
import io.nginxha.agent.config.NginxCheckConfig;
import io.nginxha.agent.config.ScriptConfig;
import io.nginxha.agent.config.Source;
import io.nginxha.agent.config.StaticNetwork;
import io.nginxha.agent.config.VirtualAddress;
import io.nginxha.agent.vrrp.Event;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The trackers' verdicts for vip_announce groups: told from the start, any check down is unhealthy. */
class AnnounceTrackingTest {
    private static final Source SRC = new Source(Path.of("t"), 1);

    private record Fake(String name, boolean initiallyUp) implements Check {
        public void start(Sink sink) { }

        public void close() { }
    }

    private static AgentConfig config(String... groups) throws Exception {
        ScriptConfig chk = new ScriptConfig("chk", List.of("/chk"), 1000, 1000, -30, false, 1, 1, null, SRC);
        NginxCheckConfig nginx = NginxCheckConfig.defaults("nginx", SRC);
        GlobalConfig g = new GlobalConfig("ha1", 2, null, false, List.of(), null, null, 30, GarpConfig.DEFAULTS);
        List<AnnounceConfig> announce = new ArrayList<>();
        for (String name : groups) {
            announce.add(new AnnounceConfig(name, "lo", List.of(new VirtualAddress(
                    InetAddress.getByName("198.51.100.10"), 32, "lo", null, SRC)),
                    List.of(new Tracked("chk", 0, false, SRC), new Tracked("nginx", 0, false, SRC)), List.of(),
                    5000, 3000, SRC));
        }
        return new AgentConfig(g, Map.of("chk", chk), List.of(), Map.of("nginx", nginx), Map.of(), List.of(),
                StaticNetwork.NONE, announce);
    }

    @Test
    void aGroupIsToldItsFirstVerdictEvenWhenHealthyAndAnyCheckDownMakesItUnhealthy() throws Exception {
        List<String> events = new ArrayList<>();
        Trackers t = new Trackers(config("web"), (i, e) -> events.add(i + " " + e),
                (c, name, reloading) -> new Fake(name, true));
        t.start();
        assertEquals(List.of("web " + new Event.FaultChanged(false, "initial check status")), events,
                "a group starts undecided, so a healthy start is news to it");
        events.clear();
        t.status("chk", false, "exit status 1");
        assertEquals(List.of("web " + new Event.FaultChanged(true, "chk down (exit status 1)")), events,
                "a script's weight does not matter: down is unhealthy");
        events.clear();
        t.status("nginx", false, "gave up");
        t.status("chk", true, "exit status 0");
        assertEquals(List.of(), events, "still unhealthy while nginx is down");
        t.status("nginx", true, "healthy");
        assertEquals(List.of("web " + new Event.FaultChanged(false, "nginx up (healthy)")), events);
    }

    @Test
    void aGroupUnhealthyAtStartIsToldSoAndAGroupAddedByAReloadGetsItsFirstVerdict() throws Exception {
        List<String> events = new ArrayList<>();
        Trackers t = new Trackers(config("web"), (i, e) -> events.add(i + " " + e),
                (c, name, reloading) -> new Fake(name, !name.equals("nginx")));
        t.start();
        assertEquals(List.of("web " + new Event.FaultChanged(true, "initial check status: down [nginx]")), events);
        events.clear();
        t.reload(config("web", "api"), Set.of());
        assertEquals(List.of("api " + new Event.FaultChanged(true, "reload: down [nginx]")), events,
                "the kept group was told already; the new one hears its verdict");
    }
}
