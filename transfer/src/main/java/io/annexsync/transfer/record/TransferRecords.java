package io.annexsync.transfer.record;

import io.annexsync.gitsync.GitDirs;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The transfer records of one repository ({@code .git/annex/transfer/}), read and written the way git-annex does
 * (FORMAT.md section 7), so that git-annex and every annex-sync process (the daemon, the CLI) see the same transfers
 * in progress. A record is live while some process holds the fcntl write lock on its {@code lck.} file; a record
 * nobody locks is stale, and whoever finds one deletes it. Beside the records it hands out the repository's
 * {@link PartialLock}s, annex-sync's own addition that git-annex never sees.
 *
 * <p>Locks held by this JVM are kept in one JVM-wide registry, because fcntl locks belong to a process: two
 * instances on the same repository, in any threads, exclude each other as two processes do. Thread-safe. Holds no
 * resources of its own: nothing to close (each {@link ActiveTransfer} and {@link PartialLock} is closed by whoever
 * took it).
 */
public final class TransferRecords {
    private static final Comparator<TransferInfo> ORDER = Comparator.comparing(TransferInfo::direction)
            .thenComparing(TransferInfo::remote).thenComparing(i -> i.key().serialize());

    private final Path transferDir;
    private final Path partialLockDir;
    private final Clock clock;

    /** The records of the repository whose git directory is {@code gitDir}, timed by the system clock. */
    public TransferRecords(Path gitDir) throws RepoException {
        this(gitDir, Clock.systemUTC());
    }

    /**
     * The records of the repository whose git directory is {@code gitDir}; {@code clock} gives start times and
     * paces progress rewrites.
     */
    public TransferRecords(Path gitDir, Clock clock) throws RepoException {
        Objects.requireNonNull(gitDir, "gitDir");
        this.clock = Objects.requireNonNull(clock, "clock");
        try {
            // the real path: the lock registry must see one name per lock file, whatever path led to it
            Path real = gitDir.toRealPath();
            this.transferDir = real.resolve("annex").resolve("transfer");
            this.partialLockDir = real.resolve(PartialLock.FOLDER);
        } catch (IOException e) {
            throw new RepoException("not a git directory: " + gitDir, e);
        }
    }

    /**
     * Records that this process starts moving {@code key} in {@code direction} with {@code remote}, for the work-tree
     * {@code file} if any: locks the lock file without waiting and writes the info file.
     *
     * @return the running transfer, or empty when another process or thread already runs this transfer
     */
    public Optional<ActiveTransfer> begin(Direction direction, Uuid remote, Key key, Optional<String> file)
            throws RepoException {
        TransferInfo info = new TransferInfo(direction, remote, key, file, clock.instant(), OptionalLong.empty());
        RecordFiles files = RecordFiles.of(transferDir, direction, remote, key);
        try {
            GitDirs.createBelow(files.gitDir(), files.lock().getParent());
        } catch (IOException e) {
            throw new RepoException("cannot create transfer record folder " + files.lock().getParent(), e);
        }
        ActiveTransfer active = new ActiveTransfer(files, info, clock);
        if (!TransferLocks.tryAcquire(files.lock(), active)) {
            return Optional.empty();
        }
        try {
            ActiveTransfer.write(files.info(), info);
        } catch (IOException e) {
            TransferLocks.release(files.lock(), () -> {
                Files.deleteIfExists(files.info());
                Files.deleteIfExists(files.lock());
            });
            throw new RepoException("cannot write transfer record " + files.info(), e);
        }
        return Optional.of(active);
    }

    /**
     * Claims the partial file {@code .git/annex/tmp/KEY} of {@code key} for this process without waiting, for a
     * writer that holds its transfer record already (record first, then this lock, so that no two writers wait for
     * each other).
     *
     * @return the lock, or empty when another process or thread writes that partial file now
     */
    public Optional<PartialLock> tryLockPartial(Key key) throws RepoException {
        Path lockFile = partialLockDir.resolve(RecordFiles.LOCK_PREFIX + key.keyFile());
        try {
            GitDirs.createBelow(partialLockDir.getParent().getParent(), partialLockDir);
        } catch (IOException e) {
            throw new RepoException("cannot create the partial-file lock folder " + partialLockDir, e);
        }
        PartialLock lock = new PartialLock(lockFile);
        return TransferLocks.tryAcquire(lockFile, lock) ? Optional.of(lock) : Optional.empty();
    }

