package io.nginxha.agent.config;

import java.util.ArrayList;
import java.util.List;

/** Reads vrrp_rt_priority, vrrp_cpu_affinity and vrrp_rlimit_rttime of global_defs as keepalived 2.2.7 does. */
final class SchedulingBuilder {
    /** sched_setaffinity's cpu_set_t holds 1024 CPUs. */
    static final int MAX_CPU = 1023;

    private final Values values;
    private int rtPriority;
    private List<Integer> cpus = List.of();
    private long rlimitRttimeUs;

    SchedulingBuilder(Values values) {
        this.values = values;
    }

    void set(Entry e) {
        switch (e.key()) {
            case "vrrp_rt_priority" -> {
                Integer p = values.integer(e, 1, 99);
                rtPriority = p == null ? rtPriority : p;
            }
            case "vrrp_cpu_affinity" -> cpus(e);
            case "vrrp_rlimit_rttime", "vrrp_rlimit_rtime" -> { // keepalived's older spelling
                Integer us = values.integer(e, 2, Integer.MAX_VALUE);
                rlimitRttimeUs = us == null ? rlimitRttimeUs : us;
            }
            default -> throw new IllegalArgumentException("not a scheduling keyword: " + e.key());
        }
    }

    private void cpus(Entry e) {
        if (e.args().isEmpty()) {
            values.single(e); // reports the missing value
            return;
        }
        List<Integer> out = new ArrayList<>();
        // keepalived's words, or the YAML form: one string "0 1" (what convert writes)
        for (String word : String.join(" ", e.args()).trim().split("\\s+")) {
            Integer cpu = values.integer(e, "a CPU number of vrrp_cpu_affinity", word, 0, MAX_CPU);
            if (cpu == null) {
                return;
            }
            if (!out.contains(cpu)) {
                out.add(cpu);
            }
        }
        cpus = out;
    }

    SchedulingConfig build() {
        return new SchedulingConfig(rtPriority, cpus, rlimitRttimeUs);
    }
}
