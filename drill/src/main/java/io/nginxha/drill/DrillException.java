package io.nginxha.drill;

/**
 * A drill that cannot start or go on for a reason outside the pair's behaviour: bad usage, an inventory it cannot
 * use, a host it cannot reach. The message names the file, host and what was expected; the command exits 2.
 */
public final class DrillException extends Exception {
    private static final long serialVersionUID = 1L;

    public DrillException(String message) {
        super(message);
    }

    public DrillException(String message, Throwable cause) {
        super(message, cause);
    }
}
