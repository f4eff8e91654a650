package io.nginxha.agent.lab;

import io.nginxha.agent.lab.ClientHistory.Neighbour;
import io.nginxha.agent.lab.ClientHistory.Ownership;
import io.nginxha.agent.reliability.Ledger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link HistoryChecker} for a shell-driven lab (tests/lab-faults), from the files it recorded:
 * <pre>
 * HistoryCheck --fault NAME --vip VIP --poll POLLER_LOG --own HOST=FILE... --neigh FILE... --mac HOST=MAC...
 *              [--allow FROM_MS:TO_MS]... [--handover-ms N] [--max-departures N] [--max-outage-ms N]
 *              [--ledger AREA TRIED OUTCOME]
 * </pre>
 * --own files are {@code ip -ts -o monitor address} output (or {@code ip -o addr} lines with the same stamp),
 * --neigh files {@code ip -ts -o monitor neigh} of the client. Prints the report; exits 1 when a rule is broken or
 * a bound exceeded. With --ledger, a passing run records the row, OUTCOME followed by the history's figures.
 */
public final class HistoryCheck {
    private HistoryCheck() { }

    public static void main(String[] args) throws Exception {
        String fault = "lab";
        String vip = NetnsLab.VIP;
        Path poll = null;
        Map<String, List<Path>> own = new HashMap<>();
        List<Path> neigh = new ArrayList<>();
        Map<String, String> macs = new HashMap<>();
        List<HistoryChecker.Window> allowed = new ArrayList<>();
        double handover = 0;
        int maxDepartures = Integer.MAX_VALUE;
        double maxOutage = Double.MAX_VALUE;
        String[] ledger = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--fault" -> fault = args[++i];
                case "--vip" -> vip = args[++i];
                case "--poll" -> poll = Path.of(args[++i]);
                case "--own" -> {
                    String[] kv = args[++i].split("=", 2);
                    own.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(Path.of(kv[1]));
                }
                case "--neigh" -> neigh.add(Path.of(args[++i]));
                case "--mac" -> {
                    String[] kv = args[++i].split("=", 2);
                    macs.put(kv[0], kv[1].toLowerCase(Locale.ROOT));
                }
                case "--allow" -> {
                    String[] ft = args[++i].split(":", 2);
                    allowed.add(new HistoryChecker.Window("allowed", Double.parseDouble(ft[0]),
                            Double.parseDouble(ft[1])));
                }
                case "--handover-ms" -> handover = Double.parseDouble(args[++i]);
                case "--max-departures" -> maxDepartures = Integer.parseInt(args[++i]);
                case "--max-outage-ms" -> maxOutage = Double.parseDouble(args[++i]);
                case "--ledger" -> ledger = new String[] {args[++i], args[++i], args[++i]};
                default -> throw new IllegalArgumentException("HistoryCheck: unknown argument " + args[i]);
            }
        }
        if (poll == null) {
            throw new IllegalArgumentException("HistoryCheck: --poll is required");
        }
        ZoneId zone = ZoneId.systemDefault();
        List<Ownership> ownership = new ArrayList<>();
        for (Map.Entry<String, List<Path>> e : own.entrySet()) {
            for (Path file : e.getValue()) {
                ownership.addAll(ClientHistory.parseAddressMonitor(e.getKey(), vip, Files.readAllLines(file), zone));
            }
        }
        List<Neighbour> neighbours = new ArrayList<>();
        for (Path file : neigh) {
            neighbours.addAll(ClientHistory.parseNeighbourMonitor("client", vip, Files.readAllLines(file), zone));
        }
        ClientHistory h = new ClientHistory(ClientHistory.parsePollerLog("client", Files.readAllLines(poll)),
                ownership, neighbours, macs);
        HistoryChecker.Report r = HistoryChecker.check(fault, h, allowed, 30, handover);
        System.out.println(r);
        List<String> problems = new ArrayList<>(r.violations());
        for (String host : macs.keySet()) {
            if (r.departures(host) > maxDepartures) {
                problems.add("the client left " + host + " " + r.departures(host) + " times (at most "
                        + maxDepartures + ")");
            }
        }
        if (r.longestOutageMs() > maxOutage) {
            problems.add(String.format(Locale.ROOT, "longest outage %.0f ms (at most %.0f)", r.longestOutageMs(),
                    maxOutage));
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.out.println("  " + p));
            System.exit(1);
        }
        if (ledger != null) {
            Ledger.record(ledger[0], ledger[1], 1, String.format(Locale.ROOT, "%s; client history checked: "
                    + "served %s, longest outage %.0f ms, two holders for %.0f ms in all, no violation", ledger[2],
                    String.join(">", r.served()), r.longestOutageMs(), r.dualOwnershipMs()));
        }
    }
}
