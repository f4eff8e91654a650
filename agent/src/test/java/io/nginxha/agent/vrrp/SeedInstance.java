package io.nginxha.agent.vrrp;

import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.Source;
import io.nginxha.agent.config.VirtualAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The seed's VI_1 as the BACKUP host, for core tests to adjust: {@code config().priority(100).build()}. */
final class SeedInstance {
    private static final Source TEST = new Source(Path.of("test.conf"), 1);
    /** One burst of 5 GARPs on becoming master: no delayed second one, no refresh, none on a lower-priority advert. */
    private static final GarpConfig ONE_BURST = new GarpConfig(0, 5, 0, 1, 0, 0, 0);

    private SeedInstance() { }

    static InstanceConfig.Builder config() {
        return InstanceConfig.builder("VI_1").iface("eth0").vrid(66).priority(99).authPass("1111")
                .vips(vips("192.168.16.130")).garp(ONE_BURST).source(TEST);
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static VirtualAddress vip(String literal) {
        InetAddress address = ip(literal);
        return new VirtualAddress(address, address.getAddress().length * 8, null, null, TEST);
    }

    static List<VirtualAddress> vips(String... literals) {
        return Arrays.stream(literals).map(SeedInstance::vip).toList();
    }
}
