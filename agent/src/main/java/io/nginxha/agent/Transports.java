package io.nginxha.agent;

import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.net.PacketTransport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's packet transports: one per (interface, unicast source, unicast peers), shared by every instance
 * with that key, and the instances behind each by VRID, so a received advert finds its instance.
 * A transport is known by its index, which received packets carry; it stays open until {@link #closeAll()},
 * also when a reload leaves it without instances (a later reload may use it again).
 */
final class Transports {
    private static final Logger log = LoggerFactory.getLogger(Transports.class);

    /** Where a transport's received packets go, tagged with its index. */
    interface Sink {
        void received(int transport, PacketTransport.ReceivedPacket packet);
    }

    private final Agent.TransportFactory factory;
    private final Sink sink;
    private final List<PacketTransport> open = new ArrayList<>();
    private final List<Map<Integer, Agent.Slot>> byVrid = new ArrayList<>();
    private final Map<List<Object>, Integer> indexByKey = new HashMap<>();

    Transports(Agent.TransportFactory factory, Sink sink) {
        this.factory = factory;
        this.sink = sink;
    }

    /** The index of the transport {@code ic} uses, opening and starting it when no instance used it yet. */
    int indexFor(InstanceConfig ic) throws IOException {
        List<Object> key = List.of(ic.iface(), String.valueOf(ic.unicastSrc()), ic.unicastPeers());
        Integer known = indexByKey.get(key);
        if (known != null) {
            return known;
        }
        PacketTransport t = factory.open(ic.iface(), ic.unicastSrc(), ic.unicastPeers());
        int index = open.size();
        open.add(t);
        byVrid.add(new LinkedHashMap<>());
        indexByKey.put(key, index);
        t.start(p -> sink.received(index, p));
        return index;
    }

    PacketTransport get(int index) {
        return open.get(index);
    }

    /** The instance for a VRID on a transport, or null. */
    Agent.Slot slot(int transport, int vrid) {
        return byVrid.get(transport).get(vrid);
    }

    /** Rebuilds the VRID maps from the instances that now run. */
    void reindex(Collection<Agent.Slot> slots) {
        byVrid.forEach(Map::clear);
        for (Agent.Slot slot : slots) {
            byVrid.get(open.indexOf(slot.transport)).put(slot.config.vrid(), slot);
        }
    }

    void closeAll() {
        for (PacketTransport t : open) {
            try {
                t.close();
            } catch (RuntimeException e) {
                log.warn("closing the transport on {}: {}", t.interfaceName(), e.toString());
            }
        }
    }
}
