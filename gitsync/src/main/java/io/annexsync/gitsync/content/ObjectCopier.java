package io.annexsync.gitsync.content;

import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.store.ContentLock;
import io.annexsync.gitsync.store.ObjectStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Copies one object from a store to another on local paths: into the destination's {@code .git/annex/tmp/KEY}
 * (continuing a partial file left there by an interrupted copy), then verified into place, so content that does not
 * match its key never enters the destination. The source is held under a shared content lock meanwhile, so nobody
 * drops it halfway.
 */
final class ObjectCopier {
    private static final long CHUNK = 8L << 20;

    private ObjectCopier() {}

    /** Copies {@code key} from {@code source} to {@code dest}; throws with a clear message when it cannot. */
    static void copy(ObjectStore source, ObjectStore dest, Key key, String file, Progress progress)
            throws RepoException {
        try (ContentLock lock = source.lockShared(key)) {
            if (!source.contains(key)) {
                throw new RepoException("content of " + file + " is no longer in the source repository");
            }
            Path tmp = dest.tempFileFor(key);
            copyBytes(source.objectPath(key), tmp, file, progress);
            dest.insertVerified(key, tmp);
        }
    }

    private static void copyBytes(Path from, Path to, String file, Progress progress) throws RepoException {
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long size = in.size();
            long pos = Math.min(out.size(), size);
            progress.itemStarted(file, size);
            progress.bytesDone(pos);
            out.position(pos);
            while (pos < size) {
                long n = in.transferTo(pos, Math.min(CHUNK, size - pos), out);
                if (n <= 0) {
                    throw new IOException("copy made no progress at byte " + pos);
                }
                pos += n;
                progress.bytesDone(n);
            }
            out.truncate(size);
            out.force(true);
        } catch (IOException e) {
            throw new RepoException("copying " + file + " failed: " + e.getMessage(), e);
        } finally {
            progress.itemDone(file);
        }
    }
}
