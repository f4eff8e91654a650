package io.nginxha.agent.runtime;

import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.net.Sysctls;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived 2.2.7's promote_secondaries (vrrp.c, vrrp_if_config.c): while an instance with it runs, its
 * interface has net.ipv4.conf.IF.promote_secondaries=1, so that removing the interface's primary address promotes
 * a VIP of the same subnet instead of deleting it with the primary. Set only where it was 0, and back to 0 when the
 * last such instance on the interface is gone (stop, or a reload without it), as keepalived counts its users. A
 * use_vmac instance needs none of this: its macvlan has it already (keepalived ignores the keyword there too).
 */
final class PromoteSecondaries {
    private static final Logger log = LoggerFactory.getLogger(PromoteSecondaries.class);

    private Sysctls sysctls = Sysctls.PROC;
    /** The interfaces whose setting this agent turned on and must turn off again. */
    private final Set<String> ours = new LinkedHashSet<>();
    /** Interfaces whose setting could not be read or written at the last sync (logged; none means all is well). */
    private final Set<String> failed = new TreeSet<>();

    void edge(Sysctls edge) {
        this.sysctls = edge;
    }

    /** Makes the setting follow the instances that run now ({@code running}: none at stop). */
    void sync(Collection<InstanceConfig> running) {
        Set<String> wanted = new TreeSet<>();
        running.stream().filter(ic -> ic.options().promoteSecondaries() && ic.vmac() == null)
                .forEach(ic -> wanted.add(ic.iface()));
        failed.clear();
        for (String iface : wanted) {
            if (ours.contains(iface)) {
                continue;
            }
            try {
                Integer now = sysctls.read(key(iface));
                if (now == null) {
                    throw new IOException("no such setting (is " + iface + " there?)");
                }
                if (now != 1) {
                    sysctls.write(key(iface), 1);
                    ours.add(iface);
                    log.info("{}: promote_secondaries set", iface);
                }
            } catch (IOException | RuntimeException e) {
                failed.add(iface);
                log.error("{}: cannot set promote_secondaries ({}); removing its primary address would take the VIPs"
                        + " of that subnet with it", iface, e.getMessage());
            }
        }
        for (String iface : Set.copyOf(ours)) {
            if (wanted.contains(iface)) {
                continue;
            }
            try {
                sysctls.write(key(iface), 0);
                ours.remove(iface);
                log.info("{}: promote_secondaries reset", iface);
            } catch (IOException | RuntimeException e) {
                failed.add(iface);
                log.error("{}: cannot reset promote_secondaries: {}", iface, e.getMessage());
            }
        }
    }

    /** The interfaces whose setting failed at the last sync. */
    Set<String> failed() {
        return Set.copyOf(failed);
    }

    private static String key(String iface) {
        return "net/ipv4/conf/" + iface + "/promote_secondaries";
    }
}
