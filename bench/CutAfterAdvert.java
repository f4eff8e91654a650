import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;

/**
 * Cuts the master's link the moment the backup receives one of its adverts, so that every power-off trial starts
 * from the same phase of the advert cycle.
 *
 * <p>Started by bench/failover inside the backup's namespace (where the advert must have arrived for the phase to
 * mean anything), it starts CMD first, `ip -n MASTER_NS -batch -`, so that the cut at the trigger is one line
 * written to a process already running instead of a fork and exec whose latency varies by milliseconds. Adverts
 * during the first ARM_MS are let by: the bench arms it before the client has settled.
 *
 * <p>Usage: {@code java -cp vrrp-agent.jar bench/CutAfterAdvert.java IFACE SRC_IP ARM_MS LINE -- CMD...}. Prints
 * {@code cut_delay_us=N} (advert captured to cut line written) and exits when CMD does.
 */
public final class CutAfterAdvert {
    public static void main(String[] args) throws Exception {
        int dashes = Arrays.asList(args).indexOf("--");
        if (args.length < 6 || dashes != 4) {
            System.err.println("usage: CutAfterAdvert IFACE SRC_IP ARM_MS LINE -- CMD...");
            System.exit(2);
        }
        String iface = args[0];
        String source = args[1];
        long armNanos = Long.parseLong(args[2]) * 1_000_000L;
        byte[] line = (args[3] + "\n").getBytes(StandardCharsets.US_ASCII);
        Process cutter = new ProcessBuilder(Arrays.copyOfRange(args, 5, args.length))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        PcapHandle handle = new PcapHandle.Builder(iface)
                .snaplen(128)
                .promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
                .timeoutMillis(10)
                .immediateMode(true)
                .build();
        String ip = source.contains(":") ? "ip6" : "ip"; // an IPv6 source: VRRP over IPv6
        handle.setFilter(ip + " proto 112 and src host " + source, BpfCompileMode.OPTIMIZE);
        long armed = System.nanoTime() + armNanos;
        long captured;
        while (true) {
            if (handle.getNextRawPacket() == null) {
                continue;
            }
            captured = System.nanoTime();
            if (captured >= armed) {
                break;
            }
        }
        OutputStream stdin = cutter.getOutputStream();
        stdin.write(line);
        stdin.flush();
        long written = System.nanoTime();
        stdin.close();
        handle.close();
        int status = cutter.waitFor();
        System.out.printf("cut_delay_us=%d%n", (written - captured) / 1000);
        System.exit(status);
    }
}
