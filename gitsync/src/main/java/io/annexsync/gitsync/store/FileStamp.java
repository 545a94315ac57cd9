package io.annexsync.gitsync.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A file's identity and change stamp as {@code stat} gives them, for noticing that a file changed.
 *
 * @param inode inode number
 * @param size size in bytes
 * @param mtimeNanos modification time, nanoseconds since the epoch
 * @param ctimeNanos inode change time, nanoseconds since the epoch
 */
public record FileStamp(long inode, long size, long mtimeNanos, long ctimeNanos) {
    /** The stamp of {@code path}, not following a final symlink. */
    public static FileStamp of(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, "unix:ino,size,lastModifiedTime,ctime",
                LinkOption.NOFOLLOW_LINKS);
        return new FileStamp((Long) a.get("ino"), (Long) a.get("size"), nanos((FileTime) a.get("lastModifiedTime")),
                nanos((FileTime) a.get("ctime")));
    }

    private static long nanos(FileTime t) {
        return t.to(TimeUnit.NANOSECONDS);
    }
}
