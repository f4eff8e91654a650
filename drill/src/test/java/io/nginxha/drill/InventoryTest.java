package io.nginxha.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** InventoryReader and DrillTarget: what the drill takes from an Ansible inventory, and its errors. */
class InventoryTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private DrillTarget target() throws DrillException {
        return DrillTarget.from(InventoryReader.read(dir), DrillTarget.Overrides.NONE);
    }

    @Test
    void theRepositoryLabInventoryIsALabPairWithHa1AsMaster() throws Exception {
        Path lab = Path.of(System.getProperty("user.dir")).getParent().resolve("inventory/lab");
        DrillTarget t = DrillTarget.from(InventoryReader.read(lab),
                new DrillTarget.Overrides(null, "root", Path.of("/k"), null, null));
        assertEquals("ha1", t.master().name());
        assertEquals("192.168.16.128", t.master().address());
        assertEquals("ha2", t.backup().name());
        assertEquals(URI.create("http://192.168.16.130/"), t.url());
        assertEquals(DrillTarget.Environment.LAB, t.environment());
        assertEquals(DrillTarget.Daemon.AGENT, t.daemon());
    }

    @Test
    void theProductionExampleNeedsNoVaultAndDefaultsToProduction() throws Exception {
        Path prod = Path.of(System.getProperty("user.dir")).getParent().resolve("inventory/production");
        DrillTarget t = DrillTarget.from(InventoryReader.read(prod), DrillTarget.Overrides.NONE);
        assertEquals("web1.example.net", t.master().name());
        assertEquals("admin", t.master().user()); // from the group's vars in hosts.yml
        assertEquals(URI.create("http://10.0.0.10/"), t.url()); // "10.0.0.10/24" without its prefix
        assertEquals(DrillTarget.Environment.PRODUCTION, t.environment());
    }

    @Test
    void layersGroupVarsDirectoriesAndHostVarsAndSkipsAVault() throws Exception {
        write("hosts.yml", """
                all:
                  vars:
                    ansible_port: 2200
                  children:
                    nginx_ha:
                      hosts:
                        a: {ansible_host: 10.1.0.1, vrrp_agent_priority: 90}
                        b: {ansible_host: 10.1.0.2, vrrp_agent_priority: 110}
                """);
        write("group_vars/nginx_ha/vars.yml", """
                vrrp_agent_virtual_ipaddresses: ["10.1.0.9/24 dev eth1 label eth1:1"]
                nginx_ha_vrrp_daemon: keepalived
                drill_environment: vagrant
                drill_power_off_command: "virsh destroy {host}"
                """);
        write("group_vars/nginx_ha/vault.yml", "$ANSIBLE_VAULT;1.1;AES256\n6638643965\n");
        write("group_vars/nginx_ha/zz.yml.example", "nginx_ha_vrrp_daemon: agent\n"); // not read, as by Ansible
        write("host_vars/a.yml", "ansible_port: 2201\nansible_user: ops\n");
        DrillTarget t = target();
        assertEquals("b", t.master().name(), "no MASTER state: the higher priority");
        assertEquals(2200, t.master().port());
        assertEquals(2201, t.backup().port());
        assertEquals("ops", t.backup().user());
        assertEquals(URI.create("http://10.1.0.9/"), t.url());
        assertEquals(DrillTarget.Daemon.KEEPALIVED, t.daemon());
        assertEquals("virsh destroy a", DrillTarget.forHost(t.powerOff(), "a"));
        assertEquals("vagrant up {host}", t.powerOn(), "Vagrant's default");
    }

    @Test
    void jinjaIsAnErrorOnlyWhereTheDrillNeedsTheValue() throws Exception {
        write("hosts.yml", """
                nginx_ha:
                  hosts:
                    a: {vrrp_agent_state: MASTER}
                    b:
                  vars:
                    ansible_user: "{{ lookup('env', 'USER') }}"
                    vrrp_agent_auth_pass: "{{ vault_pass }}"
                    vrrp_agent_virtual_ipaddresses: [10.0.0.5]
                """);
        DrillException e = assertThrows(DrillException.class, this::target);
        assertEquals(dir.resolve("hosts.yml") + ":6: host a: '{{ lookup('env', 'USER') }}' is a Jinja expression,"
                + " which the drill does not evaluate (expected a plain value; set it in the inventory or give it"
                + " on the command line)", e.getMessage());
        DrillTarget t = DrillTarget.from(InventoryReader.read(dir),
                new DrillTarget.Overrides(null, "root", null, null, null));
        assertEquals("a", t.master().name());
        assertEquals("a", t.master().address(), "no ansible_host: the inventory name");
        assertNull(t.powerOff());
    }

    @Test
    void errorsNameTheFileTheLineAndWhatWasExpected() throws Exception {
        write("hosts.yml", "nginx_ha:\n  hosts:\n    a:\n    b:\n  vars:\n    drill_environment: staging\n"
                + "    vrrp_agent_virtual_ipaddresses: [10.0.0.5]\n");
        assertEquals(dir.resolve("hosts.yml") + ":6: drill_environment is 'staging'; expected one of [lab, vagrant,"
                + " production]", assertThrows(DrillException.class, this::target).getMessage());

        write("hosts.yml", "web:\n  hosts:\n    a:\n");
        assertEquals(dir.resolve("hosts.yml") + ": no group 'nginx_ha' (expected the pair's two hosts under nginx_ha:"
                + " hosts:)", assertThrows(DrillException.class, this::target).getMessage());

        write("hosts.yml", "nginx_ha:\n  hosts:\n    a: [oops\n");
        assertEquals(dir.resolve("hosts.yml") + ":4: YAML syntax: expected ',' or ']', but got <stream end>",
                assertThrows(DrillException.class, this::target).getMessage());

        write("hosts.yml", "nginx_ha:\n  hosts:\n    a:\n");
        assertEquals(dir.resolve("hosts.yml") + ": group nginx_ha has 1 host(s); the drill needs at least 2 (a VIP"
                + " that can move)", assertThrows(DrillException.class, this::target).getMessage());

        write("hosts.yml", "nginx_ha:\n  hosts:\n    a:\n    b:\n");
        assertEquals(dir + ": group nginx_ha has no vrrp_agent_virtual_ipaddresses list (expected the VIP first, or"
                + " give --url)", assertThrows(DrillException.class, this::target).getMessage());

        assertEquals(dir.resolve("nowhere") + ": not an inventory directory (expected hosts.yml in it)",
                assertThrows(DrillException.class, () -> InventoryReader.read(
                        Files.createDirectories(dir.resolve("nowhere")))).getMessage());
    }
}
