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
 * @param unsafe each merged commit whose tree held unsafe paths, with the paths left out; in the order merged
 */
public record MergeReport(List<String> merged, List<ConflictResolution> conflicts, Optional<String> newHead,
        List<UnsafeCommit> unsafe) {
    /** The report of a sync that did not pull. */
    public static MergeReport none() {
        return new MergeReport(List.of(), List.of(), Optional.empty(), List.of());
    }

    public MergeReport {
        merged = List.copyOf(merged);
        conflicts = List.copyOf(conflicts);
        Objects.requireNonNull(newHead, "newHead");
        unsafe = List.copyOf(unsafe);
    }
}
