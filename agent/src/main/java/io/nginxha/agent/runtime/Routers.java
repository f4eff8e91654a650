package io.nginxha.agent.runtime;

import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.WireId;
import io.nginxha.agent.net.Frames;
import io.nginxha.agent.net.PacketTransport;
import io.nginxha.agent.net.VmacManager;
import io.nginxha.agent.vrrp.VrrpState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routers that run, by name, and the packet transports they share: one transport per (interface, address
 * family, unicast source, unicast peers), with the routers behind each by VRID, so a received advert finds its
 * router. The family is part of the key because IPv4 and IPv6 VRRP are separate protocols (RFC 5798): VRID 66 over
 * IPv4 and VRID 66 over IPv6 on one interface are two virtual routers, each with a transport of its own. A transport
 * is known by its index, which received packets carry; it stays open until {@link #closeAll()}, also when a reload
 * leaves it without routers (a later reload may use it again). Only the loop's thread changes it.
 */
final class Routers {
    private static final Logger log = LoggerFactory.getLogger(Routers.class);

    /** Where a transport's received packets go, tagged with its index (called on the transport's thread). */
    interface Sink {
        void received(int transport, PacketTransport.ReceivedPacket packet);
    }

    private final TransportFactory factory;
    private final Sink sink;
    private final VmacLinks vmacs;
    private final Map<String, Router> byName = new LinkedHashMap<>();
    private final List<PacketTransport> open = new ArrayList<>();
    private final List<Map<Integer, Router>> byVrid = new ArrayList<>();
    private final Map<List<Object>, Integer> indexByKey = new HashMap<>();
    /** The routers as other threads may see them (their published state); swapped whole on each change. */
    private volatile List<Router> published = List.of();

    Routers(TransportFactory factory, Sink sink, VmacManager vmacs) {
        this.factory = factory;
        this.sink = sink;
        this.vmacs = new VmacLinks(vmacs);
    }

    /** The index of the transport {@code ic} uses, opening and starting it when no router used it yet. */
    int transportFor(InstanceConfig ic) throws IOException {
        // a VMAC's transport is its own: its gratuitous ARPs carry that macvlan's MAC; IPv4 and IPv6 are separate
        // protocols with VRIDs of their own (RFC 5798), so each family has its transport too
        WireId.Family family = ic.wireId().family();
        List<Object> key = List.of(ic.advertDevice(), family, String.valueOf(ic.unicastSrc()), ic.unicastPeers(),
                ic.vmac() == null ? "" : ic.vmac().name(), String.valueOf(ic.options().mcastGroup()));
        Integer known = indexByKey.get(key);
        if (known != null) {
            return known;
        }
        PacketTransport t;
        if (ic.vmac() != null) {
            vmacs.ensure(ic); // the macvlan first: the transport opens on it
            t = factory.openVmac(ic.vmac().name(), Frames.virtualMac(ic.vrid(), family == WireId.Family.IPV6),
                    ic.iface(), ic.vmac().xmitBase(), family, ic.unicastSrc(), ic.unicastPeers());
        } else {
            t = factory.open(ic.iface(), family, ic.unicastSrc(), ic.unicastPeers(), ic.options().mcastGroup());
        }
        int index = open.size();
        open.add(t);
        byVrid.add(new LinkedHashMap<>());
        indexByKey.put(key, index);
        t.start(p -> sink.received(index, p));
        return index;
    }

    /** A new router for {@code ic} on transport {@code index}; it routes adverts once {@link #add}ed. */
    Router create(InstanceConfig ic, int index) {
        return create(ic, index, null);
    }

    /** As {@link #create(InstanceConfig, int)}, for a member of the sync group {@code syncGroup} (or null). */
    Router create(InstanceConfig ic, int index, String syncGroup) {
        return new Router(ic, open.get(index), syncGroup);
    }

    void add(Router router) {
        byName.put(router.name(), router);
        reindex();
    }

    /** Takes a router off the loop; it no longer receives adverts. */
    Router remove(String name) {
        Router gone = byName.remove(name);
        reindex();
        return gone;
    }

    Router get(String name) {
        return byName.get(name);
    }

    Collection<Router> all() {
        return Collections.unmodifiableCollection(byName.values());
    }

    /** The routers in the order of {@link #all}, as a list made on each change: indexed without an iterator. */
    List<Router> list() {
        return published;
    }

    /** The router for a VRID on a transport, or null. */
    Router route(int transport, int vrid) {
        return byVrid.get(transport).get(vrid);
    }

    /** The state of each router as of its last transition; safe to call from any thread. */
    Map<String, VrrpState> states() {
        Map<String, VrrpState> out = new LinkedHashMap<>();
        for (Router r : published) {
            out.put(r.name(), r.publishedState());
        }
        return out;
    }

    private void reindex() {
        byVrid.forEach(Map::clear);
        for (Router router : byName.values()) {
            byVrid.get(open.indexOf(router.transport())).put(router.config().vrid(), router);
        }
        published = List.copyOf(byName.values());
    }

    void closeAll() {
        for (PacketTransport t : open) {
            try {
                t.close();
            } catch (RuntimeException e) {
                log.warn("closing the transport on {}: {}", t.interfaceName(), e.toString());
            }
        }
        vmacs.removeAll(); // after the transports: nothing sends on a macvlan that is gone
    }
}
