package io.annexsync.gitsync.sync;

import java.time.Duration;
import java.util.Objects;

/**
 * What one fetch from one remote did.
 *
 * @param remote the remote's name
 * @param ok whether the remote's branches arrived under {@code refs/remotes/NAME/}
 * @param message what happened, worded for a person
 * @param elapsed how long the fetch took, or the timeout when it was abandoned
 */
public record FetchOutcome(String remote, boolean ok, String message, Duration elapsed) {
    public FetchOutcome {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(elapsed, "elapsed");
        if (elapsed.isNegative()) {
            throw new IllegalArgumentException("elapsed must not be negative: " + elapsed);
        }
    }
}
