package io.emojivoto.proxy;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A timeout that restarts without touching the scheduler: at most one check is scheduled, and when it
 * fires for a clock that was restarted meanwhile, it re-arms for the time left. Restarting per request
 * or per chunk is then a field write, not a timer to schedule and cancel. Used on one event loop only.
 */
final class LazyDeadline {

    private final EventExecutor executor;
    private final long timeoutNanos;
    private final Runnable onExpiry;
    private long startedNanos = -1; // -1: not running
    private ScheduledFuture<?> timer;

    LazyDeadline(EventExecutor executor, long timeoutNanos, Runnable onExpiry) {
        this.executor = executor;
        this.timeoutNanos = timeoutNanos;
        this.onExpiry = onExpiry;
    }

    boolean running() {
        return startedNanos >= 0;
    }

    /** Starts the clock now, or starts it again if it runs. */
    void restart() {
        startedNanos = System.nanoTime();
        if (timer == null) {
            arm(timeoutNanos);
        }
    }

    /** Stops the clock; a check already scheduled finds nothing to do. */
    void stop() {
        startedNanos = -1;
    }

    /** Stops the clock and drops the scheduled check (the channel or exchange is gone). */
    void cancel() {
        startedNanos = -1;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    long timeoutMillis() {
        return TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
    }

    private void arm(long delayNanos) {
        timer = executor.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        timer = null;
        if (startedNanos < 0) {
            return;
        }
        long left = startedNanos + timeoutNanos - System.nanoTime();
        if (left > 0) {
            arm(left);
        } else {
            startedNanos = -1;
            onExpiry.run();
        }
    }
}
