package io.nginxha.agent.vrrp;

import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.NotifyConfig;
import io.nginxha.agent.config.Source;
import io.nginxha.agent.config.VirtualAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds {@link InstanceConfig}s for core tests; defaults are the seed's VI_1 as the BACKUP host. */
final class InstanceConfigBuilder {
    private static final Source TEST = new Source(Path.of("test.conf"), 1);

    private InstanceConfig.InitialState initialState = InstanceConfig.InitialState.BACKUP;
    private int vrid = 66;
    private int priority = 99;
    private int intervalCs = 100;
    private int version = 2;
    private String authPass = "1111";
    private final List<VirtualAddress> vips = new ArrayList<>(List.of(vip("192.168.16.130")));
    private boolean preempt = true;
    private int preemptDelaySec;
    private GarpConfig garp = new GarpConfig(0, 5, 0, 1, 0, 0, 0);

    static InstanceConfigBuilder config() {
        return new InstanceConfigBuilder();
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

    InstanceConfigBuilder master() {
        initialState = InstanceConfig.InitialState.MASTER;
        return this;
    }

    InstanceConfigBuilder vrid(int value) {
        vrid = value;
        return this;
    }

    InstanceConfigBuilder priority(int value) {
        priority = value;
        return this;
    }

    InstanceConfigBuilder intervalCs(int value) {
        intervalCs = value;
        return this;
    }

    /** Version 3 drops authentication, as keepalived does. */
    InstanceConfigBuilder v3() {
        version = 3;
        authPass = null;
        return this;
    }

    InstanceConfigBuilder authPass(String value) {
        authPass = value;
        return this;
    }

    InstanceConfigBuilder vips(String... literals) {
        vips.clear();
        for (String literal : literals) {
            vips.add(vip(literal));
        }
        return this;
    }

    InstanceConfigBuilder nopreempt() {
        preempt = false;
        return this;
    }

    InstanceConfigBuilder preemptDelaySec(int value) {
        preemptDelaySec = value;
        return this;
    }

    InstanceConfigBuilder garp(GarpConfig value) {
        garp = value;
        return this;
    }

    InstanceConfig build() {
        return new InstanceConfig("VI_1", initialState, "eth0", vrid, priority, intervalCs, version, authPass, vips,
                preempt, preemptDelaySec, null, List.of(), List.of(), List.of(), List.of(), NotifyConfig.NONE, garp,
                TEST);
    }
}
