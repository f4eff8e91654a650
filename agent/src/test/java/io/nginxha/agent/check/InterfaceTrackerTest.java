package io.nginxha.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.net.LinkEvents;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterfaceTrackerTest {

    /** Link states set by the test, which plays the monitor's thread. */
    private static final class FakeLinks implements LinkEvents {
        final Map<String, Boolean> up = new HashMap<>();
        final List<Listener> listeners = new ArrayList<>();

        void set(String iface, boolean now) {
            up.put(iface, now);
            List.copyOf(listeners).forEach(l -> l.linkChanged(iface, now));
        }

        @Override
        public boolean isUp(String iface) {
            return up.getOrDefault(iface, false);
        }

        @Override
        public void listen(Listener listener) {
            listeners.add(listener);
        }

        @Override
        public void unlisten(Listener listener) {
            listeners.remove(listener);
        }
    }

    private final FakeLinks links = new FakeLinks();
    private final List<String> reports = new ArrayList<>();
    private final Check.Sink sink = (check, up, why) -> reports.add(check + " " + up + " " + why);

    @Test
    void initialStatusIsTheLinkStateAndAnAbsentInterfaceIsDown() {
        links.up.put("eth0", true);
        assertTrue(new InterfaceTracker("eth0", links).initiallyUp());
        assertFalse(new InterfaceTracker("eth1", links).initiallyUp());
        assertEquals("interface:eth0", new InterfaceTracker("eth0", links).name());
    }

    @Test
    void reportsChangesOfItsOwnInterfaceOnce() {
        links.up.put("eth0", true);
        InterfaceTracker tracker = new InterfaceTracker("eth0", links);
        tracker.start(sink);
        links.set("eth1", false);
        links.set("eth0", false);
        links.set("eth0", false);
        links.set("eth0", true);
        assertEquals(List.of("interface:eth0 false link of eth0 down", "interface:eth0 true link of eth0 up"),
                reports);
    }

    @Test
    void aChangeBeforeStartIsReportedAtStart() {
        links.up.put("eth0", true);
        InterfaceTracker tracker = new InterfaceTracker("eth0", links);
        links.up.put("eth0", false); // went down while the other checks were being built, nobody listening
        tracker.start(sink);
        assertEquals(List.of("interface:eth0 false link of eth0 down"), reports);
    }

    @Test
    void closeStopsListening() {
        links.up.put("eth0", true);
        InterfaceTracker tracker = new InterfaceTracker("eth0", links);
        tracker.start(sink);
        tracker.close();
        links.set("eth0", false);
        assertEquals(List.of(), reports);
        assertEquals(List.of(), links.listeners);
    }
}
