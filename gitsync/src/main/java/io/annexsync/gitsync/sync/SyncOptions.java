package io.annexsync.gitsync.sync;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one {@code sync} does.
 *
 * @param pull fetch every remote and merge what they have
 * @param push push to every remote
 * @param content afterwards, get missing content and send content to remotes that lack it
 * @param remotes only these remotes (by name); empty for every remote whose {@code annex-sync} setting is not false
 * @param timeout how long one remote's fetch or push may take before it counts as unreachable
 * @param jobs files hashed in parallel when committing the work tree
 */
public record SyncOptions(
        boolean pull, boolean push, boolean content, List<String> remotes, Duration timeout, int jobs) {
    public SyncOptions {
        remotes = List.copyOf(Objects.requireNonNull(remotes, "remotes"));
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1: " + jobs);
        }
    }
}