    /**
     * The transfers running now, in this process or any other (git-annex included), ordered by direction, remote and
     * key. Stale records found on the way are deleted, as {@code git annex info} does. A record whose info file
     * cannot be read (another writer mid-way, another format) is left out.
     */
    public List<TransferInfo> live() throws RepoException {
        List<TransferInfo> result = new ArrayList<>();
        for (Direction direction : Direction.values()) {
            for (Located r : list(transferDir.resolve(direction.dirName()), direction)) {
                check(r).ifPresent(result::add);
            }
        }
        result.sort(ORDER);
        return List.copyOf(result);
    }

    /**
     * Whether this transfer runs now, here or in another process. A stale record of it is deleted on the way.
     */
    public boolean isRunning(Direction direction, Uuid remote, Key key) throws RepoException {
        RecordFiles files = RecordFiles.of(transferDir, direction, remote, key);
        if (TransferLocks.owner(files.lock()).isPresent()) {
            return true;
        }
        if (!Files.exists(files.lock()) && !Files.exists(files.info())) {
            return false;
        }
        return TransferLocks.probe(files.lock(), () -> cleanStale(files)) != TransferLocks.Probe.CLEANED;
    }

    /** The failed transfers recorded under {@code failed/}, ordered by direction, remote and key. */
    public List<TransferInfo> failed() throws RepoException {
        List<TransferInfo> result = new ArrayList<>();
        Path failedDir = transferDir.resolve(RecordFiles.FAILED);
        for (Direction direction : Direction.values()) {
            for (Located r : list(failedDir.resolve(direction.dirName()), direction)) {
                read(r, r.files().failed()).ifPresent(result::add);
            }
        }
        result.sort(ORDER);
        return List.copyOf(result);
    }

    /**
     * Forgets the failed transfer of {@code key} in {@code direction} with {@code remote}, as git-annex does once it
     * retries or gives up.
     *
     * @return whether there was such a record
     */
    public boolean clearFailed(Direction direction, Uuid remote, Key key) throws RepoException {
        Path failed = RecordFiles.of(transferDir, direction, remote, key).failed();
        try {
            return Files.deleteIfExists(failed);
        } catch (IOException e) {
            throw new RepoException("cannot delete failed transfer record " + failed, e);
        }
    }

    /** A record file found on disk: which transfer it belongs to. */
    private record Located(Direction direction, Uuid remote, Key key, RecordFiles files) {
    }

    private Optional<TransferInfo> check(Located r) throws RepoException {
        Optional<ActiveTransfer> own = TransferLocks.owner(r.files().lock());
        if (own.isPresent()) {
            return Optional.of(own.get().info());
        }
        return switch (TransferLocks.probe(r.files().lock(), () -> cleanStale(r.files()))) {
            case HELD_HERE -> TransferLocks.owner(r.files().lock()).map(ActiveTransfer::info);
            case LIVE_ELSEWHERE -> read(r, r.files().info());
            case CLEANED -> Optional.empty();
        };
    }

    /** Deletes a stale record's info and lock files, in git-annex's order; called while holding its lock. */
    private static void cleanStale(RecordFiles files) throws IOException {
        Files.deleteIfExists(files.info());
        Files.deleteIfExists(files.lock());
    }

    private static Optional<TransferInfo> read(Located r, Path file) throws RepoException {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return InfoFormat.parse(r.direction(), r.remote(), r.key(), text);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new RepoException("cannot read transfer record " + file, e);
        }
    }

    /** The records under {@code dir} ({@code <uuid>/<keyFile>}), skipping lock files and names that are not ours. */
    private List<Located> list(Path dir, Direction direction) throws RepoException {
        List<Located> result = new ArrayList<>();
        for (Path uuidDir : children(dir)) {
            Optional<Uuid> remote = uuidOf(uuidDir.getFileName().toString());
            if (remote.isEmpty() || !Files.isDirectory(uuidDir)) {
                continue;
            }
            for (Path file : children(uuidDir)) {
                String name = file.getFileName().toString();
                Optional<Key> key = name.startsWith(RecordFiles.LOCK_PREFIX) ? Optional.empty() : Key.fromKeyFile(name);
                if (key.isPresent() && Files.isRegularFile(file)) {
                    RecordFiles files = RecordFiles.of(transferDir, direction, remote.get(), key.get());
                    result.add(new Located(direction, remote.get(), key.get(), files));
                }
            }
        }
        return result;
    }

    private static Optional<Uuid> uuidOf(String folder) {
        try {
            return Optional.of(new Uuid(folder));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static List<Path> children(Path dir) throws RepoException {
        List<Path> result = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(result::add);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new RepoException("cannot list transfer records in " + dir, e);
        }
        result.sort(Comparator.naturalOrder());
        return result;
    }
}
