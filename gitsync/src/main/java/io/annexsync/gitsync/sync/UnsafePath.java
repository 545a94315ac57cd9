package io.annexsync.gitsync.sync;

import java.util.Objects;

/**
 * A tree entry that was not checked out because its path is unsafe ({@link io.annexsync.gitsync.WorkTreePaths}).
 *
 * @param path the entry's path as the tree names it ({@code /}-separated; raw bytes decoded as UTF-8)
 * @param reason why it was left out, for a person
 */
public record UnsafePath(String path, String reason) {
    public UnsafePath {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(reason, "reason");
    }
}
