package io.nginxha.agent.check;

/** A health check that reports up/down changes of one named thing (a script, nginx, an interface). */
public interface Check extends AutoCloseable {

    /** Receives status changes; called from the check's own thread. */
    interface Sink {
        void status(String check, boolean up, String why);

        /** One finished run (scripts): for the status endpoint; exit -1 when killed at the timeout. */
        default void ran(String check, int exitCode, double durationSec) { }
    }

    /** The name instances track it by. */
    String name();

    /** The status assumed before the first report. */
    boolean initiallyUp();

    /** Starts the check's thread. */
    void start(Sink sink);

    /** Stops the thread; never throws. */
    @Override
    void close();
}
