package io.annexsync.gitsync.sync;

import java.time.Duration;
import java.util.Objects;

/**
 * What one push to one remote did.
 *
 * @param remote the remote's name
 * @param status how it ended
 * @param message what happened, worded for a person, with what to do when it failed
 * @param elapsed how long the push took, or the timeout when it was abandoned
 */
public record PushOutcome(String remote, PushStatus status, String message, Duration elapsed) {
    public PushOutcome {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(elapsed, "elapsed");
        if (elapsed.isNegative()) {
            throw new IllegalArgumentException("elapsed must not be negative: " + elapsed);
        }
    }

    /** Whether the remote now has what we pushed ({@link PushStatus#OK} or {@link PushStatus#UP_TO_DATE}). */
    public boolean succeeded() {
        return status == PushStatus.OK || status == PushStatus.UP_TO_DATE;
    }
}
