package io.nginxha.drill;

/**
 * A shell on one host of the pair, as the drill uses it: run a command as root and get its exit status and output.
 * {@link SshHost} is the real one; tests use a fake that plays the pair.
 */
public interface RemoteHost extends AutoCloseable {

    /** What a command printed (stdout and stderr together) and its exit status (-1 when the link was cut). */
    record Result(int exit, String output) {
        public boolean ok() {
            return exit == 0;
        }
    }

    /** The host's inventory name. */
    String name();

    /**
     * Runs {@code command} through {@code sh -c} as root (with {@code sudo -n} when the login user is not root).
     * Throws when the host cannot be reached; a command that fails is a {@link Result}, not an exception.
     */
    Result run(String command) throws DrillException;

    @Override
    void close();
}
