package io.annexsync.gitsync.sync;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How annex-sync caught up with a current branch that something else had moved since annex-sync last left it
 * ({@link MovedBranch}).
 *
 * @param branch the branch's short name ({@code main})
 * @param leftAt the commit annex-sync had left the branch at; empty when it had left it unborn
 * @param foundAt the commit the branch had been moved to
 * @param localCommit the commit, on {@code leftAt}, of what the index held beyond it, when there was something
 * @param merge the merge of {@code foundAt} into that; empty when the branch was taken as it was found (git had made
 *     the index from it)
 * @param head the branch's commit afterwards
 */
public record MovedMerge(String branch, Optional<String> leftAt, String foundAt, Optional<String> localCommit,
        Optional<MergeReport> merge, String head) {
    public MovedMerge {
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(leftAt, "leftAt");
        Objects.requireNonNull(foundAt, "foundAt");
        Objects.requireNonNull(localCommit, "localCommit");
        Objects.requireNonNull(merge, "merge");
        Objects.requireNonNull(head, "head");
    }

    /** The conflicts the merge resolved and the local changes it left in place; none when it was taken as it was. */
    public List<ConflictResolution> conflicts() {
        return merge.map(MergeReport::conflicts).orElse(List.of());
    }

    /** Whether the branch was taken as it was found, with nothing merged. */
    public boolean takenAsFound() {
        return merge.isEmpty();
    }
}
