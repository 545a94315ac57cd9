package io.annexsync.transfer.engine;

/**
 * A bandwidth limit shared by the threads that move bytes under it: a token bucket in the form of the generic cell
 * rate algorithm. Each {@link #acquire} books its bytes after those booked before it and sleeps until they are due,
 * allowing a burst of a tenth of a second's worth, so over any transfer longer than a second the rate holds to
 * within a few percent whatever the number of threads. Thread-safe.
 */
public final class RateLimiter {
    private static final long BURST_NANOS = 100_000_000L;

    private final long bytesPerSecond;
    private final double nanosPerByte;
    /** The theoretical time at which everything booked so far has been paid for. */
    private long paidUntil = Long.MIN_VALUE;

    /** A limit of {@code bytesPerSecond}; at least 1. */
    public RateLimiter(long bytesPerSecond) {
        if (bytesPerSecond < 1) {
            throw new IllegalArgumentException("a bandwidth limit must be at least 1 byte per second: "
                    + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.nanosPerByte = 1e9 / bytesPerSecond;
    }

    /** The limit in bytes per second. */
    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Waits until {@code bytes} more may go. */
    public void acquire(long bytes) throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            paidUntil = Math.max(paidUntil, now) + (long) (bytes * nanosPerByte);
            wait = paidUntil - BURST_NANOS - now;
        }
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
        }
    }
}
