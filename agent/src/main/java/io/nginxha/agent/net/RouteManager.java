package io.nginxha.agent.net;

import io.nginxha.agent.config.RoutingEntry;

/**
 * Installs routes and policy rules and takes them off. Both are idempotent: adding what is there, or removing what
 * is not, succeeds. A failure comes back as a result with the kernel's reason, for the caller to act on.
 */
public interface RouteManager {

    Result add(RoutingEntry entry);

    Result remove(RoutingEntry entry);

    /** What one change did: {@code error} null when it succeeded. */
    record Result(String error) {
        public static final Result OK = new Result(null);

        public boolean ok() {
            return error == null;
        }
    }

    /** For agents built without one (tests whose configs have no routes): every change fails, saying so. */
    RouteManager NONE = new RouteManager() {
        @Override
        public Result add(RoutingEntry entry) {
            return new Result("no route manager in this agent");
        }

        @Override
        public Result remove(RoutingEntry entry) {
            return new Result("no route manager in this agent");
        }
    };
}
