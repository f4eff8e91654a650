package io.nginxha.agent.runtime;

import io.nginxha.agent.net.PacketTransport;
import io.nginxha.agent.vrrp.AdvertCodec;
import io.nginxha.agent.vrrp.DropReason;
import io.nginxha.agent.vrrp.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's receiving edge, on the loop's thread: decodes a captured packet and finds the instance its transport
 * and VRID name. It returns the delivery for the loop to step, or null after counting why the packet was dropped
 * (in total, per instance, or as unattributed when no instance can be named). It never steps an instance itself.
 */
final class AdvertIntake {
    private static final Logger log = LoggerFactory.getLogger(AdvertIntake.class);

    /** An advert for one router. */
    record Delivery(Router router, Event.AdvertReceived event) { }

    private final Routers routers;
    private final DropCounters drops;

    AdvertIntake(Routers routers, DropCounters drops) {
        this.routers = routers;
        this.drops = drops;
    }

    /** The router this packet is for and its event, or null when it was dropped (and counted). */
    Delivery route(Input.Packet p) {
        PacketTransport.ReceivedPacket packet = p.packet();
        AdvertCodec.Decoded decoded;
        try {
            decoded = AdvertCodec.decode(packet.payload(), packet.source(), packet.destination(), packet.ttl());
        } catch (RuntimeException e) {
            drops.count(DropReason.TRUNCATED, "undecodable packet from " + packet.source().getHostAddress() + ": " + e);
            return null;
        }
        if (decoded instanceof AdvertCodec.Decoded.Dropped d) {
            drops.count(d.reason(), d.detail() + " (from " + packet.source().getHostAddress() + ")");
            attribute(p.transport(), packet.payload(), d.reason());
            return null;
        }
        var advert = ((AdvertCodec.Decoded.Ok) decoded).advert();
        Router router = routers.route(p.transport(), advert.vrid());
        if (router == null) {
            String from = packet.source().getHostAddress();
            drops.count(DropReason.VRID, "advert for VRID " + advert.vrid() + " on " + packet.iface()
                    + " from " + from + ": no instance");
            drops.unattributed(DropReason.VRID);
        } else if (packet.source().equals(router.transport().sourceAddress())) {
            drops.count(DropReason.OWN_ADVERT, router.name() + ": our own advert");
            router.counters().dropped(DropReason.OWN_ADVERT);
        } else if (!router.config().unicastPeers().isEmpty()
                && !router.config().unicastPeers().contains(packet.source())) {
            String from = packet.source().getHostAddress();
            drops.count(DropReason.NOT_A_PEER, router.name() + ": advert from " + from + ", not a unicast peer");
            router.counters().dropped(DropReason.NOT_A_PEER);
        } else if (router.config().unicastPeers().isEmpty() != packet.destination().isMulticastAddress()) {
            // keepalived 2.2.7 (vrrp_check_packet) drops a unicast advert to a multicast instance and the reverse,
            // for IPv4 and IPv6 alike, and counts it as an address list error
            String expected = router.config().unicastPeers().isEmpty() ? "multicast" : "unicast";
            String from = packet.source().getHostAddress();
            drops.count(DropReason.ADDRESS_LIST, router.name() + ": advert from " + from + " to "
                    + packet.destination().getHostAddress() + ", expected " + expected);
            router.counters().dropped(DropReason.ADDRESS_LIST);
        } else if (packet.destination().isMulticastAddress()
                && !packet.destination().equals(ActionRunner.group(router.config()))) {
            // another group is another VRRP domain (keepalived does not join it, so never hears it); equals on
            // InetAddress compares the address alone, with no allocation on the advert path
            drops.count(DropReason.ADDRESS_LIST, router.name() + ": advert from " + packet.source().getHostAddress()
                    + " to "
                    + packet.destination().getHostAddress() + ", expected group "
                    + ActionRunner.group(router.config()).getHostAddress());
            router.counters().dropped(DropReason.ADDRESS_LIST);
        } else {
            router.counters().advertReceived();
            if (log.isDebugEnabled()) { // the advert path: no varargs array, no address string otherwise
                log.debug("{}: advert from {} priority {}", router.name(), packet.source().getHostAddress(),
                        advert.priority());
            }
            return new Delivery(router, new Event.AdvertReceived(packet.source(), advert));
        }
        return null;
    }

    /**
     * Counts an advert the codec refused against the instance its VRID byte names (as keepalived's per-instance
     * error counters do), or as unattributed when the packet is too short or no instance has that VRID.
     */
    private void attribute(int transport, byte[] payload, DropReason reason) {
        Router router = payload.length >= 2 ? routers.route(transport, payload[1] & 0xff) : null;
        if (router != null) {
            router.counters().dropped(reason);
        } else {
            drops.unattributed(reason);
        }
    }
}
