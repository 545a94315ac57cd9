package io.annexsync.transfer.queue;

import io.annexsync.gitsync.sync.RetryPolicy;
import java.util.Objects;

/**
 * How the transfer queue treats failures: the back-off between tries, and how many tries before an item is given up
 * as {@link QueueItem.State#FAILED}. Immutable.
 *
 * @param retry the delay before the next try after {@code n} failures in a row
 * @param maxAttempts how many failed tries make an item FAILED; at least 1
 */
public record QueuePolicy(RetryPolicy retry, int maxAttempts) {
    /** Ten tries: with {@link RetryPolicy#DEFAULT} about three hours of trying before an item is given up. */
    public static final int DEFAULT_MAX_ATTEMPTS = 10;

    public QueuePolicy {
        Objects.requireNonNull(retry, "retry");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
    }

    /** The given back-off with {@link #DEFAULT_MAX_ATTEMPTS}. */
    public static QueuePolicy of(RetryPolicy retry) {
        return new QueuePolicy(retry, DEFAULT_MAX_ATTEMPTS);
    }
}
