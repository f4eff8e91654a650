package io.nginxha.agent.cli;

import io.nginxha.agent.check.Trackers;
import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.ConfigException;
import io.nginxha.agent.config.ConfigLoader;
import io.nginxha.agent.config.LoadResult;
import io.nginxha.agent.config.RiskChecks;
import io.nginxha.agent.config.WireId;
import io.nginxha.agent.config.YamlWriter;
import io.nginxha.agent.net.AddressMonitor;
import io.nginxha.agent.net.NativeLibraries;
import io.nginxha.agent.net.NetlinkRouteManager;
import io.nginxha.agent.net.NetlinkVipManager;
import io.nginxha.agent.net.NetlinkVmacManager;
import io.nginxha.agent.net.PacketTransport;
import io.nginxha.agent.net.PcapTransport;
import io.nginxha.agent.notify.Notifier;
import io.nginxha.agent.notify.StateFile;
import io.nginxha.agent.proc.ChildProcesses;
import io.nginxha.agent.os.Liveness;
import io.nginxha.agent.os.Signals;
import io.nginxha.agent.runtime.Agent;
import io.nginxha.agent.runtime.AnnounceService;
import io.nginxha.agent.runtime.DrainingStop;
import io.nginxha.agent.runtime.Clock;
import io.nginxha.agent.runtime.TransportFactory;
import io.nginxha.agent.status.CheckReporter;
import io.nginxha.agent.status.StatusServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.slf4j.LoggerFactory;

/**
 * Command line: {@code run -c FILE}, {@code check-config -c FILE [--peer FILE]}, {@code convert FILE},
 * {@code status [--json] [--port N]}, {@code drill -i INVENTORY SCENARIO...}, {@code --version}, {@code --help}.
 */
public final class Main {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private static final String HELP = """
            usage: vrrp-agent run -c FILE [--log-level LEVEL] [--state-file PATH|none]
                                                                run the VRRP instances of FILE
                   vrrp-agent check-config -c FILE [--peer FILE] validate FILE (keepalived.conf or YAML); with
                                                                --peer, also compare with the other host's config
                   vrrp-agent convert FILE                      print FILE (keepalived.conf) as the agent's YAML
                   vrrp-agent status [--json] [--port N]        show the running agent's instances
                   vrrp-agent drill -i INVENTORY SCENARIO...    failover drill against a pair (drill --help)
                   vrrp-agent --version | --help
            run and check-config also take --config-id ID (keepalived's -i): the @ID lines of FILE to keep and
            $_INSTANCE; the default is the host name up to its first dot, as in keepalived.
            LEVEL is one of ERROR, WARN, INFO (default), DEBUG, TRACE.
            The state file (default /run/vrrp-agent/state.json) is rewritten on every state change.""";

    private Main() { }

