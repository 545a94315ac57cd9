package io.annexsync.netmap.graph;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A repository in the network map, named by its git-annex UUID (lower-case canonical form, e.g.
 * {@code 5f3c1c3e-6a1e-4a6e-9c1f-2b7a8d1e0f42}). Ordered by the UUID string, which is the order every peer uses to
 * break ties, so that all peers compute the same routes from the same map.
 *
 * @param uuid the repository UUID; upper-case input is normalised to lower case
 */
public record RepoId(String uuid) implements Comparable<RepoId> {

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** Validates the UUID and normalises it to lower case. */
    public RepoId {
        Objects.requireNonNull(uuid, "uuid");
        uuid = uuid.toLowerCase(Locale.ROOT);
        if (!UUID.matcher(uuid).matches()) {
            throw new IllegalArgumentException("not a repository UUID: '" + uuid + "'");
        }
    }

    /**
     * Parses a repository UUID.
     *
     * @param uuid the UUID text
     * @return the repository id
     */
    public static RepoId of(String uuid) {
        return new RepoId(uuid);
    }

    @Override
    public int compareTo(RepoId other) {
        return uuid.compareTo(other.uuid);
    }

    @Override
    public String toString() {
        return uuid;
    }
}
