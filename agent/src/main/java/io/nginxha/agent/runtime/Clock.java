package io.nginxha.agent.runtime;

/** Monotonic time in nanoseconds; a seam so tests can drive the agent's timers by hand. */
@FunctionalInterface
public interface Clock {
    Clock SYSTEM = System::nanoTime;

    long nanoTime();
}
