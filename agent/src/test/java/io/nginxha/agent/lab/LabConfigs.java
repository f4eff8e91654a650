package io.nginxha.agent.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * keepalived.conf texts for the lab pair, in the seed's shape, read by both the agent and keepalived. The text comes
 * from {@code scripts/seed-config}, the one source of the seed's config that scripts/nslab and bench/ use too.
 */
final class LabConfigs {
    private LabConfigs() { }

    static String seed(String state, int priority) {
        return seed(state, priority, 2, "1", "");
    }

    /**
     * @param extra lines added inside the instance block (unicast, nopreempt...); an empty line follows them
     * @throws UncheckedIOException when the script cannot be run: a test with no config cannot go on
     */
    static String seed(String state, int priority, int version, String advertInt, String extra) {
        List<String> cmd = new ArrayList<>(List.of(NetnsLab.REPO.resolve("scripts/seed-config").toString(), state,
                Integer.toString(priority), "--router-id", state.equals("MASTER") ? "ha1" : "ha2",
                "--vrrp-version", Integer.toString(version), "--advert-int", advertInt, "--extra", extra));
        try {
            return NetnsLab.run(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The seed's instance for any host of a cluster: {@code router} names it in global_defs (ha3...). */
    static String seedFor(String router, String state, int priority) {
        List<String> cmd = List.of(NetnsLab.REPO.resolve("scripts/seed-config").toString(), state,
                Integer.toString(priority), "--router-id", router);
        try {
            return NetnsLab.run(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String unicast(String self, String peer) {
        return """
                    unicast_src_ip %s
                    unicast_peer {
                        %s
                    }
                """.formatted(self, peer);
    }
}
