package io.nginxha.agent.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.GlobalConfig;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The alert mail reaches a real SMTP server (GreenMail on loopback, a free port). */
class MailerTest {
    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP)
            .dynamicPort());

    @Test
    void alertReachesTheServerWithKeepalivedsSubject() throws Exception {
        int port = smtp.getSmtp().getPort();
        GlobalConfig g = new GlobalConfig("ha1", 2, null, false, List.of("ops@example.org", "oncall@example.org"),
                "vrrp@ha1.example.org", "127.0.0.1:" + port, 5, GarpConfig.DEFAULTS);
        new Mailer(g).send("VI_1", "FAULT", 100, "nginx down, restart failed");
        assertTrue(smtp.waitForIncomingEmail(5000, 2));
        MimeMessage[] got = smtp.getReceivedMessages();
        assertEquals(2, got.length);
        assertEquals("[ha1] VRRP Instance VI_1 - Entering FAULT state", got[0].getSubject());
        assertEquals("vrrp@ha1.example.org", got[0].getFrom()[0].toString());
        String body = GreenMailUtil.getBody(got[0]);
        assertTrue(body.contains("VI_1 is now FAULT (priority 100)"), body);
        assertTrue(body.contains("nginx down, restart failed"), body);
    }
}
