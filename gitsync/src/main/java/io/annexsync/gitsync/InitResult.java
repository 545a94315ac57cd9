package io.annexsync.gitsync;

import java.util.Objects;

/**
 * What {@code init} did.
 *
 * @param uuid the repository's uuid
 * @param keptExistingUuid the repository was already initialised (by git-annex or annex-sync) and its uuid was kept
 * @param createdGitRepository the folder was not a git repository and one was made
 * @param description the description recorded in uuid.log
 */
public record InitResult(Uuid uuid, boolean keptExistingUuid, boolean createdGitRepository, String description) {
    public InitResult {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(description, "description");
    }

    /** The uuid init settled on, and whether it was already there. */
    record UuidChoice(Uuid uuid, boolean existed) {}
}
