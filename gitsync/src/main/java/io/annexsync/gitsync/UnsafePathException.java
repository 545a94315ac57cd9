package io.annexsync.gitsync;

import java.util.Objects;

/**
 * A file was not written or deleted because its path is unsafe (see {@link WorkTreePaths}): it would land outside the
 * work tree or in {@code .git}, or a folder on the way is a symbolic link. Nothing was changed for it.
 */
public class UnsafePathException extends RepoException {
    private final String path;

    public UnsafePathException(String path, String reason) {
        super("refusing to write " + Objects.requireNonNull(path, "path") + ": " + reason);
        this.path = path;
    }

    /** The path that was refused, as it came. */
    public String path() {
        return path;
    }
}
