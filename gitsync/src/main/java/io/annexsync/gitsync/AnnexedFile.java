package io.annexsync.gitsync;

import io.annexsync.gitsync.key.Key;
import java.util.Objects;

/**
 * A file in the index whose content is annexed.
 *
 * @param path the path relative to the work tree, with {@code /} separators
 * @param key the key of its content
 * @param locked a git-annex symlink (true) or an unlocked pointer file (false)
 */
public record AnnexedFile(String path, Key key, boolean locked) {
    public AnnexedFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(key, "key");
    }
}
