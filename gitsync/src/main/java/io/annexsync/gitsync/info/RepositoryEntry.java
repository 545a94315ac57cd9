package io.annexsync.gitsync.info;

import io.annexsync.gitsync.Uuid;
import java.util.Objects;

/** A repository in one of {@code info}'s trust lists; the description carries the remote name in brackets. */
public record RepositoryEntry(Uuid uuid, String description, boolean here) {
    public RepositoryEntry {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(description, "description");
    }
}
