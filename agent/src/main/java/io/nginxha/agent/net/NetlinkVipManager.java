package io.nginxha.agent.net;

import io.nginxha.agent.config.VirtualAddress;
import io.nginxha.agent.net.NetlinkSocket.NetlinkException;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link VipManager} over rtnetlink: one request and its ack per change, no process to start, so the gratuitous
 * ARP after a takeover follows the address within microseconds. The kernel's "exists" on add and "cannot assign"
 * on delete mean the work is already done. The socket is opened on first use (the leftover check at start-up)
 * and again after a failure to open it.
 */
public final class NetlinkVipManager implements VipManager {
    private static final Logger log = LoggerFactory.getLogger(NetlinkVipManager.class);
    private static final int EEXIST = 17;
    private static final int ENODEV = 19;
    private static final int EADDRNOTAVAIL = 99;

    /** Opens a netlink socket; tests give one opened inside a network namespace. */
    @FunctionalInterface
    interface Opener {
        NetlinkSocket open() throws IOException;
    }

    private final Opener opener;
    private NetlinkSocket socket;
    private final Map<String, Integer> indexes = new HashMap<>();

    public NetlinkVipManager() {
        this(NetlinkSocket::open);
    }

    NetlinkVipManager(Opener opener) {
        this.opener = opener;
    }

    @Override
    public synchronized boolean add(String dev, InetAddress address, int prefix, String label) {
        return add(dev, new VirtualAddress(address, prefix, dev, label, null));
    }

    @Override
    public synchronized boolean add(String dev, VirtualAddress vip) {
        // No string is built unless something fails: this runs at a takeover, before the gratuitous ARP.
        InetAddress address = vip.address();
        int prefix = vip.prefix();
        try {
            change(NetlinkMessages.RTM_NEWADDR, dev, vip, "adding the address");
            return true;
        } catch (NetlinkException e) {
            if (e.errno() == EEXIST || e.errno() != ENODEV && isAssigned(dev, address)) {
                return true;
            }
            log.error("adding {}/{} to {} failed: {}", address.getHostAddress(), prefix, dev, e.getMessage());
        } catch (IOException e) {
            log.error("adding {}/{} to {} failed: {}", address.getHostAddress(), prefix, dev, e.getMessage());
        }
        return false;
    }

    @Override
    public synchronized boolean remove(String dev, InetAddress address, int prefix) {
        try {
            change(NetlinkMessages.RTM_DELADDR, dev, new VirtualAddress(address, prefix, dev, null, null),
                    "removing the address");
            return true;
        } catch (NetlinkException e) {
            if (e.errno() == EADDRNOTAVAIL || e.errno() != ENODEV && !isAssigned(dev, address)) {
                return true;
            }
            log.error("removing {}/{} from {} failed: {}", address.getHostAddress(), prefix, dev, e.getMessage());
        } catch (IOException e) {
            log.error("removing {}/{} from {} failed: {}", address.getHostAddress(), prefix, dev, e.getMessage());
        }
        return false;
    }

    /** One address change by the interface's remembered index; looked up again once if the kernel knows it not. */
    private void change(int type, String dev, VirtualAddress v, String what) throws IOException {
        NetlinkSocket s = socket();
        Integer known = indexes.get(dev);
        int index = known != null ? known : index(s, dev);
        try {
            s.request(NetlinkMessages.address(type, s.nextSequence(), index, v.address(), v.prefix(), v.label(),
                    v.broadcast(), v.scope(), v.preferredLft()), what);
        } catch (NetlinkException e) {
            if (e.errno() != ENODEV || known == null) {
                throw e;
            }
            indexes.remove(dev); // deleted and made again: a new index
            s.request(NetlinkMessages.address(type, s.nextSequence(), index(s, dev), v.address(), v.prefix(),
                    v.label(), v.broadcast(), v.scope(), v.preferredLft()), what);
        }
    }

    @Override
    public synchronized List<Assigned> list(String dev) {
        try {
            return addresses(dev);
        } catch (IOException e) {
            log.error("listing the addresses of {} failed: {}", dev, e.getMessage());
            return List.of();
        }
    }

    private List<Assigned> addresses(String dev) throws IOException {
        NetlinkSocket s = socket();
        int index = index(s, dev);
        List<Assigned> out = new ArrayList<>();
        for (NetlinkMessages.Message m : s.request(NetlinkMessages.dump(NetlinkMessages.RTM_GETADDR,
                s.nextSequence()), "listing addresses")) {
            if (m.type() != NetlinkMessages.RTM_NEWADDR) {
                continue;
            }
            NetlinkMessages.Address a = NetlinkMessages.address(m);
            if (a.index() == index && a.address() != null) {
                // IPv4 addresses carry the device name as their label when they were given none
                String label = a.label() == null || a.label().equals(dev) ? null : a.label();
                out.add(new Assigned(a.address(), a.prefix(), label));
            }
        }
        return out;
    }

    private boolean isAssigned(String dev, InetAddress address) {
        try {
            return addresses(dev).stream().anyMatch(a -> a.address().equals(address));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The interface index, asked of the kernel and remembered: a takeover then needs one request, not two. An
     * interface deleted and made again gets a new index (ENODEV for the old one, see {@link #change}); indexes
     * are not reused while the old one could still be remembered.
     */
    int index(NetlinkSocket s, String dev) throws IOException {
        List<NetlinkMessages.Message> reply = s.request(NetlinkMessages.linkByName(s.nextSequence(), dev),
                "looking up the interface");
        if (reply.isEmpty() || reply.get(0).type() != NetlinkMessages.RTM_NEWLINK) {
            throw new IOException("looking up the interface: no answer");
        }
        int index = NetlinkMessages.link(reply.get(0)).index();
        indexes.put(dev, index);
        return index;
    }

    private NetlinkSocket socket() throws IOException {
        if (socket == null) {
            socket = opener.open();
        }
        return socket;
    }
}
