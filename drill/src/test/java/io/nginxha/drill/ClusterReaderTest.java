package io.nginxha.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VIPs and the order of their hosts, as the vrrp_agent role renders them, from the repository's inventories. */
class ClusterReaderTest {
    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
    @TempDir
    Path dir;

    private static Cluster read(Path inventory) throws DrillException {
        return ClusterReader.read(InventoryReader.read(inventory), null);
    }

    private static List<String> summary(Cluster c) {
        return c.vips().stream().map(v -> v.instance() + " " + v.url() + " " + String.join(">", v.order())).toList();
    }

    @Test
    void theLabPairIsOneVipHa1ThenHa2() throws Exception {
        assertEquals(List.of("VI_1 http://192.168.16.130/ ha1>ha2"), summary(read(REPO.resolve("inventory/lab"))));
    }

    @Test
    void theLabClusterHandsItsVipToHa2ThenHa3() throws Exception {
        Cluster c = read(REPO.resolve("inventory/lab-cluster"));
        assertEquals(List.of("VI_1 http://192.168.16.130/ ha1>ha2>ha3"), summary(c));
        assertEquals(3, c.depth());
    }

    @Test
    void activeActiveGivesEachHostItsVipAndTheOtherAsBackup() throws Exception {
        assertEquals(List.of("VI_1 http://192.168.16.130/ ha1>ha2", "VI_2 http://192.168.16.131/ ha2>ha1"),
                summary(read(REPO.resolve("inventory/lab-active-active"))));
    }

    @Test
    void activeActiveOnThreeHostsWrapsRoundAsTheRoleDoes() throws Exception {
        // tests/roles/expected/active-active-3: VI_3 is ha3 100, ha1 90, ha2 80.
        assertEquals(List.of("VI_1 http://10.0.0.10/ ha1>ha2>ha3", "VI_2 http://10.0.0.11/ ha2>ha3>ha1",
                "VI_3 http://10.0.0.12/ ha3>ha1>ha2"),
                summary(read(REPO.resolve("tests/roles/inventories/active-active-3"))));
    }

    @Test
    void aListTakesEachInstancesFirstVipAndItsHostsByPriority() throws Exception {
        assertEquals(List.of("WEB http://192.168.16.130/ ha1>ha2>ha3", "API http://192.168.16.131/ ha2>ha3>ha1",
                "WEB6 http://[fe80::66]/ ha1>ha2"),
                summary(read(REPO.resolve("tests/roles/inventories/three-instances"))));
    }

    @Test
    void theOneInstanceVariablesOnThreeHostsOrderByPriority() throws Exception {
        write("""
                nginx_ha:
                  hosts:
                    a: {vrrp_agent_priority: 50}
                    b: {vrrp_agent_priority: 150}
                    c: {vrrp_agent_priority: 100}
                  vars:
                    vrrp_agent_virtual_ipaddresses: [10.0.0.10/24]
                """);
        assertEquals(List.of("VI_1 http://10.0.0.10/ b>c>a"), summary(read(dir)));
        assertEquals(URI.create("http://vip.example/"),
                ClusterReader.read(InventoryReader.read(dir), URI.create("http://vip.example/")).main().url(),
                "--url replaces the main VIP's URL");
    }

    @Test
    void errorsSayWhereAndWhatWasExpected() throws Exception {
        write("""
                nginx_ha:
                  hosts:
                    a:
                    b:
                  vars:
                    nginx_ha_active_active: true
                    vrrp_agent_virtual_ipaddresses: [10.0.0.10]
                """);
        assertEquals(dir.resolve("hosts.yml") + ":6: active-active needs one VIP per host; "
                + "vrrp_agent_virtual_ipaddresses has 1 for 2 hosts", assertThrows(DrillException.class,
                () -> read(dir)).getMessage());
        write("""
                nginx_ha:
                  hosts:
                    a:
                    b:
                  vars:
                    vrrp_agent_instances:
                      - name: X
                        virtual_ipaddresses: [10.0.0.10]
                        priorities: {a: "{{ p }}", b: 1}
                """);
        assertEquals(dir.resolve("hosts.yml") + ":6: vrrp_agent_instances[0]: host a: priority '{{ p }}' is not a "
                + "number (a Jinja expression, which the drill does not evaluate)",
                assertThrows(DrillException.class, () -> read(dir)).getMessage());
    }

    private void write(String hosts) throws IOException {
        Files.writeString(dir.resolve("hosts.yml"), hosts);
    }
}
