package io.imagegate.registry;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds every exchange in time: a small exchange gets a deadline; a blob transfer must keep up a
 * minimum rate over each window (a registry that drips or stalls is cut off, not waited on), within
 * an overall deadline. A cut-off exchange is cancelled, which makes its blocked read or write fail
 * at once.
 *
 * <p>A transfer's windows are measured in time spent waiting on its registry (connecting and
 * awaiting the answer, then inside each read or write of the body), not in wall time: a download
 * that streams into an upload waits while the upload's registry is slow, and an upload that holds
 * bytes back to verify them waits on its source. The registry that makes them wait is the one cut
 * off, and named.
 */
final class Watchdog implements AutoCloseable {
    /** Why an exchange was cut off. */
    enum Reason {
        DEADLINE,
        STALLED
    }

    /** One watched exchange. Report moved bytes with {@link #moved(long)}; close it when done. */
    final class Watch implements AutoCloseable {
        private final Runnable cancel;
        private final long deadline;
        private final long windowNanos;
        private final long minBytesPerWindow;
        private final AtomicLong bytes = new AtomicLong();
        private volatile boolean awaiting;
        private volatile long answerBy;
        private volatile boolean watchRate;

        /**
         * Time waited on the registry, up to {@link #since} when {@link #waiting}; guarded by this.
         */
        private long waited;

        private boolean waiting = true;
        private long since;
        private long waitedAtWindowStart;
        private long bytesAtWindowStart;
        private volatile Reason reason;

        private Watch(
                Runnable cancel,
                Duration limit,
                long minBytesPerSecond,
                Duration window,
                boolean watchRate) {
            this.cancel = cancel;
            long now = System.nanoTime();
            this.deadline = now + limit.toNanos();
            this.windowNanos = window.toNanos();
            this.minBytesPerWindow =
                    Math.max(1, minBytesPerSecond * Math.max(1, window.toSeconds()));
            this.watchRate = watchRate;
            this.since = now;
        }

        void moved(long n) {
            bytes.addAndGet(n);
        }

        /**
         * From now the exchange waits on its registry (a read or write of the body is under way).
         */
        synchronized void waitOnRegistry() {
            if (!waiting) {
                waiting = true;
                since = System.nanoTime();
            }
        }

        /**
         * From now the exchange does not wait on its registry: the time until the next wait is not
         * the registry's.
         */
        synchronized void stopWaiting() {
            if (waiting) {
                waited += System.nanoTime() - since;
                waiting = false;
            }
        }

        private synchronized long waited(long now) {
            return waited + (waiting ? now - since : 0);
        }

        /**
         * Stops watching the rate (the body is sent, the answer is awaited) and sets a deadline
         * from now.
         */
        void awaitAnswer(Duration limit) {
            answerBy = System.nanoTime() + limit.toNanos();
            awaiting = true;
            watchRate = false;
        }

        /** Why it was cut off, or null when it was not. */
        Reason reason() {
            return reason;
        }

        private void check(long now) {
            if (reason != null) {
                return;
            }
            if (now - deadline > 0 || (awaiting && now - answerBy > 0)) {
                cut(Reason.DEADLINE);
                return;
            }
            if (!watchRate) {
                return;
            }
            long waitedNow = waited(now);
            if (waitedNow - waitedAtWindowStart >= windowNanos) {
                long moved = bytes.get();
                if (moved - bytesAtWindowStart < minBytesPerWindow) {
                    cut(Reason.STALLED);
                    return;
                }
                waitedAtWindowStart = waitedNow;
                bytesAtWindowStart = moved;
            }
        }

        private void cut(Reason why) {
            reason = why;
            cancel.run();
        }

        @Override
        public void close() {
            active.remove(this);
        }
    }

    private final Set<Watch> active = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker;

    /**
     * Set by {@link #cutAllFromNowOn()}: every exchange watched after it is cut off as it starts.
     */
    private volatile boolean refusing;

    Watchdog(Duration tick) {
        ticker =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "imagegate-watchdog");
                            t.setDaemon(true);
                            return t;
                        });
        long millis = Math.max(10, tick.toMillis());
        ticker.scheduleAtFixedRate(
                () -> {
                    long now = System.nanoTime();
                    for (Watch w : active) {
                        w.check(now);
                    }
                },
                millis,
                millis,
                TimeUnit.MILLISECONDS);
    }

    /** Watches a small exchange: cut off after {@code limit}. */
    Watch deadline(Runnable cancel, Duration limit) {
        return watched(new Watch(cancel, limit, 0, Duration.ofSeconds(1), false));
    }

    /**
     * Watches a transfer: cut off when it moves fewer than {@code minBytesPerSecond} over a window,
     * or after {@code limit}.
     */
    Watch transfer(Runnable cancel, Duration limit, long minBytesPerSecond, Duration window) {
        return watched(new Watch(cancel, limit, minBytesPerSecond, window, minBytesPerSecond > 0));
    }

    private Watch watched(Watch w) {
        active.add(w);
        // Added before the flag is read, and the flag set before cutAllFromNowOn walks the set: no
        // exchange slips by.
        if (refusing) {
            w.cut(Reason.DEADLINE);
        }
        return w;
    }

    /** Cuts off every exchange under way (an import ran out of time, or was cancelled). */
    void cutAll() {
        for (Watch w : active) {
            if (w.reason == null) {
                w.cut(Reason.DEADLINE);
            }
        }
    }

    /**
     * Cuts off every exchange under way and every one started later: the work they were for is no
     * longer wanted.
     */
    void cutAllFromNowOn() {
        refusing = true;
        cutAll();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
