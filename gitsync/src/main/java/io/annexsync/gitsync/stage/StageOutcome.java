package io.annexsync.gitsync.stage;

import io.annexsync.gitsync.key.Key;
import java.util.Objects;
import java.util.Optional;

/**
 * What staging did with one path; the caller writes location logs for {@link Kind#ANNEXED} outcomes.
 *
 * @param path path relative to the work tree, '/'-separated (as given when it could not be resolved)
 * @param kind what happened
 * @param key the annex key, for annexed files (also unchanged ones)
 * @param size the file's content size in bytes (0 when it could not be read)
 * @param problem why a path failed, was refused or ignored, for {@link Kind#MISSING}, {@link Kind#OUTSIDE},
 *     {@link Kind#FAILED}, {@link Kind#REFUSED} and {@link Kind#IGNORED}
 */
public record StageOutcome(String path, Kind kind, Optional<Key> key, long size, Optional<String> problem) {
    /** The kinds of outcome. */
    public enum Kind {
        /** Content went to the annex and the index now has its pointer or symlink. */
        ANNEXED,
        /** Content went to git as a normal blob. */
        GIT,
        /** Gone from the work tree; removed from the index ({@code addAll} only). */
        DELETED,
        /** Already staged as it is; not hashed, not rewritten. */
        UNCHANGED,
        /** The path does not exist. */
        MISSING,
        /** The path is outside the repository's work tree (or inside {@code .git}). */
        OUTSIDE,
        /** Reading or storing this file failed; the others were still staged. */
        FAILED,
        /**
         * Not staged, on purpose: the file is a pointer file with other content appended to it (a person edited the
         * placeholder of content that is not here); the index keeps the pointer, so the real content stays the
         * file's version everywhere.
         */
        REFUSED,
        /**
         * Skipped, never opened: not a regular file, a folder or a symbolic link but a FIFO, a socket or a device
         * ({@link SpecialFiles}), which git and git-annex ignore too; its index entry, if any, stays as it is.
         */
        IGNORED
    }

    public StageOutcome {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(problem, "problem");
    }

    /**
     * Whether a changed file was left out of the commit for a problem the person should hear of: it failed or was
     * refused. A file deleted while it was read ({@link Kind#MISSING}) and one never read ({@link Kind#IGNORED}) are
     * not.
     */
    public boolean leftOut() {
        return kind == Kind.FAILED || kind == Kind.REFUSED;
    }

    static StageOutcome problem(String path, Kind kind, String problem) {
        return new StageOutcome(path, kind, Optional.empty(), 0, Optional.of(problem));
    }
}
