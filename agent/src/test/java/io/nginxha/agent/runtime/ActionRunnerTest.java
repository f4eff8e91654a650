package io.nginxha.agent.runtime;

import static io.nginxha.agent.runtime.TestConfigs.ip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nginxha.agent.config.GarpConfig;
import io.nginxha.agent.config.InstanceConfig.InitialState;
import io.nginxha.agent.vrrp.Advert;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActionRunnerTest {
    @Test
    void version2AdvertCarriesPaddedPassword() {
        Advert a = ActionRunner.advertFor(TestConfigs.vi1(InitialState.MASTER, 100, List.of(), GarpConfig.DEFAULTS), 100);
        assertEquals(2, a.version());
        assertEquals(66, a.vrid());
        assertEquals(100, a.priority());
        assertEquals(100, a.intervalCs());
        assertEquals(List.of(ip("192.168.16.130")), a.addresses());
        assertEquals(1, a.authType());
        assertArrayEquals(new byte[] {'1', '1', '1', '1', 0, 0, 0, 0}, a.authData());
    }

    @Test
    void resignationAdvertHasPriorityZero() {
        Advert a = ActionRunner.advertFor(TestConfigs.vi1(InitialState.MASTER, 100, List.of(), GarpConfig.DEFAULTS), 0);
        assertEquals(0, a.priority());
    }
}
