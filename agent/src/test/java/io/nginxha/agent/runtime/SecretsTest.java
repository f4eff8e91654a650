package io.nginxha.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.nginxha.agent.cli.Main;
import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.ConfigLoader;
import io.nginxha.agent.net.PacketTransport;
import io.nginxha.agent.net.VipManager;
import io.nginxha.agent.notify.Notifier;
import io.nginxha.agent.reliability.Ledger;
import io.nginxha.agent.status.AgentStatus;
import io.nginxha.agent.status.Metrics;
import io.nginxha.agent.status.StatusJson;
import io.nginxha.agent.status.StatusTable;
import io.nginxha.agent.vrrp.Advert;
import io.nginxha.agent.vrrp.AdvertCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The VRRP password is a secret: it must never reach the log (at any level), {@code /status}, {@code /metrics},
 * the status table, the state file, or {@code check-config}'s output, not even in the messages about a bad or too
 * long password. {@code convert} is the one place that must still write it (the YAML replaces the file).
 */
class SecretsTest {
    private static final String SECRET = "Qz7Kp2Wx";
    private static final String LONG_SECRET = "Mv9Rt4LbTail";
    private static final long SECOND = 1_000_000_000L;
    private static final InetAddress SELF = ip("192.168.16.128");
    private static final InetAddress PEER = ip("192.168.16.129");
    private static final InetAddress GROUP = ip("224.0.0.18");

    @TempDir
    Path dir;
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private Level rootLevel;

    @BeforeEach
    void captureEveryLogLevel() {
        rootLevel = root.getLevel();
        root.setLevel(Level.TRACE);
        logged.start();
        root.addAppender(logged);
    }

    @AfterEach
    void restoreLogging() {
        root.detachAppender(logged);
        root.setLevel(rootLevel);
    }

