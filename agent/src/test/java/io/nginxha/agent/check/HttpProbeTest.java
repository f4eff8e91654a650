package io.nginxha.agent.check;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.nginxha.agent.config.NginxCheckConfig;
import io.nginxha.agent.config.Source;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpProbeTest {
    private static NginxCheckConfig probing(String url, int status) {
        return new NginxCheckConfig("nginx", "/x.pid", List.of(), url, 500, status, 1000, 20, 3, 10_000, 3000,
                10_000, 0, new Source(Path.of("t"), 1));
    }

    @Test
    void statusMustMatchAndARefusedConnectionFails() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", x -> {
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        server.start();
        int port = server.getAddress().getPort();
        String url = "http://127.0.0.1:" + port + "/health";
        try {
            assertTrue(new NginxTracker.HttpProbe(probing(url, 204)).probeOnce());
            assertFalse(new NginxTracker.HttpProbe(probing(url, 200)).probeOnce());
            assertFalse(new NginxTracker.HttpProbe(probing("http://127.0.0.1:" + port + "/none", 204)).probeOnce());
        } finally {
            server.stop(0);
        }
        assertFalse(new NginxTracker.HttpProbe(probing(url, 204)).probeOnce(), "nothing listens any more");
    }
}
