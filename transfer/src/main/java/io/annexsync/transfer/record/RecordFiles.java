package io.annexsync.transfer.record;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one transfer's files live (FORMAT.md section 7.1), under {@code .git/annex/transfer/}:
 * {@code <direction>/<uuid>/<keyFile>} (info), {@code <direction>/<uuid>/lck.<keyFile>} (lock) and
 * {@code failed/<direction>/<uuid>/<keyFile>} (failed info). The uuid folder is the uuid with any {@code /} removed;
 * {@link Uuid} never holds one, so it is the uuid itself.
 *
 * @param info the info file
 * @param lock the lock file whose fcntl write lock says the transfer is alive
 * @param failed where the info file goes when the transfer fails
 */
record RecordFiles(Path info, Path lock, Path failed) {
    /** The prefix of lock file names; info files are the other files of a uuid folder. */
    static final String LOCK_PREFIX = "lck.";
    /** The folder of failed records, beside the direction folders. */
    static final String FAILED = "failed";

    RecordFiles {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(lock, "lock");
        Objects.requireNonNull(failed, "failed");
    }

    /** The files of the transfer of {@code key} in {@code direction} with {@code remote}. */
    static RecordFiles of(Path transferDir, Direction direction, Uuid remote, Key key) {
        String folder = folderOf(remote);
        String keyFile = key.keyFile();
        Path dir = transferDir.resolve(direction.dirName()).resolve(folder);
        return new RecordFiles(dir.resolve(keyFile), dir.resolve(LOCK_PREFIX + keyFile),
                transferDir.resolve(FAILED).resolve(direction.dirName()).resolve(folder).resolve(keyFile));
    }

    /** The git directory the records belong to ({@code info} is {@code GITDIR/annex/transfer/DIRECTION/UUID/KEY}). */
    Path gitDir() {
        return info.getParent().getParent().getParent().getParent().getParent();
    }

    /** The folder name git-annex gives {@code remote}'s records. */
    static String folderOf(Uuid remote) {
        return remote.value().replace("/", "");
    }
}
