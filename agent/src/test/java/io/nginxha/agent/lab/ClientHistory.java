package io.nginxha.agent.lab;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a lab fault test saw, every record on one clock (wall-clock ms since the epoch): the clients' requests to the
 * VIP, when each host gained and lost the VIP on its interface, and where each client's neighbour table sent the VIP.
 * {@link HistoryChecker} judges it; {@link VipObserver} and the drill's Poller log record it. The parsers read the
 * Poller's {@code --log} file and {@code ip -ts -o monitor} lines.
 *
 * @param macs each host's MAC address (lower case), to name the host a client's neighbour entry points at
 */
public record ClientHistory(List<Request> requests, List<Ownership> ownership, List<Neighbour> neighbours,
                            Map<String, String> macs) {

    /** One request: started and ended (ms), answered by {@code server}'s page, or failed ({@code server} null). */
    public record Request(String client, double startMs, double endMs, String server) {
        public boolean ok() {
            return server != null;
        }
    }

    /** At {@code atMs}, {@code host} was seen to hold (or no longer hold) the VIP on its interface. */
    public record Ownership(double atMs, String host, boolean holds) { }

    /** At {@code atMs}, {@code client}'s neighbour entry for the VIP had {@code mac}, or no usable one (null). */
    public record Neighbour(double atMs, String client, String mac) { }

    public ClientHistory {
        requests = List.copyOf(requests);
        ownership = List.copyOf(ownership);
        neighbours = List.copyOf(neighbours);
        macs = Map.copyOf(macs);
    }

    /** The host whose MAC is {@code mac}, or null. */
    String hostOf(String mac) {
        if (mac == null) {
            return null;
        }
        for (Map.Entry<String, String> e : macs.entrySet()) {
            if (e.getValue().equalsIgnoreCase(mac)) {
                return e.getKey();
            }
        }
        return null;
    }

    /**
     * The drill Poller's log: {@code # start_unix_ms T} then {@code START END ok HOST} / {@code START END fail ERR}
     * (ms since the start).
     */
    static List<Request> parsePollerLog(String client, List<String> lines) {
        double start = Double.NaN;
        List<Request> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            if (line.startsWith("# start_unix_ms ")) {
                start = Double.parseDouble(line.substring("# start_unix_ms ".length()).strip());
                continue;
            }
            if (line.isBlank()) {
                continue;
            }
            if (Double.isNaN(start)) {
                throw new IllegalArgumentException("poller log without its '# start_unix_ms' line: " + line);
            }
            String[] f = line.strip().split(" ", 4);
            double s = start + Double.parseDouble(f[0]);
            double e = start + Double.parseDouble(f[1]);
            out.add(new Request(client, s, e, f[2].equals("ok") ? f[3] : null));
        }
        return out;
    }

    private static final Pattern STAMP = Pattern.compile("^\\[(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+)\\]\\s*(.*)$");

    /** {@code [2026-12-04T18:40:30.023417] ...} in the machine's zone (as ip prints it) to epoch ms, or NaN. */
    static double stampMs(String line, ZoneId zone) {
        Matcher m = STAMP.matcher(line);
        if (!m.matches()) {
            return Double.NaN;
        }
        LocalDateTime t = LocalDateTime.parse(m.group(1));
        return t.atZone(zone).toInstant().toEpochMilli() + (t.getNano() % 1_000_000) / 1e6;
    }

    private static String body(String line) {
        Matcher m = STAMP.matcher(line);
        return m.matches() ? m.group(2) : line;
    }

    /**
     * {@code ip -ts -o monitor address} lines from {@code host}'s namespace: an address line naming {@code vip/} is
     * the VIP added, one starting with "Deleted" the VIP removed; other addresses are ignored.
     */
    static List<Ownership> parseAddressMonitor(String host, String vip, List<String> lines, ZoneId zone) {
        List<Ownership> out = new ArrayList<>();
        String needle = " " + vip + "/";
        for (String line : lines) {
            double at = stampMs(line, zone);
            String body = body(line);
            if (Double.isNaN(at) || !body.contains(needle)) {
                continue;
            }
            out.add(new Ownership(at, host, !body.startsWith("Deleted")));
        }
        return out;
    }

    private static final Pattern LLADDR = Pattern.compile(" lladdr ([0-9a-fA-F:]{17})");

    /**
     * {@code ip -ts -o monitor neigh} lines from {@code client}'s namespace about {@code vip}: the entry's MAC, or
     * null when it is deleted, INCOMPLETE or FAILED (the client has nowhere to send to).
     */
    static List<Neighbour> parseNeighbourMonitor(String client, String vip, List<String> lines, ZoneId zone) {
        List<Neighbour> out = new ArrayList<>();
        for (String line : lines) {
            double at = stampMs(line, zone);
            String body = body(line);
            if (!Double.isNaN(at) && body.replaceFirst("^Deleted ", "").startsWith(vip + " ")) {
                out.add(new Neighbour(at, client, macOf(body)));
            }
        }
        return out;
    }

    /** The MAC of one {@code ip neigh} line, or null when it is deleted, INCOMPLETE or FAILED (or empty). */
    static String macOf(String neighLine) {
        Matcher m = LLADDR.matcher(neighLine);
        boolean unusable = neighLine.startsWith("Deleted ") || neighLine.contains("FAILED")
                || neighLine.contains("INCOMPLETE") || !m.find();
        return unusable ? null : m.group(1).toLowerCase(Locale.ROOT);
    }
}
