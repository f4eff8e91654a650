package io.nginxha.drill;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The hosts a drill runs against, resolved from an {@link Inventory} and the command line: which host is the
 * master of the main VIP and which one takes it over, how to reach each host, the VIPs to poll and who should hold
 * each ({@link Cluster}), which VRRP daemon runs, what kind of environment it is and how to switch a host off and on.
 *
 * @param master       the host expected to serve the main VIP (the highest priority; a MASTER state among equals)
 * @param backup       the host that takes the main VIP over from the master (the next priority)
 * @param url          polled every 10 ms: the VIP's page, whose first line names the host that served it
 * @param daemon       the VRRP daemon on the hosts
 * @param environment  lab, vagrant or production (production asks before each dangerous scenario)
 * @param powerOff     a local command with {@code {host}}, or null for {@code systemctl poweroff} over SSH
 * @param powerOn      a local command with {@code {host}}, or null to ask the operator
 */
public record DrillTarget(HostAccess master, HostAccess backup, URI url, Daemon daemon, Environment environment,
                          String powerOff, String powerOn, List<HostAccess> hosts, Cluster cluster) {

    /** The seed's pair: {@code master} and {@code backup}, one VIP at {@code url}. */
    public DrillTarget(HostAccess master, HostAccess backup, URI url, Daemon daemon, Environment environment,
                       String powerOff, String powerOn) {
        this(master, backup, url, daemon, environment, powerOff, powerOn, List.of(master, backup),
                Cluster.pair(master.name(), backup.name(), url));
    }

    /** How to reach {@code name}, one of the inventory's hosts. */
    public HostAccess host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no host " + name));
    }

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
        if (inv.hosts().size() < 2) {
            throw new DrillException(where + ": group " + Inventory.GROUP + " has " + inv.hosts().size()
                    + " host(s); the drill needs at least 2 (a VIP that can move)");
        }
        Cluster cluster = ClusterReader.read(inv, cli.url());
        Cluster.Vip main = cluster.main();
        if (main.order().size() < 2) {
            throw new DrillException(where + ": the VIP " + main.label() + " (" + main.instance() + ") runs on "
                    + main.order() + " only; the drill needs a host to take it over");
        }
        URI url = main.url();
        Daemon daemon = choice(inv, "nginx_ha_vrrp_daemon", Daemon.class, Daemon.AGENT);
        Environment env = choice(inv, "drill_environment", Environment.class, Environment.PRODUCTION);
        String off = cli.powerOff() != null ? cli.powerOff() : text(inv.groupVars().get("drill_power_off_command"));
        String on = cli.powerOn() != null ? cli.powerOn() : text(inv.groupVars().get("drill_power_on_command"));
        if (on == null && env == Environment.VAGRANT) {
            on = "vagrant up {host}";
        }
        List<HostAccess> hosts = new java.util.ArrayList<>();
        for (Inventory.Host h : inv.hosts()) {
            hosts.add(access(h, inv, cli));
        }
        HostAccess master = hosts.get(cluster.hosts().indexOf(main.order().get(0)));
        HostAccess backup = hosts.get(cluster.hosts().indexOf(main.order().get(1)));
        return new DrillTarget(master, backup, url, daemon, env, off, on, List.copyOf(hosts), cluster);
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
