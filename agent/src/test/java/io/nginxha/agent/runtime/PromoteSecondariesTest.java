package io.nginxha.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nginxha.agent.config.InstanceConfig;
import io.nginxha.agent.config.VrrpOptions;
import io.nginxha.agent.net.Sysctls;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** promote_secondaries as keepalived sets it: on while an instance asks for it, back off after the last one. */
class PromoteSecondariesTest {
    private final Map<String, Integer> values = new HashMap<>(Map.of(
            "net/ipv4/conf/eth0/promote_secondaries", 0, "net/ipv4/conf/eth1/promote_secondaries", 1));
    private final List<String> writes = new ArrayList<>();
    private final PromoteSecondaries promote = new PromoteSecondaries();

    PromoteSecondariesTest() {
        promote.edge(new Sysctls() {
            @Override public Integer read(String key) {
                return values.get(key);
            }

            @Override public void write(String key, int value) throws IOException {
                if (!values.containsKey(key)) {
                    throw new IOException("no " + key);
                }
                writes.add(key.split("/")[3] + "=" + value);
                values.put(key, value);
            }
        });
    }

    private static InstanceConfig on(String name, String iface, boolean promoteSecondaries) {
        return InstanceConfig.builder(name).iface(iface).vrid(1).options(VrrpOptions.DEFAULTS
                .withPromoteSecondaries(promoteSecondaries)).build();
    }

    @Test
    void setWhereItWasOffAndResetWhenTheLastInstanceIsGone() {
        InstanceConfig a = on("A", "eth0", true);
        InstanceConfig b = on("B", "eth0", true);
        promote.sync(List.of(a, b, on("C", "eth0", false)));
        assertEquals(List.of("eth0=1"), writes, "once per interface");
        promote.sync(List.of(a));
        assertEquals(List.of("eth0=1"), writes, "one user left: stays on");
        promote.sync(List.of());
        assertEquals(List.of("eth0=1", "eth0=0"), writes);
    }

    @Test
    void anInterfaceThatHadItOnIsNeverTouched() {
        promote.sync(List.of(on("A", "eth1", true)));
        promote.sync(List.of());
        assertEquals(List.of(), writes, "it was on before the agent: it stays on after");
    }

    @Test
    void aMissingInterfaceIsReportedAndAVmacInstanceNeedsNothing() {
        promote.sync(List.of(on("A", "eth9", true), on("V", "eth0", true).toBuilder()
                .vmac(new InstanceConfig.Vmac("vrrp.1", false)).build()));
        assertEquals(Set.of("eth9"), promote.failed());
        assertEquals(List.of(), writes);
    }
}
