package io.annexsync.gitsync.stage;

import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.store.FileStamp;
import java.util.Objects;
import java.util.Optional;

/**
 * What the stat cache remembers about one staged file: its stat data when it was hashed, and what it became.
 *
 * @param path path relative to the work tree, '/'-separated
 * @param stamp inode, size, mtime and ctime when hashed
 * @param mode the git file mode staged ({@code 0100644}, {@code 0100755}, {@code 0120000})
 * @param blobId the git blob staged: the content, the pointer, or the symlink text
 * @param key the annex key, when the file is annexed
 * @param cachedAtNanos when the entry was written (epoch nanoseconds), for the racy-entry rule
 */
public record CachedStat(String path, FileStamp stamp, int mode, String blobId, Optional<Key> key,
        long cachedAtNanos) {
    public CachedStat {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(stamp, "stamp");
        Objects.requireNonNull(blobId, "blobId");
        Objects.requireNonNull(key, "key");
    }

    private static final long SECOND = 1_000_000_000L;

    /**
     * How far a file's mtime can lag behind the moment it was written on a file system with nanosecond timestamps:
     * Linux stamps files from a coarse clock that ticks every 1 to 10 ms. Kept generous.
     */
    private static final long COARSE_CLOCK_MARGIN = 100_000_000L;

    /**
     * Whether the file could have changed after it was hashed without its mtime showing it, as in git's racy-git
     * rule: its mtime is not safely before the moment it was stat'ed. With nanosecond timestamps, safely before
     * means more than the coarse clock's tick earlier; on file systems that keep whole seconds (FAT, exFAT, some
     * network file systems: the mtime has no fraction) it means an earlier second, with a second of slack for
     * FAT's two-second stamps. Such entries must be hashed again.
     */
    public boolean racy() {
        if (Math.floorMod(stamp.mtimeNanos(), SECOND) == 0) {
            return Math.floorDiv(stamp.mtimeNanos(), SECOND) + 1 >= Math.floorDiv(cachedAtNanos, SECOND);
        }
        return stamp.mtimeNanos() >= cachedAtNanos - COARSE_CLOCK_MARGIN;
    }
}
