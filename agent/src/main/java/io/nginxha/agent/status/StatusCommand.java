package io.nginxha.agent.status;

import io.nginxha.agent.config.GlobalConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code vrrp-agent status [--json] [--port N]}: prints the running agent's status from its endpoint. */
public final class StatusCommand {
    private StatusCommand() { }

    /** Returns the exit status: 0 shown, 1 the agent did not answer, 2 bad usage. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        boolean json = false;
        int port = GlobalConfig.DEFAULT_STATUS_PORT;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--json")) {
                json = true;
            } else if (args.get(i).equals("--port") && i + 1 < args.size() && args.get(i + 1).matches("\\d{1,5}")) {
                port = Integer.parseInt(args.get(++i));
            } else {
                err.println("vrrp-agent: status takes [--json] [--port N], got '" + args.get(i) + "'");
                return 2;
            }
        }
        String url = "http://127.0.0.1:" + port + (json ? "/status" : "/status/table");
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(5000);
            int code = c.getResponseCode();
            try (InputStream in = code == 200 ? c.getInputStream() : c.getErrorStream()) {
                String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                (code == 200 ? out : err).print(body);
            }
            return code == 200 ? 0 : 1;
        } catch (IOException e) {
            err.println("vrrp-agent: no agent answers on " + url + " (" + e.getMessage()
                    + "); is it running, and is status_port " + port + "?");
            return 1;
        }
    }
}
