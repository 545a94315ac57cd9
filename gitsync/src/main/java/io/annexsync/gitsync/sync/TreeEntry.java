package io.annexsync.gitsync.sync;

import java.util.Objects;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;

/**
 * One file of a flattened git tree: its raw mode and blob id.
 *
 * @param mode the raw git mode ({@code 0100644}, {@code 0100755}, {@code 0120000}, {@code 0160000})
 * @param id the blob (or gitlink commit) id
 */
record TreeEntry(int mode, ObjectId id) {
    TreeEntry {
        Objects.requireNonNull(id, "id");
        id = id.copy();
    }

    boolean symlink() {
        return FileMode.SYMLINK.equals(mode);
    }

    boolean regular() {
        return FileMode.REGULAR_FILE.equals(mode) || FileMode.EXECUTABLE_FILE.equals(mode);
    }

    boolean gitlink() {
        return FileMode.GITLINK.equals(mode);
    }

    FileMode fileMode() {
        return FileMode.fromBits(mode);
    }
}
