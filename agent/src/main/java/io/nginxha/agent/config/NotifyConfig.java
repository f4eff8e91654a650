package io.nginxha.agent.config;

import java.util.List;

/** keepalived's notify scripts; each is a command line split into words, or empty when not set. */
public record NotifyConfig(List<String> master, List<String> backup, List<String> fault, List<String> stop,
                           List<String> any, boolean smtpAlert) {
    public static final NotifyConfig NONE = new NotifyConfig(List.of(), List.of(), List.of(), List.of(), List.of(), false);

    public NotifyConfig {
        master = List.copyOf(master);
        backup = List.copyOf(backup);
        fault = List.copyOf(fault);
        stop = List.copyOf(stop);
        any = List.copyOf(any);
    }
}
