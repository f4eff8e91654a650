package io.nginxha.agent.notify;

import io.nginxha.agent.config.AgentConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The production {@link Notifier} with its notify thread replaced by a simulation's scheduler. */
public final class SimNotifier {
    private SimNotifier() { }

    /** The notifier {@code Notifier.create} makes, its work handed to {@code schedule} instead of a thread. */
    public static Notifier create(AgentConfig config, Path stateFile, Consumer<Runnable> schedule) {
        var g = config.global();
        return new Notifier(new StateFile(stateFile, g.routerId()), Notifier::settings, g, executor(schedule));
    }

    private static ExecutorService executor(Consumer<Runnable> schedule) {
        return new AbstractExecutorService() {
            private boolean shut;

            @Override public void execute(Runnable command) {
                if (!shut) {
                    schedule.accept(command);
                }
            }

            @Override public void shutdown() {
                shut = true;
            }

            @Override public List<Runnable> shutdownNow() {
                shut = true;
                return List.of();
            }

            @Override public boolean isShutdown() {
                return shut;
            }

            @Override public boolean isTerminated() {
                return shut;
            }

            @Override public boolean awaitTermination(long timeout, TimeUnit unit) {
                return true;
            }
        };
    }
}
