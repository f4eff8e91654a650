package io.nginxha.drill;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * What the drill expects of a cluster: every VIP it polls, each with the hosts that should hold it in order (its
 * master, then who takes it over next), so a step that takes hosts out says which host must serve each VIP after
 * it: the first of the VIP's order still in. Made by {@link ClusterReader} from the inventory, as the vrrp_agent
 * role renders it (one instance, a list of instances, or active-active).
 *
 * @param hosts the inventory's hosts in order
 * @param vips  the VIPs, the first one the drill's main VIP (the one {@code --url} replaces)
 */
public record Cluster(List<String> hosts, List<Vip> vips) {

    /**
     * One VIP.
     *
     * @param instance the VRRP instance that carries it (VI_1)
     * @param url      the URL polled: the VIP's page, whose first line names the host that served it
     * @param order    the hosts that run the instance, highest priority first
     */
    public record Vip(String instance, URI url, List<String> order) {
        /** The host that should serve this VIP while {@code out} are down or unable to serve; null: nobody. */
        public String expected(Set<String> out) {
            return order.stream().filter(h -> !out.contains(h)).findFirst().orElse(null);
        }

        public String master() {
            return order.get(0);
        }

        /** The VIP's address as written in reports: the URL's host. */
        public String label() {
            return url.getHost();
        }
    }

    public Cluster {
        hosts = List.copyOf(hosts);
        vips = List.copyOf(vips);
    }

    /** The seed's pair on one VIP: master then backup. */
    public static Cluster pair(String master, String backup, URI url) {
        return new Cluster(List.of(master, backup), List.of(new Vip("VI_1", url, List.of(master, backup))));
    }

    public Vip main() {
        return vips.get(0);
    }

    /** The largest number of hosts one VIP can fall back through. */
    public int depth() {
        return vips.stream().mapToInt(v -> v.order().size()).max().orElse(0);
    }
}
