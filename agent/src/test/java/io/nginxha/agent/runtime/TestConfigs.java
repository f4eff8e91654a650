package io.nginxha.agent.runtime;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.GlobalConfig;
import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.InstanceConfig.InitialState;
import io.nginxha.agent.config.NotifyConfig;
import io.nginxha.agent.config.Source;
import io.nginxha.agent.config.VirtualAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The seed's VI_1 as records, with the few knobs the edge tests turn. */
final class TestConfigs {
    static final Source SRC = new Source(Path.of("test.conf"), 1);

    private TestConfigs() { }

    static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static InstanceConfig vi1(InitialState state, int priority, List<InetAddress> peers, GarpConfig garp) {
        return InstanceConfig.builder("VI_1").initialState(state).iface("eth0").vrid(66).priority(priority)
                .authPass("1111").vips(List.of(new VirtualAddress(ip("192.168.16.130"), 32, null, null, SRC)))
                .unicastPeers(peers).garp(garp).source(SRC).build();
    }

    static AgentConfig agent(InstanceConfig... instances) {
        GlobalConfig global = new GlobalConfig("test", 2, null, false, List.of(), null, null, 30,
                GarpConfig.DEFAULTS);
        return new AgentConfig(global, Map.of(), List.of(instances));
    }
}
