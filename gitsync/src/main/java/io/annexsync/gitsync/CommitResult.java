package io.annexsync.gitsync;

import java.util.Objects;

/**
 * A commit that was made.
 *
 * @param branch the branch it was made on
 * @param id the full commit id
 * @param filesChanged how many paths differ from the parent
 */
public record CommitResult(String branch, String id, int filesChanged) {
    public CommitResult {
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(id, "id");
    }
}
