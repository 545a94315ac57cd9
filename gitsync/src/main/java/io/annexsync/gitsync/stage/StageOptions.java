package io.annexsync.gitsync.stage;

import io.annexsync.gitsync.key.Backend;
import java.util.Objects;

/**
 * How {@link Stager} adds files.
 *
 * @param locked annexed files become symlinks into the store ({@code git annex add} default) instead of unlocked
 *     files with pointer blobs
 * @param thin {@code annex.thin}: unlocked files share their inode with the object instead of a copy
 * @param backend the key backend for new content
 * @param largeFiles which files are annexed
 * @param force also add files that {@code .gitignore} excludes
 */
public record StageOptions(boolean locked, boolean thin, Backend backend, LargeFilesPolicy largeFiles, boolean force) {
    public StageOptions {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(largeFiles, "largeFiles");
        if (locked && thin) {
            throw new IllegalArgumentException("annex.thin applies to unlocked files only");
        }
    }
}