    private Path config(String secondPassword) throws Exception {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, """
                global_defs {
                    router_id ha1
                    notification_email { ops@example.com }
                    notification_email_from ha1@example.com
                    smtp_server 127.0.0.1 2525
                }
                vrrp_instance VI_1 {
                    state BACKUP
                    interface eth0
                    virtual_router_id 66
                    priority 100
                    advert_int 1
                    authentication {
                        auth_type PASS
                        auth_pass %s
                    }
                    virtual_ipaddress { 192.168.16.130 }
                }
                vrrp_instance VI_2 {
                    interface eth0
                    virtual_router_id 67
                    priority 100
                    authentication {
                        auth_type PASS
                        auth_pass %s
                    }
                    virtual_ipaddress { 192.168.16.131 }
                }
                """.formatted(SECRET, secondPassword));
        return file;
    }

    @Test
    void checkConfigShowsNeitherPasswordNorItsTruncation() throws Exception {
        Path file = config(LONG_SECRET);
        Output check = main("check-config", "-c", file.toString());
        assertEquals(Main.OK, check.status, check.all());
        assertTrue(check.all().contains("auth_pass is longer than 8 characters"), check.all());
        assertNoSecret("check-config output", check.all());

        Output convert = main("convert", file.toString());
        assertEquals(Main.OK, convert.status, convert.all());
        assertTrue(convert.out.contains(SECRET), "convert must keep the password: " + convert.out);
        assertTrue(convert.out.contains(LONG_SECRET.substring(0, 8)), convert.out);
        Ledger.record("hardening", "secrets: auth_pass (also too long) in check-config output", 1,
                "never shown; convert still writes it");
    }

    @Test
    void aPasswordWithASpaceIsRejectedWithoutEchoingEitherWord() throws Exception {
        Output check = main("check-config", "-c", config("Gh7 Wq2x").toString());
        assertEquals(Main.FAILED, check.status, check.all());
        assertTrue(check.all().contains("'auth_pass' takes one word, got 2 (value not shown: it is a secret)"),
                check.all());
        assertFalse(check.all().contains("Gh7"), check.all());
        assertFalse(check.all().contains("Wq2x"), check.all());
        Ledger.record("hardening", "secrets: auth_pass of two words in check-config output", 1, "never shown");
    }

    @Test
    void aPasswordThatIsNotPrintableIsRejectedWithoutBeingQuoted() throws Exception {
        String bad = "Zx\u00e9Secr";
        Output check = main("check-config", "-c", config(bad).toString());
        assertEquals(Main.FAILED, check.status, check.all());
        assertTrue(check.all().contains("auth_pass must be printable ASCII"), check.all());
        assertFalse(check.all().contains(bad), check.all());
        assertFalse(check.all().contains("Secr"), check.all());
    }

    @Test
    void runningAgentKeepsThePasswordOutOfLogsStatusMetricsAndStateFile() throws Exception {
        AgentConfig config = ConfigLoader.load(config(LONG_SECRET));
        long[] now = {1_000 * SECOND};
        List<PacketTransport.Listener> listeners = new ArrayList<>();
        Agent agent = new Agent(config, (iface, src, peers) -> transport(listeners), vips(), () -> now[0]);
        Path stateFile = dir.resolve("state.json");
        try (Notifier notifier = Notifier.create(config, stateFile)) {
            agent.addTransitionListener(notifier::transition);
            agent.start();
            now[0] += 4 * SECOND; // past Master_Down_Interval: both instances become master
            agent.runOnce();
            for (PacketTransport.Listener listener : listeners) {
                listener.received(new PacketTransport.ReceivedPacket("eth0", PEER, GROUP, 255,
                        AdvertCodec.encode(advert(66, "guess123"), PEER, GROUP)));
                listener.received(new PacketTransport.ReceivedPacket("eth0", PEER, GROUP, 255,
                        AdvertCodec.encode(advert(66, SECRET), PEER, GROUP)));
            }
            agent.runOnce();
            CompletableFuture<AgentStatus> reply = agent.snapshot();
            agent.runOnce();
            AgentStatus status = reply.get(1, TimeUnit.SECONDS);
            assertEquals(2, status.instances().size());
            assertNoSecret("/status", StatusJson.render(status));
            assertNoSecret("/metrics", Metrics.render(status));
            assertNoSecret("status table", StatusTable.render(status));
        }
        String state = Files.readString(stateFile, StandardCharsets.UTF_8);
        assertTrue(state.contains("VI_1"), state);
        assertNoSecret("state file", state);
        List<String> lines = logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertTrue(lines.size() >= 3, "expected the start-up and transitions in the log: " + lines);
        assertNoSecret("log", String.join("\n", lines));
        Ledger.record("hardening", "secrets: auth_pass in log (TRACE and up), /status, /metrics, status table,"
                + " state file of a running agent", 1, "never present");
    }

    private static void assertNoSecret(String where, String text) {
        assertFalse(text.contains(SECRET), where + " shows the password: " + text);
        assertFalse(text.contains(LONG_SECRET.substring(0, 8)), where + " shows the second password: " + text);
    }

    private record Output(int status, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private static Output main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Advert advert(int vrid, String password) {
        byte[] auth = Arrays.copyOf(password.getBytes(StandardCharsets.US_ASCII), 8);
        return new Advert(2, vrid, 50, 100, List.of(ip("192.168.16.130")), 1, auth);
    }

    private static PacketTransport transport(List<PacketTransport.Listener> listeners) {
        return new PacketTransport() {
            @Override public String interfaceName() { return "eth0"; }
            @Override public InetAddress sourceAddress() { return SELF; }
            @Override public void send(Advert advert, InetAddress destination) { }
            @Override public void sendGarp(List<Inet4Address> addresses) { }
            @Override public void start(Listener l) { listeners.add(l); }
            @Override public void close() { }
        };
    }

    private static VipManager vips() {
        return new VipManager() {
            @Override public boolean add(String dev, InetAddress a, int prefix, String label) { return true; }
            @Override public boolean remove(String dev, InetAddress a, int prefix) { return true; }
            @Override public List<Assigned> list(String dev) { return List.of(); }
        };
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
