package io.nginxha.agent.check;

/**
 * A health check that reports changes of one named thing: up/down for a script, nginx or an interface, an integer
 * for a track_file ({@link #valued()}).
 */
public interface Check extends AutoCloseable {

    /** Receives status changes; called from the check's own thread. */
    interface Sink {
        void status(String check, boolean up, String why);

        /** A valued check read a new value; up/down checks never call this. */
        default void value(String check, long value, String why) {
            status(check, value == 0, why);
        }

        /** One finished run (scripts): for the status endpoint; exit -1 when killed at the timeout. */
        default void ran(String check, int exitCode, double durationSec) { }

        /**
         * Called by the check's own thread at each turn of its loop, the first time before it waits: the agent's
         * liveness then watches that thread (its death, and its silence past {@link #maxSilenceMs}).
         */
        default void alive() { }
    }

    /**
     * How long the check's thread may go without {@link Sink#alive} before the agent counts as broken (a hung
     * loop leaves the check's verdict frozen); 0 when it may block for as long as nothing happens (then only its
     * death counts); negative when it has no thread of its own.
     */
    default long maxSilenceMs() {
        return -1;
    }

    /** The name instances track it by. */
    String name();

    /** The status assumed before the first report (a valued check: whether its value is 0). */
    boolean initiallyUp();

    /** Whether it reports integers (track_file) rather than up/down. */
    default boolean valued() {
        return false;
    }

    /** The value before the first report: 1 up or 0 down, or a valued check's first reading. */
    default long initialValue() {
        return initiallyUp() ? 1 : 0;
    }

    /** Starts the check's thread. */
    void start(Sink sink);

    /** Stops the thread (and anything it runs) without waiting for it; never throws. */
    @Override
    void close();
}
