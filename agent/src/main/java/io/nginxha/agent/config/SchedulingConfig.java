package io.nginxha.agent.config;

import java.util.List;

/**
 * How the kernel schedules the agent's VRRP threads: keepalived's {@code vrrp_rt_priority},
 * {@code vrrp_cpu_affinity} and {@code vrrp_rlimit_rttime} (global_defs), applied to the agent's loop, its capture
 * threads and the JVM's VM thread (which stops the others for a GC) instead of keepalived's VRRP child process.
 *
 * @param rtPriority     SCHED_RR priority 1..99, 0 for the ordinary scheduler (keepalived's default)
 * @param cpus           the CPUs the whole agent may run on; empty for all
 * @param rlimitRttimeUs RLIMIT_RTTIME in microseconds (CPU time a real-time thread may use without blocking), 0 to
 *                       leave the limit as the agent found it
 */
public record SchedulingConfig(int rtPriority, List<Integer> cpus, long rlimitRttimeUs) {
    public static final SchedulingConfig DEFAULTS = new SchedulingConfig(0, List.of(), 0);

    public SchedulingConfig {
        cpus = List.copyOf(cpus);
    }
}
