package io.nginxha.agent.net;

/** Link states by interface name and their changes; {@link LinkMonitor} in production. */
public interface LinkEvents {

    /** Told of each change, on the monitor's thread; must return quickly. */
    @FunctionalInterface
    interface Listener {
        void linkChanged(String iface, boolean up);
    }

    /** Up (administratively, with carrier, operationally up or unknown); false when absent. */
    boolean isUp(String iface);

    void listen(Listener listener);

    void unlisten(Listener listener);
}
