package io.annexsync.transfer.record;

import io.annexsync.gitsync.RepoException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's claim on a repository's partial file {@code .git/annex/tmp/KEY}, so that two writers never
 * interleave on it: two senders to one repository hold different transfer records ({@code download/<A>/KEY} and
 * {@code download/<C>/KEY}), and so do that repository's own downloads of one key from two remotes, yet all of them
 * write the same partial file. git-annex locks nothing there, so this lock is annex-sync's own: the fcntl write lock
 * on {@code .git/annex-sync/partial/lck.KEY}, outside git-annex's folders, and never on the partial file itself
 * (the copy opens that with a channel of its own, and closing any other channel on a locked file drops the lock).
 * Made by {@link TransferRecords#tryLockPartial}; released, and its lock file deleted, by {@link #close()}.
 *
 * <p>Thread-safe; closed by whoever took it.
 */
public final class PartialLock implements AutoCloseable {
    /** The folder of the lock files, under the git directory. */
    static final String FOLDER = "annex-sync/partial";

    private final Path lockFile;
    private boolean released;

    PartialLock(Path lockFile) {
        this.lockFile = lockFile;
    }

    /** Releases the lock and deletes its lock file (whoever comes next makes a new one). Idempotent. */
    @Override
    public synchronized void close() throws RepoException {
        if (released) {
            return;
        }
        released = true;
        TransferLocks.release(lockFile, () -> Files.deleteIfExists(lockFile));
    }
}
