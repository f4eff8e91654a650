package io.nginxha.agent.runtime;

import static io.nginxha.agent.runtime.TestConfigs.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.InstanceConfig.InitialState;
import io.nginxha.agent.net.PacketTransport;
import io.nginxha.agent.net.VipManager;
import io.nginxha.agent.status.AgentStatus;
import io.nginxha.agent.status.CheckReporter;
import io.nginxha.agent.status.InstanceStatus;
import io.nginxha.agent.status.Metrics;
import io.nginxha.agent.status.StatusCommand;
import io.nginxha.agent.status.StatusJson;
import io.nginxha.agent.status.StatusServer;
import io.nginxha.agent.vrrp.Advert;
import io.nginxha.agent.vrrp.AdvertCodec;
import io.nginxha.agent.vrrp.DropReason;
import io.nginxha.agent.vrrp.VrrpState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The counters and state the loop copies for the endpoint, and the endpoint's three renderings. */
class StatusEndpointTest {
    private static final InetAddress SELF = ip("192.168.16.128");
    private static final InetAddress PEER = ip("192.168.16.129");
    private static final InetAddress GROUP = ip("224.0.0.18");
    private static final long SECOND = 1_000_000_000L;
    private static final String LABELS = "iname=\"VI_1\",intf=\"eth0\",vrid=\"66\"";

    private long now = 1_000 * SECOND;
    private final List<Advert> sent = new ArrayList<>();
    private PacketTransport.Listener listener;
    private Agent agent;

    private final PacketTransport transport = new PacketTransport() {
        @Override public String interfaceName() { return "eth0"; }
        @Override public InetAddress sourceAddress() { return SELF; }
        @Override public void send(Advert advert, InetAddress destination) { sent.add(advert); }
        @Override public void sendGarp(List<Inet4Address> addresses) { }
        @Override public void sendNeighborAdverts(List<java.net.Inet6Address> addresses) { }
        @Override public void start(Listener l) { listener = l; }
        @Override public void close() { }
    };

    private final VipManager vips = new VipManager() {
        @Override public boolean add(String dev, InetAddress a, int prefix, String label) { return true; }
        @Override public boolean remove(String dev, InetAddress a, int prefix) { return true; }
        @Override public List<Assigned> list(String dev) { return List.of(); }
    };

    @BeforeEach
    void masterThatHeardThreeAdverts() throws Exception {
        agent = new Agent(TestConfigs.agent(TestConfigs.vi1(InitialState.BACKUP, 100, List.of(), GarpConfig.DEFAULTS)),
                (iface, family, src, peers) -> transport, vips, () -> now);
        agent.start();
        now += 3 * SECOND + 700_000_000L; // past Master_Down_Interval: becomes master
        agent.runOnce();
        deliver(advert(66, 50, "1111"));      // lower priority: reaches VI_1, counted as received
        deliver(advert(66, 50, "wrong"));     // reaches VI_1 (received), which drops it for the password
        deliver(advert(67, 50, "1111"));      // no instance with VRID 67: unattributed
        agent.runOnce();
    }

    private void deliver(Advert advert) {
        listener.received(new PacketTransport.ReceivedPacket("eth0", PEER, GROUP, 255,
                AdvertCodec.encode(advert, PEER, GROUP)));
    }

    private static Advert advert(int vrid, int priority, String password) {
        byte[] auth = java.util.Arrays.copyOf(password.getBytes(StandardCharsets.US_ASCII), 8);
        return new Advert(2, vrid, priority, 100, List.of(ip("192.168.16.130")), 1, auth);
    }

    private AgentStatus snapshot() throws Exception {
        CompletableFuture<AgentStatus> reply = agent.snapshot();
        agent.runOnce();
        return reply.get(1, TimeUnit.SECONDS);
    }

    @Test
    void snapshotMatchesTheLoop() throws Exception {
        AgentStatus s = snapshot();
        InstanceStatus i = s.instances().get(0);
        assertEquals(VrrpState.MASTER, i.state());
        assertEquals(VrrpState.BACKUP, i.lastTransitionFrom());
        assertTrue(i.lastTransitionReason().contains("master down"), i.lastTransitionReason());
        assertEquals("192.168.16.128", i.masterAddress());
        assertTrue(i.vipsHeld());
        assertEquals(List.of("192.168.16.130/32"), i.vips());
        assertEquals(sent.size(), i.counts().advertsSent());
        assertTrue(sent.size() >= 1);
        assertEquals(2, i.counts().advertsReceived());
        assertEquals(1, i.counts().becameMaster());
        assertEquals(0, i.counts().releasedMaster());
        assertEquals(2, i.counts().transitions()); // INIT -> BACKUP -> MASTER
        assertEquals(1, i.counts().drops(DropReason.AUTH_PASSWORD));
        assertEquals(Map.of(DropReason.VRID, 1L), s.unattributedDrops());
    }

