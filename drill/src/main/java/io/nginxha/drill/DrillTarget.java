package io.nginxha.drill;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The pair a drill runs against, resolved from an {@link Inventory} and the command line: which host is the
 * master, how to reach each one, the URL to poll, which VRRP daemon runs, what kind of environment it is and how
 * to switch a host off and on.
 *
 * @param master       the host expected to serve the VIP (vrrp_agent_state MASTER, else the higher priority)
 * @param backup       the other host
 * @param url          polled every 10 ms: the VIP's page, whose first line names the host that served it
 * @param daemon       the VRRP daemon on the hosts
 * @param environment  lab, vagrant or production (production asks before each dangerous scenario)
 * @param powerOff     a local command with {@code {host}}, or null for {@code systemctl poweroff} over SSH
 * @param powerOn      a local command with {@code {host}}, or null to ask the operator
 */
public record DrillTarget(HostAccess master, HostAccess backup, URI url, Daemon daemon, Environment environment,
                          String powerOff, String powerOn) {

    /** How to reach one host over SSH. */
    public record HostAccess(String name, String address, int port, String user, Path identity) { }

    /** The VRRP daemon the playbook installed (inventory variable nginx_ha_vrrp_daemon). */
    public enum Daemon { AGENT, KEEPALIVED }

    /** Where the pair runs (inventory variable drill_environment). */
    public enum Environment { LAB, VAGRANT, PRODUCTION }

    /** What the command line sets over the inventory; null means "from the inventory". */
    public record Overrides(URI url, String user, Path identity, String powerOff, String powerOn) {
        public static final Overrides NONE = new Overrides(null, null, null, null, null);
    }

    /** Resolves the pair; every problem names the inventory file and line, the host and what was expected. */
    public static DrillTarget from(Inventory inv, Overrides cli) throws DrillException {
        String where = inv.dir().resolve("hosts.yml").toString();
        if (inv.hosts().size() != 2) {
            throw new DrillException(where + ": group " + Inventory.GROUP + " has " + inv.hosts().size()
                    + " host(s); the drill expects the pair's 2 hosts");
        }
        Inventory.Host master = inv.hosts().stream()
                .filter(h -> "MASTER".equalsIgnoreCase(String.valueOf(plain(h.var("vrrp_agent_state",
                        inv.groupVars())))))
                .findFirst().orElse(null);
        if (master == null) {
            master = inv.hosts().stream().max(Comparator.comparingInt(h -> priority(h, inv))).orElseThrow();
        }
        Inventory.Host backupHost = inv.hosts().get(0) == master ? inv.hosts().get(1) : inv.hosts().get(0);
        URI url = cli.url() != null ? cli.url() : vipUrl(inv);
        Daemon daemon = choice(inv, "nginx_ha_vrrp_daemon", Daemon.class, Daemon.AGENT);
        Environment env = choice(inv, "drill_environment", Environment.class, Environment.PRODUCTION);
        String off = cli.powerOff() != null ? cli.powerOff() : text(inv.groupVars().get("drill_power_off_command"));
        String on = cli.powerOn() != null ? cli.powerOn() : text(inv.groupVars().get("drill_power_on_command"));
        if (on == null && env == Environment.VAGRANT) {
            on = "vagrant up {host}";
        }
        return new DrillTarget(access(master, inv, cli), access(backupHost, inv, cli), url, daemon, env, off, on);
    }

    /** The command for {@code host}: {@code {host}} replaced by its inventory name. */
    public static String forHost(String template, String host) {
        return template.replace("{host}", host);
    }

    private static HostAccess access(Inventory.Host h, Inventory inv, Overrides cli) throws DrillException {
        String address = text(h.var("ansible_host", inv.groupVars()), h.name());
        if (address == null) {
            address = h.name();
        }
        String user = cli.user() != null ? cli.user() : text(h.var("ansible_user", inv.groupVars()), h.name());
        if (user == null) {
            user = System.getProperty("user.name"); // what ssh and Ansible use when no user is set
        }
        String portText = text(h.var("ansible_port", inv.groupVars()), h.name());
        int port;
        try {
            port = portText == null ? 22 : Integer.parseInt(portText.strip());
        } catch (NumberFormatException e) {
            throw new DrillException(h.var("ansible_port", inv.groupVars()).source() + ": host " + h.name()
                    + ": ansible_port '" + portText + "' is not a port number");
        }
        Path key = cli.identity();
        if (key == null) {
            String keyText = text(h.var("ansible_ssh_private_key_file", inv.groupVars()), h.name());
            key = keyText != null ? Path.of(expandHome(keyText)) : defaultKey();
        }
        return new HostAccess(h.name(), address, port, user, key);
    }

    private static Path defaultKey() {
        Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
        for (String name : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
            if (Files.isReadable(ssh.resolve(name))) {
                return ssh.resolve(name);
            }
        }
        return null;
    }

    private static String expandHome(String path) {
        return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
    }

    private static URI vipUrl(Inventory inv) throws DrillException {
        Inventory.Var v = inv.groupVars().get("vrrp_agent_virtual_ipaddresses");
        if (v == null || !(v.value() instanceof List<?> list) || list.isEmpty() || list.get(0) == null) {
            throw new DrillException(inv.dir() + ": group " + Inventory.GROUP
                    + " has no vrrp_agent_virtual_ipaddresses list (expected the VIP first, or give --url)");
        }
        String first = text(new Inventory.Var(String.valueOf(list.get(0)), v.source()), null);
        // A keepalived address line: "10.0.0.10/24 dev eth1 label eth1:1" -> 10.0.0.10
        String address = first.strip().split("\\s+")[0].replaceFirst("/\\d+$", "");
        String host = address.contains(":") ? "[" + address + "]" : address;
        try {
            return URI.create("http://" + host + "/");
        } catch (IllegalArgumentException e) {
            throw new DrillException(v.source() + ": vrrp_agent_virtual_ipaddresses[0] '" + first
                    + "' is not an address (expected e.g. 10.0.0.10/24)");
        }
    }

    private static int priority(Inventory.Host h, Inventory inv) {
        try {
            return Integer.parseInt(String.valueOf(plain(h.var("vrrp_agent_priority", inv.groupVars()))).strip());
        } catch (NumberFormatException e) {
            return 100; // the role's default
        }
    }

    private static <E extends Enum<E>> E choice(Inventory inv, String key, Class<E> type, E fallback)
            throws DrillException {
        Inventory.Var v = inv.groupVars().get(key);
        String value = text(v);
        if (value == null) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.strip())) {
                return e;
            }
        }
        throw new DrillException(v.source() + ": " + key + " is '" + value + "'; expected one of "
                + List.of(type.getEnumConstants()).stream().map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
    }

    private static Object plain(Inventory.Var v) {
        return v == null ? null : v.value();
    }

    private static String text(Inventory.Var v) throws DrillException {
        return text(v, null);
    }

    /** A variable the drill needs, as text; Jinja cannot be evaluated here, so it is an error only now. */
    private static String text(Inventory.Var v, String host) throws DrillException {
        if (v == null || v.value() == null) {
            return null;
        }
        String s = String.valueOf(v.value());
        if (s.contains("{{")) {
            throw new DrillException(v.source() + (host == null ? "" : ": host " + host) + ": '" + s
                    + "' is a Jinja expression, which the drill does not evaluate (expected a plain value; "
                    + "set it in the inventory or give it on the command line)");
        }
        return s;
    }
}
