package io.annexsync.gitsync.store;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.key.Key;

/**
 * A held content lock on one key (FORMAT.md §3.4): shared while content is in use and must not be dropped, exclusive
 * while it is being removed. Seen by git-annex and other processes as an fcntl lock on {@code KEY.lck}, and by other
 * threads of this JVM through the store's registry. Not thread-safe; the thread that took it closes it, once.
 */
public interface ContentLock extends AutoCloseable {
    /** The locked key. */
    Key key();

    /** Whether this is the exclusive (removal) lock. */
    boolean exclusive();

    /** Releases the lock and deletes {@code KEY.lck} when no one else holds it. */
    @Override
    void close() throws RepoException;
}
