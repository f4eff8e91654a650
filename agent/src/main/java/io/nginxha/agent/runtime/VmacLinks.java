package io.nginxha.agent.runtime;

import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.WireId;
import io.nginxha.agent.net.Frames;
import io.nginxha.agent.net.VmacManager;
import java.io.IOException;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The macvlans of the use_vmac instances, as keepalived 2.2.7 keeps them: made when the instance starts, before
 * its transport opens (adverts go out on it), kept up whatever the state (only the VIPs come and go), removed at
 * a clean stop. A reload that retires an instance keeps its macvlan until the stop, as the transports are kept.
 */
final class VmacLinks {
    private static final Logger log = LoggerFactory.getLogger(VmacLinks.class);

    private final VmacManager manager;
    /** The macvlans made, by name, with the instance that asked first. */
    private final Map<String, String> made = new LinkedHashMap<>();

    VmacLinks(VmacManager manager) {
        this.manager = manager;
    }

    /**
     * Makes {@code ic}'s macvlan unless this agent made it already. Throws with the reason when it cannot be had:
     * the instance cannot run without it (its VIPs would land nowhere), so the caller handles it like an
     * interface that cannot be opened.
     */
    void ensure(InstanceConfig ic) throws IOException {
        InstanceConfig.Vmac vmac = ic.vmac();
        if (vmac == null || made.containsKey(vmac.name())) {
            return;
        }
        boolean ipv6 = ic.wireId().family() == WireId.Family.IPV6;
        byte[] mac = Frames.virtualMac(ic.vrid(), ipv6);
        VmacManager.Result r = ipv6
                ? manager.createIpv6(vmac.name(), ic.iface(), mac,
                        ic.unicastSrc() instanceof Inet6Address v6 ? v6 : null, !vmac.xmitBase())
                : manager.create(vmac.name(), ic.iface(), mac);
        if (!r.ok()) {
            throw new IOException(ic.name() + ": " + r.failure());
        }
        made.put(vmac.name(), ic.name());
    }

    /** Removes every macvlan made, newest first; a failure is logged and the others still go. */
    void removeAll() {
        List<String> names = new ArrayList<>(made.keySet());
        for (int i = names.size() - 1; i >= 0; i--) {
            VmacManager.Result r = manager.delete(names.get(i));
            if (!r.ok()) {
                log.error("{}: {}", made.get(names.get(i)), r.failure());
            }
        }
        made.clear();
    }
}
