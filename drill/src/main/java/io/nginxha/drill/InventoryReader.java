package io.nginxha.drill;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * Reads an Ansible YAML inventory directory ({@code hosts.yml} + {@code group_vars/} + {@code host_vars/}) the way
 * Ansible layers it, for group {@link Inventory#GROUP} only: group {@code all} (inventory file, then group_vars),
 * then the group (same order), then each host (inventory file, then host_vars). Variable files may be one file per
 * group or a directory of files; a file that is not plain YAML (an ansible-vault file, say) is skipped and said so
 * at debug level, since the drill needs no secret. Jinja is not evaluated: values stay as written.
 */
public final class InventoryReader {
    private static final Logger LOG = LoggerFactory.getLogger(InventoryReader.class);

    private InventoryReader() { }

    /** Reads {@code path}: an inventory directory, or its hosts file. */
    public static Inventory read(Path path) throws DrillException {
        if (!Files.exists(path)) {
            throw new DrillException(path + ": no such inventory (expected a directory with hosts.yml, e.g. "
                    + "inventory/production)");
        }
        Path hostsFile = Files.isDirectory(path) ? hostsFile(path) : path;
        Path dir = Files.isDirectory(path) ? path : (path.toAbsolutePath().getParent());
        MappingNode root = parse(hostsFile, true);
        Map<String, Inventory.Var> groupVars = new LinkedHashMap<>();
        Map<String, MappingNode> groups = new LinkedHashMap<>();
        collectGroups(root, hostsFile, groups);
        MappingNode group = groups.get(Inventory.GROUP);
        if (group == null) {
            throw new DrillException(hostsFile + ": no group '" + Inventory.GROUP
                    + "' (expected the pair's two hosts under " + Inventory.GROUP + ": hosts:)");
        }
        if (groups.containsKey("all")) {
            groupVars.putAll(vars(child(groups.get("all"), "vars"), hostsFile));
        }
        groupVars.putAll(varFiles(dir.resolve("group_vars"), "all"));
        groupVars.putAll(vars(child(group, "vars"), hostsFile));
        groupVars.putAll(varFiles(dir.resolve("group_vars"), Inventory.GROUP));
        List<Inventory.Host> hosts = new ArrayList<>();
        Node hostsNode = child(group, "hosts");
        if (hostsNode instanceof MappingNode hostMap) {
            for (NodeTuple t : hostMap.getValue()) {
                String name = scalar(t.getKeyNode());
                Map<String, Inventory.Var> own = new LinkedHashMap<>(vars(t.getValueNode(), hostsFile));
                own.putAll(varFiles(dir.resolve("host_vars"), name));
                hosts.add(new Inventory.Host(name, own));
            }
        } else if (hostsNode != null && !isNull(hostsNode)) {
            throw new DrillException(at(hostsFile, hostsNode) + ": " + Inventory.GROUP
                    + ".hosts must be a mapping of host names");
        }
        return new Inventory(dir, List.copyOf(hosts), groupVars);
    }

    private static Path hostsFile(Path dir) throws DrillException {
        for (String name : List.of("hosts.yml", "hosts.yaml", "hosts")) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        throw new DrillException(dir + ": not an inventory directory (expected hosts.yml in it)");
    }

    /** Every group by name, at the top or nested under {@code children:} at any depth. */
    private static void collectGroups(MappingNode node, Path file, Map<String, MappingNode> out) {
        for (NodeTuple t : node.getValue()) {
            String name = scalar(t.getKeyNode());
            if (t.getValueNode() instanceof MappingNode group) {
                out.putIfAbsent(name, group);
                if (child(group, "children") instanceof MappingNode children) {
                    collectGroups(children, file, out);
                }
            } else if (isNull(t.getValueNode())) {
                out.putIfAbsent(name, new MappingNode(t.getKeyNode().getTag(), List.of(), null));
            }
        }
    }

    /** group_vars/NAME.yml, NAME.yaml, NAME, or every file of the directory NAME/ (sorted, as Ansible does). */
    private static Map<String, Inventory.Var> varFiles(Path dir, String name) throws DrillException {
        Map<String, Inventory.Var> out = new LinkedHashMap<>();
        for (String candidate : List.of(name + ".yml", name + ".yaml", name)) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                out.putAll(varFile(p));
            } else if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.list(p)) {
                    for (Path f : files.filter(InventoryReader::isVarFile).sorted().toList()) {
                        out.putAll(varFile(f));
                    }
                } catch (IOException e) {
                    throw new DrillException(p + ": cannot list: " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    /** As Ansible: in a group's directory, files named .yml, .yaml, .json or without extension (not *.example). */
    private static boolean isVarFile(Path f) {
        String name = f.getFileName().toString();
        return Files.isRegularFile(f) && !name.startsWith(".")
                && (!name.contains(".") || name.matches(".*\\.(yml|yaml|json)"));
    }

    private static Map<String, Inventory.Var> varFile(Path file) throws DrillException {
        MappingNode root = parse(file, false);
        return root == null ? Map.of() : vars(root, file);
    }

    /**
     * The file's top mapping. A hosts file must be one; a variable file that is not is skipped (null), since it
     * is most likely a vault or an example the drill has no use for.
     */
    private static MappingNode parse(Path file, boolean required) throws DrillException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new DrillException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (!required && text.startsWith("$ANSIBLE_VAULT")) {
            LOG.debug("{}: skipped (an ansible-vault file)", file);
            return null;
        }
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = file + ":" + (mark == null ? 1 : mark.getLine() + 1);
            if (!required) {
                LOG.debug("{}: skipped (not plain YAML: {})", where, e.getProblem());
                return null;
            }
            throw new DrillException(where + ": YAML syntax: " + (e.getProblem() != null ? e.getProblem()
                    : e.getContext()), e);
        } catch (YAMLException e) {
            if (!required) {
                LOG.debug("{}: skipped ({})", file, e.getMessage());
                return null;
            }
            throw new DrillException(file + ": YAML: " + e.getMessage(), e);
        }
        if (root instanceof MappingNode map) {
            return map;
        }
        if (!required && (root == null || isNull(root))) {
            return null;
        }
        if (!required) {
            LOG.debug("{}: skipped (not a mapping of variables)", file);
            return null;
        }
        throw new DrillException(file + ":1: expected a mapping of groups (an Ansible YAML inventory)");
    }

    private static Map<String, Inventory.Var> vars(Node node, Path file) throws DrillException {
        Map<String, Inventory.Var> out = new LinkedHashMap<>();
        if (node == null || isNull(node)) {
            return out;
        }
        if (!(node instanceof MappingNode map)) {
            throw new DrillException(at(file, node) + ": expected a mapping of variables");
        }
        for (NodeTuple t : map.getValue()) {
            out.put(scalar(t.getKeyNode()), new Inventory.Var(plain(t.getValueNode()), at(file, t.getKeyNode())));
        }
        return out;
    }

    /** A node as strings, lists and maps; scalars stay strings (the drill converts what it uses). */
    private static Object plain(Node node) {
        if (node instanceof ScalarNode s) {
            return isNull(s) ? null : s.getValue();
        }
        if (node instanceof SequenceNode seq) {
            List<Object> list = new ArrayList<>();
            seq.getValue().forEach(n -> list.add(plain(n)));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            map.put(scalar(t.getKeyNode()), plain(t.getValueNode()));
        }
        return map;
    }

    private static Node child(MappingNode map, String key) {
        for (NodeTuple t : map.getValue()) {
            if (key.equals(scalar(t.getKeyNode()))) {
                return t.getValueNode();
            }
        }
        return null;
    }

    private static String scalar(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : String.valueOf(node);
    }

    /** An empty value, {@code ~} or {@code null}: the resolver tags these as null when composing. */
    private static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.getTag().getValue().endsWith(":null");
    }

    private static String at(Path file, Node node) {
        return file + ":" + (node.getStartMark().getLine() + 1);
    }
}
