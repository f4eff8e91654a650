package io.nginxha.agent;

import io.nginxha.agent.net.PacketTransport;
import io.nginxha.agent.vrrp.AdvertCodec;
import io.nginxha.agent.vrrp.DropReason;
import io.nginxha.agent.vrrp.Event;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's receiving edge, on the loop's thread: decodes a captured packet, finds the instance its VRID and
 * transport name, and either hands it the advert or counts why it was dropped (in total, per instance, or as
 * unattributed when no instance can be named).
 */
final class AdvertIntake {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    /** Feeds one instance an event; {@code Agent::step}. */
    @FunctionalInterface
    interface Stepper {
        void step(Agent.Slot slot, Event event, long now);
    }

    private final Transports transports;
    private final Stepper stepper;
    private final Map<DropReason, AtomicLong> drops = new EnumMap<>(DropReason.class);
    private final Map<DropReason, Long> unattributed = new EnumMap<>(DropReason.class);

    AdvertIntake(Transports transports, Stepper stepper) {
        this.transports = transports;
        this.stepper = stepper;
        for (DropReason r : DropReason.values()) {
            drops.put(r, new AtomicLong());
        }
    }

    void received(Input.Packet p, long now) {
        PacketTransport.ReceivedPacket packet = p.packet();
        AdvertCodec.Decoded decoded;
        try {
            decoded = AdvertCodec.decode(packet.payload(), packet.source(), packet.destination(), packet.ttl());
        } catch (RuntimeException e) {
            count(DropReason.TRUNCATED, "undecodable packet from " + packet.source().getHostAddress() + ": " + e);
            return;
        }
        if (decoded instanceof AdvertCodec.Decoded.Dropped d) {
            count(d.reason(), d.detail() + " (from " + packet.source().getHostAddress() + ")");
            attribute(p.transport(), packet.payload(), d.reason());
            return;
        }
        var advert = ((AdvertCodec.Decoded.Ok) decoded).advert();
        Agent.Slot slot = transports.slot(p.transport(), advert.vrid());
        String from = packet.source().getHostAddress();
        if (slot == null) {
            count(DropReason.VRID, "advert for VRID " + advert.vrid() + " on " + packet.iface()
                    + " from " + from + ": no instance");
            unattributed.merge(DropReason.VRID, 1L, Long::sum);
        } else if (packet.source().equals(slot.transport.sourceAddress())) {
            count(DropReason.OWN_ADVERT, slot.config.name() + ": our own advert");
            slot.counters.dropped(DropReason.OWN_ADVERT);
        } else if (!slot.config.unicastPeers().isEmpty() && !slot.config.unicastPeers().contains(packet.source())) {
            count(DropReason.NOT_A_PEER, slot.config.name() + ": advert from " + from + ", not a unicast peer");
            slot.counters.dropped(DropReason.NOT_A_PEER);
        } else {
            slot.counters.advertReceived();
            log.debug("{}: advert from {} priority {}", slot.config.name(), from, advert.priority());
            stepper.step(slot, new Event.AdvertReceived(packet.source(), advert), now);
        }
    }

    /**
     * Counts an advert the codec refused against the instance its VRID byte names (as keepalived's per-instance
     * error counters do), or as unattributed when the packet is too short or no instance has that VRID.
     */
    private void attribute(int transport, byte[] payload, DropReason reason) {
        Agent.Slot slot = payload.length >= 2 ? transports.slot(transport, payload[1] & 0xff) : null;
        if (slot != null) {
            slot.counters.dropped(reason);
        } else {
            unattributed.merge(reason, 1L, Long::sum);
        }
    }

    /** Counts a drop in the totals (thread-safe: the action runner counts send failures too). */
    void count(DropReason reason, String detail) {
        drops.get(reason).incrementAndGet();
        log.debug("advert dropped ({}): {}", reason, detail);
    }

    /** Drops no instance could be named for; read on the loop's thread. */
    Map<DropReason, Long> unattributed() {
        return unattributed;
    }

    Map<DropReason, Long> totals() {
        Map<DropReason, Long> copy = new EnumMap<>(DropReason.class);
        drops.forEach((r, n) -> copy.put(r, n.get()));
        return copy;
    }
}
