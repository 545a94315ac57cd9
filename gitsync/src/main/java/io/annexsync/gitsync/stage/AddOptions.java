package io.annexsync.gitsync.stage;

import java.util.Objects;

/**
 * What a person asked of {@code add}.
 *
 * @param locked add annexed files locked (symlinks) instead of unlocked (pointer files)
 * @param force override annex.largefiles for this add
 * @param threads files hashed in parallel, at least 1
 */
public record AddOptions(boolean locked, Force force, int threads) {
    /** An override of annex.largefiles. */
    public enum Force {
        /** Follow annex.largefiles. */
        NONE,
        /** Annex every file, dotfiles included. */
        LARGE,
        /** Add every file to git. */
        SMALL
    }

    public AddOptions {
        Objects.requireNonNull(force, "force");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
    }
}
