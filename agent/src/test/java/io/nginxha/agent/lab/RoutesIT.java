package io.nginxha.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Virtual routes and rules on the master only, static routes on both hosts, in the private namespace lab (each run
 * makes its own namespaces and removes them, also on failure). The routes lead nowhere outside: a destination on
 * the lab's own eth0, a blackhole, and two multipath routes over unused lab addresses (the sample
 * keepalived.conf.vrrp.routes's {@code via A or B}, and nexthop clauses with a weight and onlink).
 */
class RoutesIT {
    private static final String VIRTUAL = """
                virtual_routes {
                    10.99.0.0/24 dev eth0
                    blackhole 10.97.0.0/24
                    10.95.0.0/24 via 192.168.16.252 or 192.168.16.253
                    10.94.0.0/24 nexthop via 192.168.16.252 dev eth0 weight 2 nexthop via 192.168.16.253 dev eth0 onlink
                }
                virtual_rules {
                    from 10.96.0.0/16 table 100 priority 100
                }
            """;
    private static final String STATIC = """

            static_routes {
                10.98.0.0/24 dev eth0 scope link
            }
            """;

    private static String config(String state, int priority) {
        return LabConfigs.seed(state, priority, 2, "1", VIRTUAL) + STATIC;
    }

    private static String routes(NetnsLab lab, String host) throws Exception {
        return lab.lab("exec", host, "ip", "route", "show") + lab.lab("exec", host, "ip", "rule", "show");
    }

    private static boolean hasVirtual(String routes) {
        return routes.contains("10.99.0.0/24 dev eth0 proto keepalived")
                && routes.contains("blackhole 10.97.0.0/24 proto keepalived")
                && routes.contains("100:\tfrom 10.96.0.0/16 lookup 100 proto keepalived")
                && routes.contains("10.95.0.0/24 proto keepalived \n\tnexthop via 192.168.16.252 dev eth0 weight 1 \n"
                        + "\tnexthop via 192.168.16.253 dev eth0 weight 1 \n")
                && routes.contains("10.94.0.0/24 proto keepalived \n\tnexthop via 192.168.16.252 dev eth0 weight 2 \n"
                        + "\tnexthop via 192.168.16.253 dev eth0 weight 1 onlink \n");
    }

    private static boolean hasNoVirtual(String routes) {
        return !routes.contains("10.99.0.0/24") && !routes.contains("10.97.0.0/24") && !routes.contains("10.96.0.0/16")
                && !routes.contains("10.95.0.0/24") && !routes.contains("10.94.0.0/24") && !routes.contains("nexthop");
    }

    @Test
    void virtualRoutesFollowTheMasterAndStaticRoutesStayOnBoth() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            lab.agent("ha1", lab.config("ha1", "keepalived.conf", config("MASTER", 100)));
            lab.waitServing("ha1", 20);
            lab.agent("ha2", lab.config("ha2", "keepalived.conf", config("BACKUP", 99)));
            Thread.sleep(4500); // past ha2's Master_Down_Interval: it heard ha1 and stays backup
            assertEquals("ha1", lab.holder());
            String r1 = routes(lab, "ha1");
            String r2 = routes(lab, "ha2");
            assertTrue(hasVirtual(r1), "master: " + r1);
            assertTrue(hasNoVirtual(r2), "backup: " + r2);
            assertTrue(r1.contains("10.98.0.0/24 dev eth0 proto keepalived scope link"), "static on ha1: " + r1);
            assertTrue(r2.contains("10.98.0.0/24 dev eth0 proto keepalived scope link"), "static on ha2: " + r2);

            lab.stop("ha1", "agent"); // a clean stop: its virtual and static routes come off
            lab.waitServing("ha2", 5);
            Thread.sleep(300);
            r1 = routes(lab, "ha1");
            r2 = routes(lab, "ha2");
            assertTrue(hasVirtual(r2), "new master: " + r2);
            assertTrue(hasNoVirtual(r1), "stopped: " + r1);
            assertFalse(r1.contains("10.98.0.0/24"), "a clean stop removes the static route, as keepalived: " + r1);
            assertTrue(r2.contains("10.98.0.0/24 dev eth0 proto keepalived scope link"), r2);
        }
    }

    @Test
    void aPoweredOffMastersRoutesAppearOnTheBackup() throws Exception {
        try (NetnsLab lab = NetnsLab.start()) {
            lab.agent("ha1", lab.config("ha1", "keepalived.conf", config("MASTER", 100)));
            lab.waitServing("ha1", 20);
            lab.agent("ha2", lab.config("ha2", "keepalived.conf", config("BACKUP", 99)));
            Thread.sleep(4500);
            assertTrue(hasNoVirtual(routes(lab, "ha2")));
            lab.powerOff("ha1");
            lab.waitServing("ha2", 10);
            Thread.sleep(300);
            String r2 = routes(lab, "ha2");
            assertTrue(hasVirtual(r2), "after the master's power-off: " + r2);
        }
    }
}
