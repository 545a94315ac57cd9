package io.annexsync.gitsync.store;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.key.Key;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of content locks held by this JVM. fcntl locks belong to a process, so one {@link FileChannel} and one
 * {@link FileLock} per lock file are shared by all threads here, counted; shared holders coexist, an exclusive holder
 * excludes everyone. The registry is one for the whole JVM, keyed by the lock file's absolute path, so two
 * {@link ObjectStore}s opened on the same repository (a command and a remote access, later the daemon's threads)
 * exclude each other too. Across processes the fcntl lock does the excluding. Thread-safe: every change happens under
 * the registry's monitor (lock files are tiny and the calls never block: they only try).
 */
final class ContentLocks {
    /** Locks held by this JVM, whichever store took them. Guarded by {@code HELD} itself. */
    private static final Map<Path, Held> HELD = new HashMap<>();

    private final ObjectLayout layout;

    private static final class Held {
        final FileChannel channel;
        final FileLock lock;
        int holders;

        Held(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }
    }

    ContentLocks(ObjectLayout layout) {
        this.layout = layout;
    }

    /** Takes a lock on {@code object}'s {@code .lck}; empty when someone holds a conflicting one. */
    Optional<ContentLock> tryLock(Key key, Path object, boolean exclusive) throws RepoException {
        synchronized (HELD) {
            return tryLockHeld(key, object, exclusive);
        }
    }

    private Optional<ContentLock> tryLockHeld(Key key, Path object, boolean exclusive) throws RepoException {
        Path lockFile = lockFileOf(object);
        Held current = HELD.get(lockFile);
        if (current != null) {
            if (exclusive || !current.lock.isShared()) {
                return Optional.empty();
            }
            current.holders++;
            return Optional.of(new Handle(key, lockFile, false));
        }
        try {
            return acquire(lockFile, exclusive).map(h -> {
                HELD.put(lockFile, h);
                return new Handle(key, lockFile, exclusive);
            });
        } catch (IOException e) {
            throw new RepoException("cannot lock content of " + key + " at " + lockFile, e);
        }
    }

    static Path lockFileOf(Path object) {
        return object.resolveSibling(object.getFileName() + ".lck");
    }

    private Optional<Held> acquire(Path lockFile, boolean exclusive) throws IOException {
        Path keyDir = lockFile.getParent();
        layout.makeWritable(keyDir);
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        layout.protectKeyDir(keyDir);
        Optional<Object> opened = inode(lockFile);
        FileLock lock = tryLock(channel, exclusive);
        if (lock == null) {
            channel.close();
            return Optional.empty();
        }
        if (opened.isEmpty() || !opened.equals(inode(lockFile))) {
            // a releasing process deleted the lock file between our open and lock: ours would guard nothing
            channel.close();
            return acquire(lockFile, exclusive);
        }
        return Optional.of(new Held(channel, lock));
    }

    private static FileLock tryLock(FileChannel channel, boolean exclusive) throws IOException {
        return channel.tryLock(0, Long.MAX_VALUE, !exclusive);
    }

    /** The lock file's inode, or empty when it is gone. */
    private static Optional<Object> inode(Path lockFile) throws IOException {
        try {
            return Optional.of(Files.readAttributes(lockFile, "unix:ino", LinkOption.NOFOLLOW_LINKS).get("ino"));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private void release(Path lockFile) throws RepoException {
        synchronized (HELD) {
            releaseHeld(lockFile);
        }
    }

    private void releaseHeld(Path lockFile) throws RepoException {
        Held h = HELD.get(lockFile);
        if (h == null) {
            return;
        }
        if (h.holders > 0) {
            h.holders--;
            return;
        }
        HELD.remove(lockFile);
        try (FileChannel channel = h.channel) {
            h.lock.release();
            deleteIfUnused(channel, lockFile);
        } catch (IOException e) {
            throw new RepoException("cannot release content lock " + lockFile, e);
        }
    }

    /** Deletes the lock file unless another process still holds a lock on it. */
    private void deleteIfUnused(FileChannel channel, Path lockFile) throws IOException {
        FileLock probe = channel.tryLock(0, Long.MAX_VALUE, false);
        if (probe == null) {
            return;
        }
        Path keyDir = lockFile.getParent();
        if (Files.isDirectory(keyDir)) {
            layout.makeWritable(keyDir);
            Files.deleteIfExists(lockFile);
            layout.protectKeyDir(keyDir);
        }
        probe.release();
    }

    private final class Handle implements ContentLock {
        private final Key key;
        private final Path lockFile;
        private final boolean exclusive;
        private boolean closed;

        Handle(Key key, Path lockFile, boolean exclusive) {
            this.key = key;
            this.lockFile = lockFile;
            this.exclusive = exclusive;
        }

        @Override
        public Key key() {
            return key;
        }

        @Override
        public boolean exclusive() {
            return exclusive;
        }

        @Override
        public void close() throws RepoException {
            if (!closed) {
                closed = true;
                release(lockFile);
            }
        }
    }
}
