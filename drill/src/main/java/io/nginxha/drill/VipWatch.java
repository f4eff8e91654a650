package io.nginxha.drill;

import java.util.List;

/**
 * What the drill sees of the VIP: the requests made so far, and the clock they are timed with. {@link Poller} is
 * the real one (a request every 10 ms in a thread of its own); tests use a fake whose time only moves in
 * {@link #pause}, so scenarios are tested without waiting and without timing flakes.
 */
public interface VipWatch {

    /** Now, in milliseconds on the samples' clock. */
    double nowMs();

    /** The requests that started after {@code fromMs}, oldest first. */
    List<Poller.Sample> since(double fromMs);

    /** Lets {@code ms} pass while requests go on. */
    void pause(long ms) throws InterruptedException;
}
