package io.nginxha.agent.net;

import io.nginxha.agent.config.RouteConfig;
import io.nginxha.agent.config.RoutingEntry;
import io.nginxha.agent.config.RuleConfig;
import io.nginxha.agent.net.NetlinkSocket.NetlinkException;
import java.io.IOException;

/**
 * {@link RouteManager} over rtnetlink, one request and its ack per change. "Exists" on add (an identical route or
 * rule is there, left by an earlier run) and "no such route/rule" on delete mean the work is done. Interface names
 * of routes are resolved on each change (a route is changed at a transition, not per packet).
 */
public final class NetlinkRouteManager implements RouteManager {
    private static final int ENOENT = 2;
    private static final int ESRCH = 3;
    private static final int EEXIST = 17;

    private final NetlinkVipManager.Opener opener;
    private NetlinkSocket socket;

    public NetlinkRouteManager() {
        this(NetlinkSocket::open);
    }

    NetlinkRouteManager(NetlinkVipManager.Opener opener) {
        this.opener = opener;
    }

    @Override
    public synchronized Result add(RoutingEntry entry) {
        return change(entry, true);
    }

    @Override
    public synchronized Result remove(RoutingEntry entry) {
        return change(entry, false);
    }

    private Result change(RoutingEntry entry, boolean add) {
        String what = (add ? "adding " : "removing ") + entry;
        try {
            NetlinkSocket s = socket();
            byte[] request;
            if (entry instanceof RouteConfig r) {
                NetlinkVipManager links = new NetlinkVipManager(() -> s);
                int oif = r.dev() == null ? 0 : links.index(s, r.dev());
                int[] nexthopOifs = new int[r.nexthops().size()];
                for (int k = 0; k < nexthopOifs.length; k++) {
                    String dev = r.nexthops().get(k).dev();
                    nexthopOifs[k] = dev == null ? 0 : links.index(s, dev);
                }
                request = RoutingMessages.route(add ? RoutingMessages.RTM_NEWROUTE : RoutingMessages.RTM_DELROUTE,
                        s.nextSequence(), r, oif, nexthopOifs);
            } else if (entry instanceof RuleConfig r) {
                request = RoutingMessages.rule(add ? RoutingMessages.RTM_NEWRULE : RoutingMessages.RTM_DELRULE,
                        s.nextSequence(), r);
            } else {
                throw new AssertionError("no netlink message for " + entry);
            }
            s.request(request, what);
            return Result.OK;
        } catch (NetlinkException e) {
            if (add && e.errno() == EEXIST || !add && (e.errno() == ESRCH || e.errno() == ENOENT)) {
                return Result.OK;
            }
            return new Result(what + ": " + e.getMessage());
        } catch (IOException e) {
            socket = null; // opened again on the next change
            return new Result(what + ": " + e.getMessage());
        }
    }

    private NetlinkSocket socket() throws IOException {
        if (socket == null) {
            socket = opener.open();
        }
        return socket;
    }
}
