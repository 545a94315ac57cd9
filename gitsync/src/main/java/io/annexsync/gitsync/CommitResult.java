package io.annexsync.gitsync;

import io.annexsync.gitsync.sync.MovedMerge;
import java.util.Objects;
import java.util.Optional;

/**
 * What a commit step did: a commit, or the merge of a branch that had moved under annex-sync, or both.
 *
 * @param branch the branch it was made on
 * @param id the full id of the branch's commit afterwards
 * @param filesChanged how many paths the commit step's own commits changed (the index's changes; 0 when the step
 *     only merged a moved branch)
 * @param moved the merge of the current branch, when something other than annex-sync had moved it
 */
public record CommitResult(String branch, String id, int filesChanged, Optional<MovedMerge> moved) {
    public CommitResult {
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(moved, "moved");
    }

    /**
     * Whether the index was committed (as its own commit, or as the commit on where annex-sync had left a moved
     * branch); false when the step only caught up with a moved branch.
     */
    public boolean committed() {
        return moved.isEmpty() || filesChanged > 0;
    }

    /** A commit on a branch that had not moved. */
    public CommitResult(String branch, String id, int filesChanged) {
        this(branch, id, filesChanged, Optional.empty());
    }
}
