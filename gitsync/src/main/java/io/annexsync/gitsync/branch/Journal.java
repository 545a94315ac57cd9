package io.annexsync.gitsync.branch;

import io.annexsync.gitsync.GitDirs;
import io.annexsync.gitsync.RepoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * git-annex's journal, {@code .git/annex/journal/} (FORMAT.md §5.4): uncommitted changes to the git-annex branch, one
 * file per branch path holding that path's whole new content. File names encode the branch path: {@code _} becomes
 * {@code __}, then {@code /} becomes {@code _}. Writes are atomic (a temporary file in {@code .git/annex/othertmp/},
 * fsync, rename) and happen under the fcntl lock {@code .git/annex/journal.lck} shared with git-annex.
 *
 * <p>Thread-safe. {@link #locked} serialises callers of this JVM with a {@link ReentrantLock} (Java's file locks do
 * not exclude each other within one process) and other processes with the file lock; it is re-entrant.
 */
public final class Journal {
    /** How often a lock the kernel refused as a deadlock is asked for again before the write fails. */
    private static final int DEADLOCK_RETRIES = 1000;

    /** Work done while holding the journal lock. */
    @FunctionalInterface
    public interface Locked<T> {
        T run() throws RepoException, IOException;
    }

    private final Path dir;
    private final Path tmpDir;
    private final Path lockFile;
    private final ReentrantLock lock = new ReentrantLock();

    /** A journal of the repository whose {@code .git/annex} directory is {@code annexDir}. */
    public Journal(Path annexDir) {
        Objects.requireNonNull(annexDir, "annexDir");
        this.dir = annexDir.resolve("journal");
        this.tmpDir = annexDir.resolve("othertmp");
        this.lockFile = annexDir.resolve("journal.lck");
    }

    /** The journal file name of a branch path: {@code a_b/c.log} gives {@code a__b_c.log}. */
    public static String encode(String branchPath) {
        return branchPath.replace("_", "__").replace('/', '_');
    }

    /** The branch path of a journal file name: {@code __} gives {@code _}, a single {@code _} gives {@code /}. */
    public static String decode(String fileName) {
        StringBuilder sb = new StringBuilder(fileName.length());
        for (int i = 0; i < fileName.length(); i++) {
            char c = fileName.charAt(i);
            boolean doubled = c == '_' && i + 1 < fileName.length() && fileName.charAt(i + 1) == '_';
            sb.append(c == '_' && !doubled ? '/' : c);
            i += doubled ? 1 : 0;
        }
        return sb.toString();
    }

    /** Runs {@code work} holding the journal lock, in this JVM and against other processes. */
    public <T> T locked(Locked<T> work) throws RepoException {
        lock.lock();
        try {
            if (lock.getHoldCount() > 1) {
                return work.run();
            }
            return runUnderFileLock(work);
        } catch (IOException e) {
            throw new RepoException("journal in " + dir + " failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private <T> T runUnderFileLock(Locked<T> work) throws RepoException, IOException {
        GitDirs.createBelow(lockFile.getParent().getParent(), lockFile.getParent());
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = lockAllowingForFalseDeadlocks(ch)) {
            return work.run();
        }
    }

    /**
     * Takes the fcntl lock, waiting for it. fcntl locks belong to processes, so the kernel reports a deadlock
     * ({@code EDEADLK}, "Resource deadlock avoided") when this process holds another repository's journal lock on one
     * thread while this thread waits for a lock held by a process that waits for that other lock: two daemons that
     * each write location logs into the other's journal. No thread waits for another here, so after a short random
     * pause the lock is asked for again.
     */
    private static FileLock lockAllowingForFalseDeadlocks(FileChannel ch) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return ch.lock();
            } catch (IOException e) {
                if (attempt >= DEADLOCK_RETRIES || e.getMessage() == null || !e.getMessage().contains("deadlock")) {
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(1,
                        10L * Math.min(attempt, 10))));
            }
        }
    }

    /** The journalled content of a branch path, if the journal holds one. */
    public Optional<byte[]> read(String branchPath) throws RepoException {
        try {
            return Optional.of(Files.readAllBytes(dir.resolve(encode(branchPath))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new RepoException("cannot read journal file for " + branchPath, e);
        }
    }

    /** Atomically replaces the journalled content of a branch path, under the journal lock. */
    public void write(String branchPath, byte[] content) throws RepoException {
        writeAll(Map.of(branchPath, content));
    }

    /**
     * Atomically replaces the journalled content of several branch paths, under one hold of the journal lock. Each
     * file is renamed into place whole. A single file is forced to disk before the rename; a batch is not, file by
     * file (thousands of syncs would dominate an add), as git-annex does not sync journal files either: what a crash
     * can lose of a batch is location-log lines, which fsck restores from the object store.
     */
    public void writeAll(Map<String, byte[]> contents) throws RepoException {
        if (contents.isEmpty()) {
            return;
        }
        locked(() -> {
            GitDirs.createBelow(dir.getParent().getParent(), dir);
            GitDirs.createBelow(tmpDir.getParent().getParent(), tmpDir);
            for (Map.Entry<String, byte[]> e : contents.entrySet()) {
                Path tmp = Files.createTempFile(tmpDir, "journal", ".tmp");
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap(e.getValue()));
                    if (contents.size() == 1) {
                        ch.force(true);
                    }
                }
                moveIntoPlace(tmp, dir.resolve(encode(e.getKey())));
            }
            forceDirectory(dir);
            return null;
        });
    }

    private static void forceDirectory(Path directory) throws IOException {
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The branch paths the journal holds, sorted. */
    public List<String> paths() throws RepoException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> decode(p.getFileName().toString()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new RepoException("cannot list journal " + dir, e);
        }
    }

    /**
     * Deletes the journal file of a branch path if it still holds {@code expected}, under the journal lock; returns
     * whether it was deleted.
     */
    public boolean deleteIfUnchanged(String branchPath, byte[] expected) throws RepoException {
        return locked(() -> {
            Optional<byte[]> now = read(branchPath);
            if (now.isEmpty() || !Arrays.equals(now.get(), expected)) {
                return false;
            }
            Files.delete(dir.resolve(encode(branchPath)));
            return true;
        });
    }
}
