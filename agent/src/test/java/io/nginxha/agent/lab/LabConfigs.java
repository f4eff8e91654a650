package io.nginxha.agent.lab;

/** keepalived.conf texts for the lab pair, in the seed's shape, read by both the agent and keepalived. */
final class LabConfigs {
    private LabConfigs() { }

    static String seed(String state, int priority) {
        return seed(state, priority, 2, "1", "");
    }

    /** @param extra lines added inside the instance block (unicast, nopreempt...) */
    static String seed(String state, int priority, int version, String advertInt, String extra) {
        String auth = version == 2 ? """
                    authentication {
                        auth_type PASS
                        auth_pass 1111
                    }
                """ : "";
        return """
                global_defs {
                    router_id %s
                    vrrp_version %d
                }
                vrrp_instance VI_1 {
                    state %s
                    interface eth0
                    virtual_router_id 66
                    priority %d
                    advert_int %s
                %s%s
                    virtual_ipaddress {
                        192.168.16.130
                    }
                }
                """.formatted(state.equals("MASTER") ? "ha1" : "ha2", version, state, priority, advertInt, auth,
                extra);
    }

    static String unicast(String self, String peer) {
        return """
                    unicast_src_ip %s
                    unicast_peer {
                        %s
                    }
                """.formatted(self, peer);
    }
}
