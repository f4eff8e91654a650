package io.nginxha.agent.lab;

import io.nginxha.agent.net.Frames;
import java.io.EOFException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapHandle.PcapDirection;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;

/**
 * A lossy, jittery wire between two ports of the lab's bridge, for kernels without tc netem: run in the switch
 * namespace while the two ports are partitioned, it captures what each host sends and hands it to the other one,
 * dropping each frame with the given probability and delaying the rest by a uniform random time (so frames
 * may be reordered, as with netem's jitter). Only frames the other host would accept are relayed: broadcast,
 * multicast, or addressed to a MAC seen as a source on its port.
 *
 * <p>Usage: {@code LossyLink PORT_A PORT_B LOSS_PERCENT DELAY_MIN_MS DELAY_MAX_MS SEED LOG}. Prints READY once
 * both ports are captured; runs until killed. LOG gets one line per VRRP frame, written when its fate is decided:
 * {@code CAPTURE_NANOS FROM_PORT SOURCE_IP PRIORITY DELIVER_NANOS} (System.nanoTime, which all processes of the
 * machine share) or {@code lost} instead of the delivery time.
 */
public final class LossyLink {
    private final Random random;
    private final double loss;
    private final long minDelayNanos;
    private final long maxDelayNanos;
    private final PrintWriter log;
    private final ScheduledExecutorService wire = Executors.newSingleThreadScheduledExecutor();

    private LossyLink(double loss, long minDelayNanos, long maxDelayNanos, long seed, PrintWriter log) {
        this.random = new Random(seed);
        this.loss = loss;
        this.minDelayNanos = minDelayNanos;
        this.maxDelayNanos = maxDelayNanos;
        this.log = log;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: LossyLink PORT_A PORT_B LOSS_PERCENT DELAY_MIN_MS DELAY_MAX_MS SEED LOG");
            System.exit(2);
        }
        PrintWriter log = new PrintWriter(Files.newBufferedWriter(Path.of(args[6])), true);
        LossyLink link = new LossyLink(Double.parseDouble(args[2]) / 100,
                TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[3])),
                TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[4])), Long.parseLong(args[5]), log);
        Port a = new Port(args[0], open(args[0]));
        Port b = new Port(args[1], open(args[1]));
        link.relay(a, b);
        link.relay(b, a);
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join();
    }

    private static PcapHandle open(String port) throws PcapNativeException, NotOpenException {
        return new PcapHandle.Builder(port).snaplen(65535).promiscuousMode(PromiscuousMode.PROMISCUOUS)
                .timeoutMillis(100).immediateMode(true).direction(PcapDirection.IN).build();
    }

    /** A bridge port, its capture handle and the MACs seen sending from it. */
    private record Port(String name, PcapHandle handle, Set<String> macs) {
        Port(String name, PcapHandle handle) {
            this(name, handle, ConcurrentHashMap.newKeySet());
        }
    }

    private void relay(Port from, Port to) {
        Thread t = new Thread(() -> {
            HexFormat hex = HexFormat.of();
            while (true) {
                byte[] frame;
                try {
                    frame = from.handle().getNextRawPacketEx();
                } catch (TimeoutException e) {
                    continue;
                } catch (EOFException | NotOpenException | PcapNativeException e) {
                    System.err.println("LossyLink: " + from.name() + ": " + e);
                    return;
                }
                if (frame.length < 14) {
                    continue;
                }
                from.macs().add(hex.formatHex(frame, 6, 12));
                boolean group = (frame[0] & 1) != 0;
                if (group || to.macs().contains(hex.formatHex(frame, 0, 6))) {
                    decide(frame, from, to);
                }
            }
        }, "relay-" + from.name());
        t.setDaemon(true);
        t.start();
    }

    private void decide(byte[] frame, Port from, Port to) {
        long now = System.nanoTime();
        boolean lost;
        long delay;
        synchronized (random) {
            lost = random.nextDouble() < loss;
            delay = minDelayNanos + (long) (random.nextDouble() * (maxDelayNanos - minDelayNanos));
        }
        Frames.parseIp(frame).filter(ip -> ip.protocol() == 112 && ip.payload().length > 2).ifPresent(ip ->
                log.println(now + " " + from.name() + " " + ip.src().getHostAddress() + " " + (ip.payload()[2] & 0xff)
                        + " " + (lost ? "lost" : Long.toString(now + delay))));
        if (!lost) {
            wire.schedule(() -> send(to, frame), delay, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * What a backup that heard the adverts of {@code source} as logged must have done: it takes over exactly when
     * no advert arrived for Master_Down_Interval. Outside [{@code cutNanos}, {@code healNanos}] the bridge
     * delivered every advert directly as well (at its capture time); inside it only the relay did.
     *
     * @param band  how near a gap may be to the interval and count as either (the timer runs on another process)
     */
    static Silences silences(List<String> log, String port, String source, long cutNanos, long healNanos,
                             double masterDownSec, double band) {
        List<Long> arrivals = new ArrayList<>();
        int adverts = 0;
        int lost = 0;
        for (String line : log) {
            String[] f = line.split(" ");
            if (f.length != 5 || !f[1].equals(port) || !f[2].equals(source)) {
                continue;
            }
            long captured = Long.parseLong(f[0]);
            boolean relayedOnly = captured - cutNanos >= 0 && healNanos - captured >= 0;
            if (relayedOnly) {
                adverts++;
                if (f[4].equals("lost")) {
                    lost++;
                } else {
                    arrivals.add(Long.parseLong(f[4]));
                }
            } else {
                arrivals.add(captured);
            }
        }
        arrivals.sort(null);
        int certain = 0;
        int possible = 0;
        double longest = 0;
        for (int i = 1; i < arrivals.size(); i++) {
            double gap = (arrivals.get(i) - arrivals.get(i - 1)) / 1e9;
            longest = Math.max(longest, gap);
            certain += gap > masterDownSec + band ? 1 : 0;
            possible += gap > masterDownSec - band ? 1 : 0;
        }
        return new Silences(adverts, lost, certain, possible, longest);
    }

    /**
     * @param adverts   adverts the source sent while only the relay carried them
     * @param lost      how many of those the relay dropped
     * @param certain   silences clearly longer than Master_Down_Interval: takeovers the backup must have made
     * @param possible  those plus the ones too near the interval to call
     * @param longestSec the longest silence
     */
    record Silences(int adverts, int lost, int certain, int possible, double longestSec) { }

    private static void send(Port to, byte[] frame) {
        try {
            to.handle().sendPacket(frame);
        } catch (PcapNativeException | NotOpenException e) {
            System.err.println("LossyLink: send on " + to.name() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            System.err.println("LossyLink: send on " + to.name() + ": " + e);
        }
    }
}
