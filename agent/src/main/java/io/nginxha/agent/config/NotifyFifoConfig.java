package io.nginxha.agent.config;

import java.util.List;

/**
 * One of keepalived's notify FIFOs ({@code notify_fifo} or {@code vrrp_notify_fifo} in global_defs): a named pipe
 * that gets one line per state change, and the script that reads it.
 *
 * @param path       the FIFO; created (mode 0644) when it does not exist, and then removed at the end
 * @param owner      user[:group] the FIFO is created for (keepalived: its USER [GROUP] words, else script_user),
 *                   null for the agent's own user
 * @param script     notify_fifo_script: the command started with the FIFO's path appended, empty for none
 * @param scriptUser user[:group] the script runs as, null for script_user
 */
public record NotifyFifoConfig(String path, String owner, List<String> script, String scriptUser) {
    public NotifyFifoConfig {
        script = List.copyOf(script);
    }
}
