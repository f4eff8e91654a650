package io.nginxha.agent.config;

/**
 * Who a virtual router is on the wire: adverts are told apart by the interface they arrive on, their address family
 * (IPv4 and IPv6 VRRP are separate protocols, each with VRIDs 1..255) and the VRID. Two instances with one WireId
 * would take each other's adverts for their own; an instance that keeps its WireId across a reload is, to its
 * peers, the same router.
 *
 * @param iface  the interface adverts are sent and received on
 * @param family the address family of the adverts
 * @param vrid   virtual router id 1..255
 */
public record WireId(String iface, Family family, int vrid) {
    public enum Family {
        IPV4("IPv4"), IPV6("IPv6");

        private final String word;

        Family(String word) {
            this.word = word;
        }

        /** As written in log lines and messages: IPv4, IPv6. */
        @Override
        public String toString() {
            return word;
        }
    }

    /** {@code eth0/IPv4/66}. */
    @Override
    public String toString() {
        return iface + "/" + family + "/" + vrid;
    }
}
