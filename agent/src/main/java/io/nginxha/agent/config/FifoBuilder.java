package io.nginxha.agent.config;

import java.util.List;

/**
 * The notify FIFO keywords of global_defs, as keepalived 2.2.7's global_parser.c reads them: {@code notify_fifo} and
 * {@code vrrp_notify_fifo} {@code NAME [USER [GROUP]]}, their {@code *_script CMD [USER [GROUP]]}, the switches
 * {@code vrrp_notify_priority_changes [BOOL]} and {@code fifo_write_vrrp_states_on_reload}. A second line of the
 * same FIFO or script keeps the first, as keepalived does, with a warning.
 */
final class FifoBuilder {
    static final List<String> KEYWORDS = List.of("notify_fifo", "notify_fifo_script", "vrrp_notify_fifo",
            "vrrp_notify_fifo_script", "vrrp_notify_priority_changes", "fifo_write_vrrp_states_on_reload");

    private final Values values;
    private final Problems problems;
    private final String[] path = new String[2];
    private final String[] owner = new String[2];
    private final Source[] pathAt = new Source[2];
    @SuppressWarnings("unchecked")
    private final List<String>[] script = new List[] {List.of(), List.of()};
    private final String[] scriptUser = new String[2];
    private final Source[] scriptAt = new Source[2];
    private boolean priorityChanges;
    private boolean statesOnReload;

    FifoBuilder(Values values) {
        this.values = values;
        this.problems = values.problems();
    }

    /** Takes {@code e} if it is one of {@link #KEYWORDS}; false for any other keyword. */
    boolean take(Entry e) {
        int which = e.key().startsWith("vrrp_") ? 1 : 0;
        switch (e.key()) {
            case "notify_fifo", "vrrp_notify_fifo" -> fifo(e, which);
            case "notify_fifo_script", "vrrp_notify_fifo_script" -> script(e, which);
            case "vrrp_notify_priority_changes" -> {
                Boolean on = values.bool(e);
                priorityChanges = on == null ? priorityChanges : on;
            }
            case "fifo_write_vrrp_states_on_reload" -> statesOnReload = values.noValue(e) || statesOnReload;
            default -> {
                return false;
            }
        }
        return true;
    }

    private void fifo(Entry e, int which) {
        if (e.args().isEmpty() || e.args().size() > 3 || e.block() != null) {
            problems.error(e.source(), "'" + e.key() + "' takes a FIFO path and an optional user and group, got '"
                    + String.join(" ", e.args()) + "'");
            return;
        }
        if (path[which] != null) {
            problems.warn(e.source(), e.key() + " is already set at line " + pathAt[which].line() + "; this one is "
                    + "ignored, as keepalived does");
            return;
        }
        if (!e.arg().startsWith("/")) {
            problems.error(e.source(), e.key() + " must be an absolute path, got '" + e.arg() + "'");
            return;
        }
        path[which] = e.arg();
        pathAt[which] = e.source();
        owner[which] = e.args().size() > 1 ? String.join(":", e.args().subList(1, e.args().size())) : null;
    }

    private void script(Entry e, int which) {
        List<String> command = ScriptBuilder.command(e, problems);
        if (command == null) {
            return;
        }
        if (e.scriptWords().size() > 3) {
            problems.error(e.source(), "'" + e.key() + "' takes a command and an optional user and group, got '"
                    + String.join(" ", e.scriptWords()) + "' (quote the whole command line if those are arguments)");
            return;
        }
        if (!script[which].isEmpty()) {
            problems.warn(e.source(), e.key() + " is already set at line " + scriptAt[which].line() + "; this one is "
                    + "ignored, as keepalived does");
            return;
        }
        script[which] = command;
        scriptAt[which] = e.source();
        scriptUser[which] = e.scriptWords().size() > 1
                ? String.join(":", e.scriptWords().subList(1, e.scriptWords().size())) : null;
    }

    /**
     * @param scriptUserDefault global script_user: a FIFO named without a user is created for it, as keepalived's
     *                          get_default_script_user does
     */
    FifoSettings build(String scriptUserDefault) {
        NotifyFifoConfig global = fifoConfig(0, scriptUserDefault);
        NotifyFifoConfig vrrp = fifoConfig(1, scriptUserDefault);
        if (global != null && vrrp != null && global.path().equals(vrrp.path())) {
            // keepalived (global_data.c): every line would be written twice to the one FIFO
            problems.warn(pathAt[1], "vrrp_notify_fifo " + vrrp.path() + " is also notify_fifo (line "
                    + pathAt[0].line() + "): the vrrp one and its script are ignored, as keepalived does");
            vrrp = null;
        }
        return global == null && vrrp == null && !priorityChanges && !statesOnReload ? FifoSettings.NONE
                : new FifoSettings(global, vrrp, priorityChanges, statesOnReload);
    }

    private NotifyFifoConfig fifoConfig(int which, String scriptUserDefault) {
        String prefix = which == 1 ? "vrrp_" : "";
        if (path[which] == null) {
            if (!script[which].isEmpty()) {
                problems.warn(scriptAt[which], prefix + "notify_fifo_script without " + prefix + "notify_fifo is "
                        + "never run, as in keepalived: it is started with the FIFO's path");
            }
            return null;
        }
        return new NotifyFifoConfig(path[which], owner[which] != null ? owner[which] : scriptUserDefault,
                script[which], scriptUser[which]);
    }
}
