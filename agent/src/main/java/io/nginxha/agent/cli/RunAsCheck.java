package io.nginxha.agent.cli;

import io.nginxha.agent.config.AgentConfig;
import io.nginxha.agent.config.ConfigException;
import io.nginxha.agent.config.ScriptConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What only the running process can tell: whether the users that scripts are to run as can be switched to. Only
 * root can start a child as another user; the shipped unit runs the agent as an unprivileged user, where a
 * {@code script_user} (or a vrrp_script's {@code user}) other than the agent's own would silently run the script as
 * the agent's user instead. That is a config run differently from what it says, so it is refused, at start and at
 * every reload (a refused reload keeps the running config).
 */
final class RunAsCheck {
    private RunAsCheck() { }

    /** Throws with one line per script user that this process cannot run scripts as. */
    static void check(AgentConfig config, String processUser, boolean root) throws ConfigException {
        if (root) {
            return;
        }
        List<String> problems = new ArrayList<>();
        String global = config.global().scriptUser();
        if (global != null && !isUser(global, processUser)) {
            problems.add("script_user " + global + ": " + why(processUser));
        }
        for (ScriptConfig s : config.scripts().values().stream()
                .sorted(java.util.Comparator.comparing(ScriptConfig::name)).toList()) {
            if (s.user() != null && !isUser(s.user(), processUser)) {
                problems.add(s.source() + ": vrrp_script " + s.name() + " user " + s.user() + ": " + why(processUser));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /**
     * enable_script_security refuses scripts that would run as root from a path others can write; an agent that is
     * not root runs no script as root, so there is nothing for it to refuse: said once at start, not silently.
     */
    static String securityNote(AgentConfig config, String processUser, boolean root) {
        return config.global().enableScriptSecurity() && !root
                ? "enable_script_security: the agent runs as " + processUser + ", not root, so no script runs as"
                        + " root and none needs refusing; scripts still run with none of the agent's capabilities"
                : null;
    }

    private static boolean isUser(String userGroup, String processUser) {
        int colon = userGroup.indexOf(':');
        return (colon < 0 ? userGroup : userGroup.substring(0, colon)).equals(processUser);
    }

    private static String why(String processUser) {
        return "the agent runs as " + processUser + ", not root, so its scripts can only run as " + processUser
                + "; remove the setting, set it to " + processUser + ", or run the agent as root (Ansible:"
                + " vrrp_agent_user: root)";
    }
}
