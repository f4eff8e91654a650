package io.nginxha.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** keepalived's clear_rp_filter/restore_rp_filter over a fake /proc/sys. */
class RpFilterTest {
    private final Map<String, Integer> proc = new TreeMap<>();
    private final List<String> writes = new ArrayList<>();
    private final Sysctls sysctls = new Sysctls() {
        @Override
        public Integer read(String key) {
            return proc.get(key);
        }

        @Override
        public void write(String key, int value) {
            writes.add(key + "=" + value);
            proc.put(key, value);
        }

        @Override
        public List<String> list(String dir) {
            return proc.keySet().stream().filter(k -> k.startsWith(dir + "/"))
                    .map(k -> k.substring(dir.length() + 1, k.indexOf('/', dir.length() + 1))).distinct().toList();
        }
    };

    private static String key(String dev) {
        return "net/ipv4/conf/" + dev + "/rp_filter";
    }

    @Test
    void allIsClearedAfterRaisingDefaultAndTheLaxerInterfacesAndRestoredAfter() throws Exception {
        proc.put(key("all"), 1);
        proc.put(key("default"), 0);
        proc.put(key("eth0"), 0);
        proc.put(key("eth1"), 2);
        proc.put(key("lo"), 1);
        RpFilter rp = new RpFilter(sysctls);
        rp.clear();
        assertEquals(List.of(key("default") + "=1", key("eth0") + "=1", key("all") + "=0"), writes,
                "eth1 (stricter) and lo (equal) are left alone; all last");
        rp.clear();
        assertEquals(3, writes.size(), "cleared once");
        proc.put(key("eth0"), 2); // an operator changed it meanwhile
        rp.restore();
        assertEquals(0, proc.get(key("default")));
        assertEquals(2, proc.get(key("eth0")), "a value changed since is left as it is");
        assertEquals(1, proc.get(key("all")));
        assertEquals(2, proc.get(key("eth1")));
    }

    @Test
    void nothingIsTouchedWhenAllIsZero() throws Exception {
        proc.put(key("all"), 0);
        proc.put(key("eth0"), 1);
        RpFilter rp = new RpFilter(sysctls);
        rp.clear();
        rp.restore();
        assertEquals(List.of(), writes);
    }
}
