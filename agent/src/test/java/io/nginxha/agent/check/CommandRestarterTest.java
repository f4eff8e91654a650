package io.nginxha.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.nginxha.agent.config.NginxCheckConfig;
import io.nginxha.agent.config.Source;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The config test's verdict: nginx -t run by an unprivileged user fails on its pid file after the config parsed
 * (as vrrp-agent does in the lab: "open() "/run/nginx.pid" failed (13: Permission denied)"); that must not hand the
 * VIP over, while a real syntax error must.
 */
class CommandRestarterTest {
    private static final String UNPRIVILEGED = "nginx: [emerg] open() \"/run/nginx.pid\" failed (13: Permission denied)\n"
            + "nginx: configuration file /etc/nginx/nginx.conf test failed";
    private static final String BROKEN = "nginx: [emerg] unknown directive \"this_is_not_a_directive\" in "
            + "/etc/nginx/nginx.conf:40\nnginx: configuration file /etc/nginx/nginx.conf test failed";

    @Test
    void onlyAPermissionFailureIsInconclusive() {
        assertEquals(0, CommandRestarter.verdict(1, UNPRIVILEGED, true));
        assertEquals(1, CommandRestarter.verdict(1, BROKEN, true));
        assertEquals(0, CommandRestarter.verdict(0, "", true));
        assertEquals(1, CommandRestarter.verdict(1, UNPRIVILEGED, false), "a restart command's failure stays one");
    }

    @Test
    void aRealCommandsOutputDecidesItsStatus() throws Exception {
        NginxCheckConfig c = NginxCheckConfig.defaults("nginx", new Source(Path.of("t"), 1));
        NginxTracker.Restart denied = new CommandRestarter(c, List.of("sh", "-c", "echo '" + UNPRIVILEGED + "' >&2; exit 1"),
                "config test", true).start();
        NginxTracker.Restart broken = new CommandRestarter(c, List.of("sh", "-c", "echo '" + BROKEN + "' >&2; exit 1"),
                "config test", true).start();
        for (int i = 0; i < 500 && (denied.running() || broken.running()); i++) {
            Thread.sleep(10);
        }
        assertFalse(denied.running() || broken.running());
        assertEquals(0, denied.exitStatus());
        assertEquals(1, broken.exitStatus());
    }
}
