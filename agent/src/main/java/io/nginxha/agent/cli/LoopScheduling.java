package io.nginxha.agent.cli;

import io.nginxha.agent.config.SchedulingConfig;
import io.nginxha.agent.os.Scheduling;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies global_defs' vrrp_rt_priority, vrrp_cpu_affinity and vrrp_rlimit_rttime on the loop's thread once the
 * instances have started (their capture threads exist then), and again after each reload (a new interface has a new
 * capture thread). What cannot be applied is a warning: the agent runs on with the ordinary scheduler.
 */
final class LoopScheduling {
    private static final Logger log = LoggerFactory.getLogger(LoopScheduling.class);

    private LoopScheduling() { }

    static void apply(SchedulingConfig c) {
        Scheduling scheduling;
        try {
            scheduling = Scheduling.system();
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            if (c.rtPriority() > 0 || !c.cpus().isEmpty() || c.rlimitRttimeUs() > 0) {
                log.warn("vrrp_rt_priority/vrrp_cpu_affinity not applied: libc cannot be loaded: {}", e.toString());
            }
            return;
        }
        List<String> problems = scheduling.apply(c.rtPriority(), c.cpus(), c.rlimitRttimeUs(), Scheduling.VRRP_THREADS);
        problems.forEach(log::warn);
        if (problems.isEmpty() && (c.rtPriority() > 0 || !c.cpus().isEmpty())) {
            log.info("VRRP threads (loop, capture, VM thread): {}{}",
                    c.rtPriority() > 0 ? "SCHED_RR priority " + c.rtPriority() : "ordinary scheduling",
                    c.cpus().isEmpty() ? "" : ", all threads on CPUs " + c.cpus());
        }
    }
}
