package io.nginxha.agent.config;

/**
 * The notify FIFO settings of global_defs, as keepalived 2.2.7 reads them (global_parser.c).
 *
 * @param global          notify_fifo (+ notify_fifo_script), or null
 * @param vrrp            vrrp_notify_fifo (+ vrrp_notify_fifo_script), or null; never the same path as global
 *                        (keepalived then ignores the vrrp one, and so does the agent, with a warning)
 * @param priorityChanges vrrp_notify_priority_changes: the default of the instances' notify_priority_changes
 * @param statesOnReload  fifo_write_vrrp_states_on_reload: after a reload, every instance's and group's state is
 *                        written again, also those the reload left as they were
 */
public record FifoSettings(NotifyFifoConfig global, NotifyFifoConfig vrrp, boolean priorityChanges,
                           boolean statesOnReload) {
    public static final FifoSettings NONE = new FifoSettings(null, null, false, false);

    /** Whether any FIFO is configured. */
    public boolean any() {
        return global != null || vrrp != null;
    }
}
