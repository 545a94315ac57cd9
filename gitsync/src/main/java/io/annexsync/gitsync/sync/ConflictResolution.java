package io.annexsync.gitsync.sync;

import java.util.List;
import java.util.Objects;

/**
 * How {@link Merger} resolved one conflicting path without stopping, so a person can see where each version went.
 *
 * @param path the conflicting path, relative to the work tree, {@code /}-separated
 * @param kind which conflict it was
 * @param keptAs every path that now holds a version of it (sorted; empty only if every version was identical)
 */
public record ConflictResolution(String path, Kind kind, List<String> keptAs) {
    public ConflictResolution {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        keptAs = List.copyOf(keptAs);
    }

    /** The conflict cases, each named as in {@code docs/sync.md}. */
    public enum Kind {
        /** Both sides changed an annexed file to different keys: each key kept as a {@code .variant-XXXX} file. */
        ANNEXED_BOTH_CHANGED,
        /** Annexed on one side, stored in git on the other: the git file keeps the name, the annexed one a variant. */
        ANNEXED_VS_GIT,
        /** Changed on one side, deleted on the other: the changed version survives. */
        MODIFY_DELETE,
        /** A file on one side where the other side has a folder: the folder stays, the file gets a variant name. */
        FILE_VS_FOLDER,
        /** Renamed on one side, changed in place on the other: the changed content ends up at the new name. */
        RENAME_MODIFY,
        /** A file stored in git changed on both sides in ways that do not merge: both kept as variants. */
        GIT_BOTH_CHANGED,
        /** A work-tree file changed since the last commit: kept as the person left it, not overwritten. */
        LOCAL_CHANGE_KEPT
    }
}