    public static void main(String[] args) {
        NativeLibraries.configure();
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs one command and returns the exit status (0 ok, 1 failed, 2 bad usage). */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(HELP);
            return OK;
        }
        if (args.length == 1 && args[0].equals("--version")) {
            out.println("vrrp-agent " + version());
            return OK;
        }
        if (args.length > 0 && args[0].equals("convert")) {
            return args.length == 2 ? convert(Path.of(args[1]), out, err) : usage(err, "convert needs one FILE");
        }
        if (args.length > 0 && args[0].equals("status")) {
            return io.nginxha.agent.status.StatusCommand.run(List.of(args).subList(1, args.length), out, err);
        }
        if (args.length > 0 && args[0].equals("drill")) {
            return DrillLauncher.forward(List.of(args).subList(1, args.length), err);
        }
        if (args.length == 0 || !(args[0].equals("run") || args[0].equals("check-config"))) {
            return usage(err, args.length == 0 ? "no command given" : "unknown command '" + args[0] + "'");
        }
        Path file = null;
        Path peer = null;
        String level = null;
        Path stateFile = StateFile.DEFAULT;
        String configId = ConfigLoader.defaultConfigId();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            boolean hasValue = i + 1 < args.length;
            if ((a.equals("-c") || a.equals("--config")) && hasValue) {
                file = Path.of(args[++i]);
            } else if (a.equals("--config-id") && hasValue) {
                configId = args[++i];
            } else if (a.equals("--state-file") && hasValue && args[0].equals("run")) {
                String v = args[++i];
                stateFile = v.equals("none") ? null : Path.of(v);
            } else if (a.equals("--peer") && hasValue && args[0].equals("check-config")) {
                peer = Path.of(args[++i]);
            } else if (a.equals("--log-level") && hasValue && args[0].equals("run")) {
                level = args[++i].toUpperCase();
                if (!List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE").contains(level)) {
                    return usage(err, "unknown log level '" + args[i] + "'");
                }
            } else {
                return usage(err, hasValue || !a.startsWith("-") ? "unexpected argument '" + a + "'"
                        : "option " + a + " needs a value");
            }
        }
        if (file == null) {
            return usage(err, args[0] + " needs -c FILE");
        }
        if (!Files.isReadable(file)) {
            err.println(file + ": cannot read: " + (Files.exists(file) ? "permission denied" : "no such file"));
            return FAILED;
        }
        if (args[0].equals("check-config")) {
            return checkConfig(file, configId, peer, out, err);
        }
        if (level != null) {
            System.setProperty("vrrp.log.level", level); // read by logback.xml when the first logger is made
        }
        AgentConfig config;
        try {
            config = ConfigLoader.load(file, configId);
            RunAsCheck.check(config, System.getProperty("user.name"), ChildProcesses.AGENT_IS_ROOT);
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            err.println(file + ": " + e.problems().size() + " problem(s)");
            return FAILED;
        }
        return run(config, file, configId, stateFile, err);
    }

    /** Errors and warnings as {@code file:line: message}; only errors make it fail. */
    private static int checkConfig(Path file, String configId, Path peerFile, PrintStream out, PrintStream err) {
        LoadResult result;
        try {
            result = ConfigLoader.loadWithWarnings(file, configId);
        } catch (ConfigException e) {
            e.problems().forEach(p -> err.println("error: " + p));
            err.println(file + ": " + e.problems().size() + " error(s)");
            return FAILED;
        }
        List<String> warnings = new ArrayList<>(result.warnings());
        warnings.addAll(RiskChecks.of(result.config()));
        if (peerFile != null) {
            try {
                warnings.addAll(RiskChecks.againstPeer(result.config(), ConfigLoader.loadWithWarnings(peerFile).config()));
            } catch (ConfigException e) {
                e.problems().forEach(p -> err.println("error (peer): " + p));
                return FAILED;
            }
        }
        warnings.forEach(w -> err.println("warning: " + w));
        out.println(file + ": OK, " + result.config().instances().size() + " VRRP instance(s), "
                + warnings.size() + " warning(s)");
        return OK;
    }

    private static int convert(Path file, PrintStream out, PrintStream err) {
        try {
            out.print(YamlWriter.write(ConfigLoader.loadWithWarnings(file).config()));
            return OK;
        } catch (ConfigException e) {
            e.problems().forEach(p -> err.println("error: " + p));
            return FAILED;
        }
    }

    private static int run(AgentConfig config, Path file, String configId, Path stateFile, PrintStream err) {
        // Every capture thread is part of the agent's liveness: the watchdog is fed only while each one works.
        Liveness liveness = new Liveness(Clock.SYSTEM::nanoTime);
        Agent agent = new Agent(config, new TransportFactory() {
            @Override
            public PacketTransport open(String iface, WireId.Family family, InetAddress src, List<InetAddress> peers)
                    throws IOException {
                return open(iface, family, src, peers, null);
            }

            @Override
            public PacketTransport open(String iface, WireId.Family family, InetAddress src, List<InetAddress> peers,
                                        InetAddress group) throws IOException {
                PcapTransport t = PcapTransport.open(iface, family, src, peers, group);
                t.watchedBy(liveness);
                return t;
            }

            @Override
            public PacketTransport openVmac(String vmac, byte[] mac, String base, boolean xmitBase,
                                            WireId.Family family, InetAddress src, List<InetAddress> peers)
                    throws IOException {
                PcapTransport t = PcapTransport.openVmac(vmac, mac, base, xmitBase, family, src, peers);
                t.watchedBy(liveness);
                return t;
            }
        }, new NetlinkVipManager(), new NetlinkVmacManager(), new NetlinkRouteManager(), Clock.SYSTEM, liveness);
        agent.reloadFrom(new SettledConfig(file, configId));
        agent.useFirewall(new io.nginxha.agent.net.NftFirewall()); // drop rules of instances without accept mode
        String note = RunAsCheck.securityNote(config, System.getProperty("user.name"), ChildProcesses.AGENT_IS_ROOT);
        if (note != null) {
            LoggerFactory.getLogger(Main.class).warn(note);
        }
        // vip_announce groups run beside the VRRP loop; SIGTERM drains them before the loop stops
        AnnounceService announce = new AnnounceService(config.announce(), new NetlinkVipManager(),
                new NetlinkRouteManager(), Clock.SYSTEM, liveness);
        Signals.install(new DrainingStop(agent, announce));
        // the polling tracker threads (track_process) are part of the liveness too
        Trackers trackers = Trackers.create(config, announce.routing(agent::inject), Wiring.heartbeats(liveness));
        // Off the start-up path: the HTTP server's classes load while the instances send their first adverts.
        CompletableFuture<StatusServer> status =
                CompletableFuture.supplyAsync(() -> startStatus(config, agent, announce, trackers, liveness));
        try (Notifier notifier = Notifier.create(config, stateFile); trackers; announce;
             AddressMonitor addresses = AddressMonitor.open(liveness)) {
            addresses.listen(agent::addressRemoved); // VIPs removed by others: keepalived's tracking
            agent.addTransitionListener(Wiring.listener(notifier));
            agent.addSyncGroupListener(notifier::groupTransition);
            agent.addReloadListener((next, fresh) -> announce.reload(next)); // before the trackers tell it verdicts
            agent.addReloadListener(trackers::reload);
            agent.addReloadListener(notifier::reload);
            trackers.watchedBy(liveness); // a check or notify thread that dies or hangs stops the watchdog too
            notifier.watchedBy(liveness);
            trackers.start(); // only queues events: the loop handles them after the instances' start-up
            agent.whenStarted(() -> LoopScheduling.apply(config.global().scheduling()));
            agent.addReloadListener((next, fresh) -> LoopScheduling.apply(next.global().scheduling()));
            return agent.run();
        } catch (IOException e) {
            LoggerFactory.getLogger(Main.class).error("cannot start: {}", e.getMessage());
            return FAILED;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            err.println("vrrp-agent: libpcap could not be loaded (install libpcap0.8): " + e.getMessage());
            return FAILED;
        } finally {
            StatusServer server = status.join();
            if (server != null) {
                server.close();
            }
        }
    }

    /** The endpoint is a convenience: a port in use is logged, and the VIP does not depend on it. */
    private static StatusServer startStatus(AgentConfig config, Agent agent, AnnounceService announce,
                                            CheckReporter checks, Liveness liveness) {
        int port = config.global().statusPort();
        if (port == 0) {
            return null;
        }
        try {
            return StatusServer.start(port, () -> agent.snapshot().thenApply(s -> s.withAnnounce(announce.statuses())),
                    checks, liveness); // its threads too: a dead or stuck endpoint stops the watchdog
        } catch (IOException e) {
            LoggerFactory.getLogger(Main.class).warn("status endpoint on 127.0.0.1:{} not started: {}", port,
                    e.getMessage());
            return null;
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("vrrp-agent: " + problem);
        err.println(HELP);
        return USAGE;
    }

    static String version() {
        try (InputStream in = Main.class.getResourceAsStream(
                "/META-INF/maven/io.nginxha/vrrp-agent/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        return "dev";
    }
}
