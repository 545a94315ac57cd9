package io.annexsync.gitsync;

import java.util.Objects;
import java.util.Optional;

/**
 * A repository that holds a copy of some content, as {@code whereis} shows it.
 *
 * @param uuid the repository
 * @param description its description from uuid.log (empty if unknown)
 * @param here it is this repository
 * @param remoteName the name of the git remote that reaches it, if any
 */
public record Location(Uuid uuid, String description, boolean here, Optional<String> remoteName) {
    public Location {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(remoteName, "remoteName");
    }

    /** The description as git-annex's JSON gives it: with the remote's name in brackets. */
    public String jsonDescription() {
        return remoteName.map(n -> (description.isEmpty() ? "" : description + " ") + "[" + n + "]")
                .orElse(description);
    }

    /** The label in git-annex's human output: {@code desc [here]} or {@code desc [remote]}. */
    public String label() {
        return here ? (description.isEmpty() ? "" : description + " ") + "[here]" : jsonDescription();
    }
}
