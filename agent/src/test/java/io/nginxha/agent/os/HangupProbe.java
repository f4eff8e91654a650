package io.nginxha.agent.os;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Run by SignalsTest in a JVM of its own started with SIGHUP ignored: says whether SIGHUP reaches the agent. */
public final class HangupProbe {
    private HangupProbe() { }

    public static void main(String[] args) throws Exception {
        CountDownLatch hup = new CountDownLatch(1);
        boolean installed = Signals.handleHangup(s -> hup.countDown());
        System.out.println("ready " + installed);
        System.out.flush();
        if (hup.await(10, TimeUnit.SECONDS)) {
            System.out.println("reload");
            System.exit(0);
        }
        System.out.println("no SIGHUP arrived");
        System.exit(1);
    }
}
