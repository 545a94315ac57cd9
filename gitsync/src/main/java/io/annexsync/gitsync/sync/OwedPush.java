package io.annexsync.gitsync.sync;

import java.time.Instant;
import java.util.Objects;

/**
 * A push that failed and must be tried again: the remote still lacks our latest branches.
 *
 * @param remote the remote's name
 * @param error the last failure's message
 * @param attempts how many pushes failed in a row; at least 1
 * @param firstFailed when the first of those failures happened
 * @param nextTry when to try again; not before {@code firstFailed}
 */
public record OwedPush(String remote, String error, int attempts, Instant firstFailed, Instant nextTry) {
    public OwedPush {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(firstFailed, "firstFailed");
        Objects.requireNonNull(nextTry, "nextTry");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
        }
        if (nextTry.isBefore(firstFailed)) {
            throw new IllegalArgumentException("nextTry " + nextTry + " is before firstFailed " + firstFailed);
        }
    }
}
