package io.nginxha.agent.net;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived 2.2.7's handling of net.ipv4.conf.all.rp_filter for IPv4 VMACs (clear_rp_filter and
 * restore_rp_filter in vrrp_if_config.c). The kernel filters with the larger of "all" and the interface's value,
 * so the macvlan's rp_filter=0 only takes effect with all.rp_filter=0. To keep every other interface as strict as
 * before, default.rp_filter and each interface's rp_filter are first raised to the old "all" value where lower,
 * then "all" is set to 0. {@link #restore} puts back only the values that are still the ones set here.
 */
final class RpFilter {
    private static final Logger log = LoggerFactory.getLogger(RpFilter.class);
    private static final String CONF = "net/ipv4/conf";

    private final Sysctls sysctls;
    /** The old value of all.rp_filter while cleared, else null. */
    private Integer all;
    /** The settings raised to {@link #all}, by key, with their old values. */
    private final Map<String, Integer> raised = new LinkedHashMap<>();

    RpFilter(Sysctls sysctls) {
        this.sysctls = sysctls;
    }

    /** Sets all.rp_filter to 0 as described; does nothing when it is 0 already or cleared by this object. */
    void clear() throws IOException {
        if (all != null) {
            return;
        }
        Integer now = sysctls.read(key("all"));
        if (now == null || now == 0) {
            return;
        }
        raise("default", now);
        for (String dev : sysctls.list(CONF)) {
            if (!dev.equals("all") && !dev.equals("default")) {
                raise(dev, now);
            }
        }
        log.info("setting net.ipv4.conf.all.rp_filter from {} to 0 for the VMACs (as keepalived does)", now);
        sysctls.write(key("all"), 0);
        all = now;
    }

    private void raise(String dev, int to) throws IOException {
        Integer before = sysctls.read(key(dev));
        if (before != null && before < to) {
            sysctls.write(key(dev), to);
            raised.put(key(dev), before);
        }
    }

    /** Undoes {@link #clear}; a value someone changed since is left as it is. Failures are logged. */
    void restore() {
        if (all == null) {
            return;
        }
        try {
            Integer now = sysctls.read(key("all"));
            if (now != null && now == 0) {
                sysctls.write(key("all"), all);
            }
        } catch (IOException e) {
            log.warn("restoring net.ipv4.conf.all.rp_filter to {} failed: {}", all, e.getMessage());
        }
        for (var e : raised.entrySet()) {
            try {
                Integer now = sysctls.read(e.getKey());
                if (now != null && now.equals(all)) {
                    sysctls.write(e.getKey(), e.getValue());
                }
            } catch (IOException ex) {
                log.warn("restoring {} to {} failed: {}", e.getKey(), e.getValue(), ex.getMessage());
            }
        }
        raised.clear();
        all = null;
    }

    private static String key(String dev) {
        return CONF + "/" + dev + "/rp_filter";
    }

    /** For tests and logs: the interfaces raised, by key. */
    Map<String, Integer> raised() {
        return Map.copyOf(raised);
    }
}
