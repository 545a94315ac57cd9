package io.annexsync.gitsync.sync;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Merger#merge} did.
 *
 * @param merged the refs merged or fast-forwarded into the current branch, in the order given
 * @param conflicts every conflict resolved on the way and every local change left in place
 * @param newHead the commit the current branch points to now, when it moved
 */
public record MergeReport(List<String> merged, List<ConflictResolution> conflicts, Optional<String> newHead) {
    public MergeReport {
        merged = List.copyOf(merged);
        conflicts = List.copyOf(conflicts);
        Objects.requireNonNull(newHead, "newHead");
    }
}
