package io.annexsync.gitsync.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long to wait before trying again after failures: exponential back-off with a cap and random jitter, so peers
 * that failed together do not all retry at the same moment.
 *
 * <p>The delay after {@code n} failures is {@code initialDelay * factor^(n-1)}, spread by up to {@code ± jitter} of
 * itself, and never more than {@code cap} nor less than zero. Immutable and thread-safe.
 *
 * @param initialDelay the delay after the first failure; positive
 * @param factor how much the delay grows per further failure; at least 1
 * @param cap the longest delay; at least {@code initialDelay}
 * @param jitter the random spread as a fraction of the delay, in {@code [0, 1]}
 */
public record RetryPolicy(Duration initialDelay, double factor, Duration cap, double jitter) {
    /** One minute, doubling, at most 30 minutes, ± 10 %. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofMinutes(1), 2, Duration.ofMinutes(30), 0.1);

    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(cap, "cap");
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("initialDelay must be positive: " + initialDelay);
        }
        if (!(factor >= 1) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor must be a finite number >= 1: " + factor);
        }
        if (cap.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("cap " + cap + " is shorter than initialDelay " + initialDelay);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be in [0, 1]: " + jitter);
        }
    }

    /**
     * The delay before the next try after {@code failures} failures in a row.
     *
     * @param failures how many tries failed in a row; at least 1
     * @param random the source of jitter; not shared between threads unless it is thread-safe
     */
    public Duration delayAfter(int failures, RandomGenerator random) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1: " + failures);
        }
        Objects.requireNonNull(random, "random");
        double capNanos = cap.toNanos();
        double base = Math.min(initialDelay.toNanos() * Math.pow(factor, failures - 1.0), capNanos);
        double spread = jitter == 0 ? 0 : jitter * (2 * random.nextDouble() - 1);
        double delay = Math.min(Math.max(base * (1 + spread), 0), capNanos);
        return Duration.ofNanos((long) delay);
    }
}
