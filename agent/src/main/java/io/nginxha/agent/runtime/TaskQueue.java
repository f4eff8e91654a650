package io.nginxha.agent.runtime;

import java.util.PriorityQueue;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Small tasks the loop runs at a given time besides the instances' timers (the later GARPs of a burst).
 * Only the loop's thread touches it. Times are monotonic nanoseconds compared by difference, so they may wrap.
 */
final class TaskQueue {
    private static final Logger log = LoggerFactory.getLogger(TaskQueue.class);

    private record Task(long atNanos, long seq, LongConsumer run) implements Comparable<Task> {
        @Override
        public int compareTo(Task o) {
            int c = Long.compare(atNanos - o.atNanos, 0);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long sequence;

    /** Runs {@code run} with the loop's time once {@code atNanos} is reached (a retry schedules its next from it). */
    void at(long atNanos, LongConsumer run) {
        tasks.add(new Task(atNanos, sequence++, run));
    }

    /** When the next task is due, or {@link Long#MAX_VALUE} when there is none. */
    long nextDeadline() {
        Task next = tasks.peek();
        return next == null ? Long.MAX_VALUE : next.atNanos();
    }

    /** Runs every task due at {@code now}, in time order; a failing task is logged and the others still run. */
    void runDue(long now) {
        while (!tasks.isEmpty() && tasks.peek().atNanos() - now <= 0) {
            try {
                tasks.poll().run().accept(now);
            } catch (RuntimeException e) {
                log.error("scheduled task failed", e);
            }
        }
    }

    void clear() {
        tasks.clear();
    }
}
