package io.nginxha.agent.runtime;

/** What a simulated host's config says, as the simulation means it (a good reload may change the priority). */
final class SimPlan {
    int priority;
    boolean preempt;
    boolean master;
    int weight;
    int fall;
    int rise;
    int scriptInterval;
    int scriptTimeout;

    /** Its keepalived.conf; the script comes last, so every cut-off prefix of the file is invalid. */
    String text(String name, int version) {
        SimPlan p = this;
        StringBuilder b = new StringBuilder();
        b.append("global_defs {\n  router_id ").append(name).append('\n');
        if (version == 3) {
            b.append("  vrrp_version 3\n");
        }
        b.append("}\nvrrp_instance VI_1 {\n  state ").append(p.master ? "MASTER" : "BACKUP")
                .append("\n  interface eth0\n  virtual_router_id 66\n  priority ").append(p.priority)
                .append("\n  advert_int 1\n");
        if (!p.preempt) {
            b.append("  nopreempt\n");
        }
        if (version == 2) {
            b.append("  authentication {\n    auth_type PASS\n    auth_pass 1111\n  }\n");
        }
        b.append("  virtual_ipaddress {\n");
        SimScenario.VIPS.forEach(v -> b.append("    ").append(v.getHostAddress()).append("/24\n"));
        b.append("  }\n  track_script {\n    chk_nginx\n  }\n}\n");
        b.append("vrrp_script chk_nginx {\n  script \"/bin/true\"\n  interval ").append(p.scriptInterval)
                .append("\n  timeout ").append(p.scriptTimeout).append("\n  weight ").append(p.weight)
                .append("\n  fall ").append(p.fall).append("\n  rise ").append(p.rise).append("\n}\n");
        return b.toString();
    }

}