    @Test
    void metricsUseTheKeepalivedExporterNames() throws Exception {
        String m = Metrics.render(snapshot());
        assertTrue(m.contains("keepalived_vrrp_state{" + LABELS + ",ip_address=\"192.168.16.130/32\"} 2\n"), m);
        assertTrue(m.contains("keepalived_advertisements_sent_total{" + LABELS + "} " + sent.size() + "\n"), m);
        assertTrue(m.contains("keepalived_advertisements_received_total{" + LABELS + "} 2\n"), m);
        assertTrue(m.contains("keepalived_become_master_total{" + LABELS + "} 1\n"), m);
        assertTrue(m.contains("keepalived_authentication_failure_total{" + LABELS + "} 1\n"), m);
        assertTrue(m.contains("keepalived_ip_ttl_errors_total{" + LABELS + "} 0\n"), m);
        assertTrue(m.contains("vrrp_agent_adverts_dropped_total{iname=\"\",reason=\"vrid\"} 1\n"), m);
        assertTrue(m.contains("vrrp_agent_vip_held{" + LABELS + ",family=\"IPv4\"} 1\n"), m);
        assertTrue(m.contains("vrrp_agent_state{" + LABELS + ",family=\"IPv4\",state=\"MASTER\"} 1\n"), m);
        assertTrue(!m.contains("keepalived_vrrp_state{" + LABELS + ",family"), "keepalived_exporter's labels only");
    }

    @Test
    void metricsPassPromtool() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        Assumptions.assumeTrue(Files.isExecutable(promtool), "promtool missing (Debian package prometheus)");
        AgentStatus s = snapshot().withChecks(Map.of("chk_nginx", new CheckReporter.CheckResult(true, 0, 0.012, 1L)));
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(Metrics.render(s).getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertEquals("", output.strip(), output); // promtool prints lint problems even when it exits 0
    }

    @Test
    void jsonCarriesStateAndLastTransition() throws Exception {
        String json = StatusJson.render(snapshot());
        assertTrue(json.contains("\"name\":\"VI_1\",\"interface\":\"eth0\",\"vrid\":66,\"family\":\"IPv4\",\"state\":\"MASTER\","
                + "\"base_priority\":100,\"effective_priority\":100,\"master_address\":\"192.168.16.128\","
                + "\"vips\":[\"192.168.16.130/32\"],\"vips_held\":true,\"last_transition\":{\"time\":"), json);
        assertTrue(json.contains("\"from\":\"BACKUP\",\"to\":\"MASTER\",\"reason\":\"master down"), json);
        assertTrue(json.contains("\"adverts_dropped\":{\"auth_password\":1}"), json);
    }

    @Test
    void serverAnswersOnLoopbackAndTheCommandPrintsTheTable() throws Exception {
        AgentStatus fixed = snapshot();
        try (StatusServer server = StatusServer.start(0, () -> CompletableFuture.completedFuture(fixed),
                () -> Map.of("chk_nginx", new CheckReporter.CheckResult(false, 1, 0.5, 1L)))) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("vrrp_agent_check_up{name=\"chk_nginx\"} 0\n"), metrics.body());
            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base + "/statusx")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int rc = StatusCommand.run(List.of("--port", String.valueOf(server.port())),
                    new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
            assertEquals(0, rc);
            String table = out.toString(StandardCharsets.UTF_8);
            assertTrue(table.lines().anyMatch(l -> l.matches("VI_1 +eth0 +IPv4 +66 +MASTER +100 +192\\.168\\.16\\.128 +held .*")),
                    table);
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            assertEquals(0, StatusCommand.run(List.of("--json", "--port", String.valueOf(server.port())),
                    new PrintStream(json, true, StandardCharsets.UTF_8), System.err));
            assertTrue(json.toString(StandardCharsets.UTF_8).startsWith("{\"router_id\":\"test\""));
        }
    }
}
