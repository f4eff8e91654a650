package io.nginxha.agent.net;

import io.nginxha.agent.vrrp.Advert;
import io.nginxha.agent.vrrp.AdvertCodec;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link PcapTransport} inside a network namespace for {@link PcapTransportIT}, started as
 * {@code ip netns exec NS java -cp ... TransportProbe IFACE PEERS MODE ...} and talking through stdout.
 * <ul>
 *   <li>{@code listen [OWN_VRID]}: prints READY, then one {@code RECV} line per packet until stdin closes;
 *       with OWN_VRID it also sends one advert of its own, which must not come back to it.</li>
 *   <li>{@code send COUNT VRID PRIORITY DST}: sends COUNT adverts and one gratuitous ARP, then exits.</li>
 * </ul>
 * PEERS is a comma-separated list of unicast peers or {@code -} for multicast.
 */
public final class TransportProbe {
    private TransportProbe() { }

    static Advert advert(int vrid, int priority) throws Exception {
        return new Advert(2, vrid, priority, 100, List.of(InetAddress.getByName("10.77.0.130")), 1,
                new byte[] {'1', '1', '1', '1', 0, 0, 0, 0});
    }

    /** Prints STALLED WHY / LIVE whenever the transport's liveness changes, as the agent's watchdog would see it. */
    private static void watch(PcapTransport t) {
        io.nginxha.agent.os.Liveness liveness = new io.nginxha.agent.os.Liveness(System::nanoTime);
        t.watchedBy(liveness);
        Thread w = new Thread(() -> {
            Boolean wasStalled = null;
            while (true) {
                java.util.Optional<String> why = liveness.stalled();
                if (wasStalled == null || wasStalled != why.isPresent()) { // print changes only
                    System.out.println(why.map(reason -> "STALLED " + reason).orElse("LIVE"));
                    wasStalled = why.isPresent();
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "probe-liveness");
        w.setDaemon(true);
        w.start();
    }

    public static void main(String[] args) throws Exception {
        String iface = args[0];
        List<InetAddress> peers = new ArrayList<>();
        if (!args[1].equals("-")) {
            for (String p : args[1].split(",")) {
                peers.add(InetAddress.getByName(p));
            }
        }
        try (PcapTransport t = PcapTransport.open(iface, io.nginxha.agent.config.WireId.Family.IPV4, null, peers)) {
            if (System.getenv("PROBE_LIVENESS") != null) {
                watch(t);
            }
            if (args[2].equals("listen")) {
                t.start(p -> {
                    var decoded = AdvertCodec.decode(p.payload(), p.source(), p.destination(), p.ttl());
                    String what = decoded instanceof AdvertCodec.Decoded.Ok ok
                            ? "vrid=" + ok.advert().vrid() + " prio=" + ok.advert().priority()
                            : "dropped=" + ((AdvertCodec.Decoded.Dropped) decoded).reason();
                    System.out.println("RECV " + p.source().getHostAddress() + " " + p.destination().getHostAddress()
                            + " ttl=" + p.ttl() + " " + what);
                });
                System.out.println("READY");
                if (args.length > 3) {
                    t.send(advert(Integer.parseInt(args[3]), 100), PcapTransport.VRRP_GROUP);
                }
                while (System.in.read() >= 0) {
                    // wait for the test to close our stdin
                }
            } else {
                t.start(p -> { });
                int count = Integer.parseInt(args[3]);
                InetAddress dst = InetAddress.getByName(args[6]);
                for (int i = 0; i < count; i++) {
                    t.send(advert(Integer.parseInt(args[4]), Integer.parseInt(args[5])), dst);
                    Thread.sleep(50);
                }
                t.sendGarp(List.of((Inet4Address) InetAddress.getByName("10.77.0.130")));
                System.out.println("SENT " + count);
            }
        }
    }
}
