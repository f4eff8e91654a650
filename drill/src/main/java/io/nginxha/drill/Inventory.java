package io.nginxha.drill;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The part of an Ansible inventory the drill reads: the hosts of group {@code nginx_ha} with their variables, and
 * the group's variables (group {@code all} overridden by {@code nginx_ha}). Values are kept as written: strings,
 * lists and maps, each variable with where it was set, so that a value the drill cannot use is reported at its
 * place. See {@link InventoryReader}.
 *
 * @param dir       the inventory directory
 * @param hosts     the group's hosts in the order of the inventory
 * @param groupVars the group's variables
 */
public record Inventory(Path dir, List<Host> hosts, Map<String, Var> groupVars) {
    public static final String GROUP = "nginx_ha";

    /** One variable's value and where it was set ({@code file:line}). */
    public record Var(Object value, String source) { }

    /** One host: its inventory name and its own variables (over the group's). */
    public record Host(String name, Map<String, Var> vars) {
        /** The variable as a host sees it: its own value, else the group's, else null. */
        public Var var(String key, Map<String, Var> groupVars) {
            Var own = vars.get(key);
            return own != null ? own : groupVars.get(key);
        }
    }
}
