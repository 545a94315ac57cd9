package io.annexsync.gitsync.branch;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;

/**
 * What {@link AnnexBranch#mergeSiblings()} did.
 *
 * @param outcome whether the branch moved, and how
 * @param merged the short names of the sibling refs merged ({@code origin/git-annex}), empty when up to date
 * @param tip the branch tip afterwards; empty only if there is still no branch
 */
public record MergeResult(Outcome outcome, List<String> merged, Optional<ObjectId> tip) {
    /** How the git-annex branch was brought up to date with its siblings. */
    public enum Outcome {
        /** Every sibling was already merged. */
        UP_TO_DATE,
        /** The branch moved to a sibling's commit, which contained everything else. */
        FAST_FORWARD,
        /** A union merge commit was made. */
        MERGED
    }

    public MergeResult {
        Objects.requireNonNull(outcome, "outcome");
        merged = List.copyOf(merged);
        Objects.requireNonNull(tip, "tip");
    }
}
