package io.annexsync.transfer.record;

import io.annexsync.gitsync.RepoException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of the transfer locks ({@code lck.KEY}) and partial-file locks ({@link PartialLock}) held by this
 * JVM. fcntl locks belong to a process: a second channel on a file this JVM has locked neither sees nor excludes the
 * lock, and closing it silently drops the lock (LIBRARIES.md, "File locks"). So one channel per lock file is kept
 * here, keyed by the file's absolute path for the whole JVM, and no lock file is ever opened while it is in the
 * registry: a record held here is answered from the registry, only the others are probed. Across processes the fcntl
 * lock does the excluding. Thread-safe: every change happens under the registry's monitor; nothing blocks under it
 * (locks are only tried).
 */
final class TransferLocks {
    /** Locks held by this JVM, whichever {@link TransferRecords} took them. Guarded by {@code HELD} itself. */
    private static final Map<Path, Held> HELD = new HashMap<>();
    /** How often a lock file may be replaced under us before giving up; each replacement is another releaser. */
    private static final int MAX_ATTEMPTS = 50;

    private TransferLocks() {
    }

    /** What probing a lock file found. */
    enum Probe {
        /** Locked by this JVM: {@link #owner} says which transfer. */
        HELD_HERE,
        /** Locked by another process: the transfer is alive there. */
        LIVE_ELSEWHERE,
        /** Nobody held it: the record was stale and has been cleaned. */
        CLEANED
    }

    /** Files to change while the lock is still held, just before it is released. */
    @FunctionalInterface
    interface WhileLocked {
        void run() throws IOException;
    }

    /** A lock this JVM holds, and for whom: an {@link ActiveTransfer}, or a {@link PartialLock}. */
    private record Held(FileChannel channel, FileLock lock, Object owner) {
    }

    /**
     * Creates {@code lockFile} when missing and takes its exclusive lock without blocking, for {@code owner}; false
     * when this JVM or another process holds it. After locking, the path must still name the file we locked: a
     * releasing process deletes its lock file, and a lock on a deleted file would guard nothing, so then we retry.
     */
    static boolean tryAcquire(Path lockFile, Object owner) throws RepoException {
        synchronized (HELD) {
            if (HELD.containsKey(lockFile)) {
                return false;
            }
            try {
                for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                    Optional<Optional<Held>> result = attempt(lockFile, owner);
                    if (result.isPresent()) {
                        result.get().ifPresent(h -> HELD.put(lockFile, h));
                        return result.get().isPresent();
                    }
                }
            } catch (IOException e) {
                throw new RepoException("cannot lock " + lockFile, e);
            }
            throw new RepoException("transfer lock " + lockFile + " was replaced " + MAX_ATTEMPTS + " times in a row");
        }
    }

    /** One try: the held lock, empty when someone holds it, or no answer when the file was replaced (retry). */
    private static Optional<Optional<Held>> attempt(Path lockFile, Object owner) throws IOException {
        try {
            Files.createFile(lockFile);
        } catch (FileAlreadyExistsException e) {
            // a previous or concurrent transfer's lock file: the lock decides
        }
        Optional<Object> before = identity(lockFile);
        if (before.isEmpty()) {
            return Optional.empty();
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        FileLock lock = tryLock(channel);
        if (lock == null) {
            channel.close();
            return Optional.of(Optional.empty());
        }
        if (!before.equals(identity(lockFile))) {
            channel.close();
            return Optional.empty();
        }
        return Optional.of(Optional.of(new Held(channel, lock, owner)));
    }

    /**
     * Runs {@code whileLocked} and releases this JVM's lock on {@code lockFile}; nothing when it is not held here.
     * The lock is released and its channel closed even when {@code whileLocked} fails.
     */
    static void release(Path lockFile, WhileLocked whileLocked) throws RepoException {
        synchronized (HELD) {
            Held h = HELD.remove(lockFile);
            if (h == null) {
                return;
            }
            try (FileChannel channel = h.channel()) {
                try {
                    whileLocked.run();
                } finally {
                    h.lock().release();
                }
            } catch (IOException e) {
                throw new RepoException("cannot release " + lockFile, e);
            }
        }
    }

    /** The transfer of this JVM that holds {@code lockFile}, if any. */
    static Optional<ActiveTransfer> owner(Path lockFile) {
        synchronized (HELD) {
            return Optional.ofNullable(HELD.get(lockFile)).map(Held::owner).filter(ActiveTransfer.class::isInstance)
                    .map(ActiveTransfer.class::cast);
        }
    }

    /**
     * Whether anyone holds {@code lockFile}, as git-annex checks it: a lock held by this JVM is answered from the
     * registry; otherwise the file is opened (created when missing) and its lock tried; when that succeeds nobody
     * was transferring, so {@code cleanStale} runs under our lock (git-annex deletes the info and lock files) and the
     * lock is dropped again.
     */
    static Probe probe(Path lockFile, WhileLocked cleanStale) throws RepoException {
        synchronized (HELD) {
            if (HELD.containsKey(lockFile)) {
                return Probe.HELD_HERE;
            }
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                FileLock lock = tryLock(channel);
                if (lock == null) {
                    return Probe.LIVE_ELSEWHERE;
                }
                try {
                    cleanStale.run();
                } finally {
                    lock.release();
                }
                return Probe.CLEANED;
            } catch (NoSuchFileException e) {
                // the record's folder was removed meanwhile: no record is left to be live
                return Probe.CLEANED;
            } catch (IOException e) {
                throw new RepoException("cannot check transfer lock " + lockFile, e);
            }
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock(0, Long.MAX_VALUE, false);
        } catch (OverlappingFileLockException e) {
            // this JVM holds it through a channel outside the registry: busy all the same
            return null;
        }
    }

    /** The file's device and inode, or empty when it is gone. */
    private static Optional<Object> identity(Path file) throws IOException {
        try {
            return Optional.ofNullable(Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
