package io.nginxha.agent.runtime;

import io.nginxha.agent.net.PacketTransport;
import io.nginxha.agent.net.VipManager;
import io.nginxha.agent.vrrp.Advert;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The edge of an agent under test: one transport and a VIP manager that write what they are asked into one log
 * ("advert 100", "garp", "add 192.168.16.130", "remove ..."), and a VIP manager that can be told to fail.
 */
final class FakeEdge {
    final List<String> log = new ArrayList<>();
    final List<VipManager.Assigned> present = new ArrayList<>();
    /** The next this many adds fail (the manager answers false, as NetlinkVipManager does on a kernel error). */
    int failingAdds;
    PacketTransport.Listener listener;

    final PacketTransport transport = new PacketTransport() {
        @Override public String interfaceName() { return "eth0"; }
        @Override public InetAddress sourceAddress() { return TestConfigs.ip("192.168.16.128"); }
        @Override public void send(Advert advert, InetAddress destination) {
            log.add("advert " + advert.priority() + " " + addresses(advert.addresses()));
        }
        @Override public void sendGarp(List<Inet4Address> addresses) { log.add("garp " + addresses(addresses)); }
        @Override public void sendNeighborAdverts(List<java.net.Inet6Address> addresses) {
            log.add("na " + addresses(addresses));
        }
        @Override public void start(Listener l) { listener = l; }
        @Override public void close() { }
    };

    final VipManager vips = new VipManager() {
        @Override public boolean add(String dev, InetAddress a, int prefix, String label) {
            log.add("add " + a.getHostAddress());
            if (failingAdds > 0) {
                failingAdds--;
                return false;
            }
            present.add(new Assigned(a, prefix, label));
            return true;
        }
        @Override public boolean remove(String dev, InetAddress a, int prefix) {
            log.add("remove " + a.getHostAddress());
            present.removeIf(x -> x.address().equals(a));
            return true;
        }
        @Override public List<Assigned> list(String dev) { return List.copyOf(present); }
    };

    List<String> take() {
        List<String> out = List.copyOf(log);
        log.clear();
        return out;
    }

    private static String addresses(List<? extends InetAddress> list) {
        return list.stream().map(InetAddress::getHostAddress).toList().toString();
    }
}
