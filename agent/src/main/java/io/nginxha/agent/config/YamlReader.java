package io.nginxha.agent.config;

import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the agent's YAML into the same {@link Entry} trees the keepalived parser makes, so that one validator
 * checks both. Keys are keepalived's keywords; the YAML-only conveniences are flags as booleans, lists for
 * blocks, durations such as {@code 100ms}, and {@code auth_pass} directly in an instance. Uses snakeyaml's node
 * API (never object construction), so every key keeps its line.
 */
final class YamlReader {
    private static final Set<String> FLAGS = Set.of("enable_script_security", "nopreempt", "init_fail",
            "dont_track_primary", "no_restart", "no_config_test", "vmac_xmit_base", "sync_group_tracking_weight", "global_tracking",
            "accept", "no_accept", "skip_check_adv_addr", "nftables_counters", "nftables_ifindex", "vrrp_strict",
            "vrrp_skip_check_adv_addr", "fifo_write_vrrp_states_on_reload", "full_command", "promote_secondaries");
    private static final Set<String> LISTS = Set.of("virtual_ipaddress", "virtual_ipaddress_excluded",
            "virtual_routes", "virtual_rules",
            "unicast_peer", "track_script", "track_interface", "track_file", "notification_email", "group",
            "track_process");
    private static final Set<String> COMMANDS = Set.of("script", "notify_master", "notify_backup", "notify_fault",
            "notify_stop", "notify", "restart_command", "config_test_command", "notify_fifo_script",
            "vrrp_notify_fifo_script", "notify_master_rx_lower_pri", "notify_deleted");
    private static final Set<String> DURATIONS = Set.of("advert_int", "interval", "timeout", "preempt_delay",
            "vrrp_garp_interval", "garp_master_delay", "garp_master_refresh", "garp_lower_prio_delay",
            "vrrp_garp_master_delay", "vrrp_garp_master_refresh", "vrrp_garp_lower_prio_delay",
            "smtp_connect_timeout", "probe_timeout", "probe_interval", "restart_window", "start_timeout",
            "hold_down", "drain_time", "delay", "fork_delay", "terminate_delay", "vrrp_startup_delay");
    private static final List<String> TOP = List.of("global", "scripts", "nginx_checks", "track_files",
            "instances", "sync_groups", "static_ipaddress", "static_routes", "static_rules", "announce",
            "track_processes");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s)?");

    private final Path file;
    private final Problems problems;

    private YamlReader(Path file, Problems problems) {
        this.file = file;
        this.problems = problems;
    }

    static List<Entry> read(String text, Path file, Problems problems) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            problems.error(new Source(file, mark == null ? 1 : mark.getLine() + 1), "YAML syntax: "
                    + (e.getProblem() != null ? e.getProblem() : e.getContext()));
            return List.of();
        } catch (YAMLException e) {
            problems.error(new Source(file, 1), "YAML: " + e.getMessage());
            return List.of();
        }
        YamlReader reader = new YamlReader(file, problems);
        return root == null ? List.of() : reader.top(root);
    }

    private Source at(Node node) {
        return new Source(file, node.getStartMark().getLine() + 1);
    }

    private List<Entry> top(Node root) {
        List<Entry> out = new ArrayList<>();
        MappingNode map = mapping(root, "the file");
        for (NodeTuple t : map == null ? List.<NodeTuple>of() : tuples(map)) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            Source src = at(t.getKeyNode());
            switch (key) {
                case "global" -> {
                    MappingNode m = mapping(t.getValueNode(), "global");
                    out.add(new Entry("global_defs", List.of(), List.of(), m == null ? List.of() : section(m), src));
                }
                case "scripts", "instances", "nginx_checks", "track_files", "sync_groups", "announce",
                     "track_processes" -> {
                    MappingNode m = mapping(t.getValueNode(), key);
                    for (NodeTuple named : m == null ? List.<NodeTuple>of() : tuples(m)) {
                        String name = ((ScalarNode) named.getKeyNode()).getValue();
                        MappingNode body = mapping(named.getValueNode(), key + " " + name);
                        String section = switch (key) {
                            case "scripts" -> "vrrp_script";
                            case "nginx_checks" -> "vrrp_track_nginx";
                            case "track_files" -> "track_file";
                            case "sync_groups" -> "vrrp_sync_group";
                            case "track_processes" -> "vrrp_track_process";
                            case "announce" -> "vip_announce";
                            default -> "vrrp_instance";
                        };
                        out.add(new Entry(section, List.of(name),
                                List.of(), body == null ? List.of() : section(body), at(named.getKeyNode())));
                    }
                }
                case "static_ipaddress", "static_routes", "static_rules" ->
                        out.add(new Entry(key, List.of(), List.of(), items(key, t.getValueNode()), src));
                default -> problems.error(src, "unknown key '" + key + "' at top level (expected global, scripts, "
                        + "nginx_checks, track_files, track_processes, instances, sync_groups, static_ipaddress, "
                        + "static_routes, static_rules, announce)" + Values.suggestion(key, TOP));
            }
        }
        return out;
    }

    /** The tuples of a mapping whose keys are all scalars and unique; the others are reported and dropped. */
    private List<NodeTuple> tuples(MappingNode map) {
        List<NodeTuple> out = new ArrayList<>();
        Map<String, Source> seen = new HashMap<>();
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                problems.error(at(t.getKeyNode()), "keys must be plain words, not lists or mappings");
                continue;
            }
            Source earlier = seen.putIfAbsent(key.getValue(), at(key));
            if (earlier != null) {
                problems.error(at(key), "'" + key.getValue() + "' is given twice (first at line " + earlier.line() + ")");
                continue;
            }
            out.add(t);
        }
        return out;
    }

    private MappingNode mapping(Node node, String what) {
        if (node instanceof MappingNode m) {
            return m;
        }
        if (node instanceof ScalarNode s && s.getValue().isEmpty()) {
            // snakeyaml 2 refuses a null flow style (NPE): "global:" with nothing after it was a crash (fuzzing)
            return new MappingNode(s.getTag(), List.of(), DumperOptions.FlowStyle.AUTO);
        }
        problems.error(at(node), what + " must be a mapping of keys, got " + kind(node));
        return null;
    }

    private static String kind(Node node) {
        return node instanceof SequenceNode ? "a list" : node instanceof MappingNode ? "a mapping"
                : "'" + ((ScalarNode) node).getValue() + "'";
    }

    /** The keys of one section (global, a script or an instance) as keepalived entries. */
    private List<Entry> section(MappingNode map) {
        List<Entry> out = new ArrayList<>();
        List<Entry> auth = new ArrayList<>();
        Source authAt = null;
        for (NodeTuple t : tuples(map)) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            Source src = at(t.getKeyNode());
            Node value = t.getValueNode();
            if (key.equals("auth_pass") || key.equals("auth_type")) {
                auth.addAll(scalarEntry(key, value, src));
                authAt = authAt == null ? src : authAt;
            } else if (key.equals("authentication")) {
                MappingNode m = mapping(value, key);
                List<Entry> lines = new ArrayList<>();
                for (NodeTuple a : m == null ? List.<NodeTuple>of() : tuples(m)) {
                    lines.addAll(scalarEntry(((ScalarNode) a.getKeyNode()).getValue(), a.getValueNode(), at(a.getKeyNode())));
                }
                out.add(new Entry(key, List.of(), List.of(), lines, src));
            } else if (key.equals("notify_deleted") && value instanceof ScalarNode b
                    && Set.of("true", "false", "yes", "no", "on", "off").contains(b.getValue())) {
                flag(key, value, src, out); // notify_deleted alone: DELETED instead of FAULT, no script
            } else if (key.equals("process")) {
                words(key, value, src, out);
            } else if (FLAGS.contains(key)) {
                flag(key, value, src, out);
            } else if (LISTS.contains(key)) {
                out.add(new Entry(key, List.of(), List.of(), items(key, value), src));
            } else if (COMMANDS.contains(key)) {
                command(key, value, src, out);
            } else {
                out.addAll(scalarEntry(key, value, src));
            }
        }
        if (authAt != null) {
            if (auth.stream().noneMatch(e -> e.key().equals("auth_type"))) {
                auth.add(0, new Entry("auth_type", List.of("PASS"), List.of(), null, authAt));
            }
            out.add(new Entry("authentication", List.of(), List.of(), auth, authAt));
        }
        return out;
    }

    private List<Entry> scalarEntry(String key, Node value, Source src) {
        if (!(value instanceof ScalarNode s)) {
            problems.error(src, key + " must be a single value, got " + kind(value));
            return List.of();
        }
        String text = DURATIONS.contains(key) ? seconds(s.getValue()) : s.getValue();
        List<String> words = text.isBlank() ? List.of() : List.of(text.strip().split("\\s+"));
        return List.of(new Entry(key, words, List.of(), null, src));
    }

    /** "100ms", "1.5s" or a bare number of seconds, as keepalived's decimal seconds; anything else unchanged. */
    static String seconds(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            return text;
        }
        BigDecimal n = new BigDecimal(m.group(1));
        if ("ms".equals(m.group(2))) {
            n = n.movePointLeft(3);
        }
        return n.stripTrailingZeros().toPlainString();
    }

    private void flag(String key, Node value, Source src, List<Entry> out) {
        String v = value instanceof ScalarNode s ? s.getValue() : null;
        if ("true".equals(v) || "yes".equals(v) || "on".equals(v)) {
            out.add(new Entry(key, List.of(), List.of(), null, src));
        } else if (!("false".equals(v) || "no".equals(v) || "off".equals(v))) {
            problems.error(src, key + " must be true or false, got " + kind(value));
        }
    }

    /** A list key: one item or a list; an item is a string "WORD [WORDS]" or, for tracks, {name, weight, reverse}. */
    private List<Entry> items(String key, Node value) {
        List<Node> nodes = value instanceof SequenceNode seq ? seq.getValue() : List.of(value);
        List<Entry> out = new ArrayList<>();
        for (Node item : nodes) {
            if (item instanceof ScalarNode s && !s.getValue().isBlank()) {
                String[] words = s.getValue().strip().split("\\s+");
                out.add(new Entry(words[0], List.of(words).subList(1, words.length), List.of(), null, at(item)));
            } else if (item instanceof MappingNode m && key.startsWith("track_")) {
                trackItem(key, m, out);
            } else if (!(item instanceof ScalarNode)) {
                problems.error(at(item), key + " items must be strings, got " + kind(item));
            }
        }
        return out;
    }

    private void trackItem(String key, MappingNode m, List<Entry> out) {
        String name = null;
        List<String> args = new ArrayList<>();
        boolean reverse = false;
        for (NodeTuple t : tuples(m)) {
            String k = ((ScalarNode) t.getKeyNode()).getValue();
            String v = t.getValueNode() instanceof ScalarNode s ? s.getValue() : kind(t.getValueNode());
            switch (k) {
                case "name" -> name = v;
                case "weight" -> args.addAll(0, List.of("weight", v));
                case "reverse" -> reverse = v.equals("true");
                default -> problems.error(at(t.getKeyNode()), "unknown key '" + k + "' in a " + key + " item"
                        + Values.suggestion(k, List.of("name", "weight", "reverse")));
            }
        }
        if (name == null) {
            problems.error(at(m), key + " item has no 'name'");
            return;
        }
        if (reverse) {
            args.add("reverse");
        }
        out.add(new Entry(name, args, List.of(), null, at(m)));
    }

    /** A process and its parameters: one string split at blanks, or a list of words each taken as it is. */
    private void words(String key, Node value, Source src, List<Entry> out) {
        List<String> words = new ArrayList<>();
        if (value instanceof ScalarNode s && !s.getValue().isBlank()) {
            words.addAll(List.of(s.getValue().strip().split("\\s+")));
        } else if (value instanceof SequenceNode seq && seq.getValue().stream().allMatch(n -> n instanceof ScalarNode)) {
            seq.getValue().forEach(n -> words.add(((ScalarNode) n).getValue()));
        } else {
            problems.error(src, key + " must be a string or a list of words, got " + kind(value));
            return;
        }
        out.add(new Entry(key, words, words, null, src));
    }

    /**
     * A command as one string (split as keepalived splits it) or as a list of words taken literally; or, to run it
     * as another user, {command: ..., user: "USER [GROUP]"} (keepalived's words after the command).
     */
    private void command(String key, Node value, Source src, List<Entry> out) {
        if (value instanceof MappingNode m) {
            Node command = null;
            List<String> user = List.of();
            for (NodeTuple t : tuples(m)) {
                String k = ((ScalarNode) t.getKeyNode()).getValue();
                if (k.equals("command")) {
                    command = t.getValueNode();
                } else if (k.equals("user") && t.getValueNode() instanceof ScalarNode u && !u.getValue().isBlank()) {
                    user = List.of(u.getValue().strip().split("\\s+"));
                } else {
                    problems.error(at(t.getKeyNode()), key + " takes 'command' and 'user', not '" + k + "'");
                }
            }
            if (command == null) {
                problems.error(src, key + " as a mapping needs a 'command'");
                return;
            }
            List<Entry> one = new ArrayList<>();
            command(key, command, src, one);
            for (Entry e : one) {
                List<String> words = new ArrayList<>(e.scriptWords());
                words.addAll(user);
                out.add(new Entry(key, e.args(), words, null, src));
            }
            return;
        }
        String line;
        if (value instanceof ScalarNode s) {
            line = s.getValue();
        } else if (value instanceof SequenceNode seq && seq.getValue().stream().allMatch(n -> n instanceof ScalarNode)) {
            StringBuilder b = new StringBuilder();
            for (Node n : seq.getValue()) {
                String word = ((ScalarNode) n).getValue().replace("\\", "\\\\").replace("'", "\\'");
                b.append(b.length() == 0 ? "" : " ").append('\'').append(word).append('\'');
            }
            line = b.toString();
        } else {
            problems.error(src, key + " must be a command string or a list of words, got " + kind(value));
            return;
        }
        out.add(new Entry(key, List.of(line), line.isBlank() ? List.of() : List.of(line), null, src));
    }
}
