package io.annexsync.gitsync.stage;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.WorkTreePaths;
import io.annexsync.gitsync.store.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.errors.LockFailedException;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.internal.storage.file.PackInserter;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;
import org.slf4j.LoggerFactory;

/**
 * The {@code add} engine: stages files and directories into the git index, annexing those the
 * {@link LargeFilesPolicy} calls large (as unlocked pointer files or locked symlinks) and adding the rest to git. Files
 * are hashed in parallel on this stager's pool, each read once; files the {@link StatCache} knows unchanged are not
 * read at all. The index is locked once for the run and written once, through a {@link DirCacheEditor}: never JGit's
 * {@code AddCommand}, whose filters would hash annexed files several times.
 *
 * <p>Thread-safe; runs are serialised by the index lock. Owns its hashing threads ({@code annex-sync-stage-N}):
 * close it to stop them. Repository, store and cache belong to the caller.
 */
public final class Stager implements AutoCloseable {
    /** Hashing threads when none are configured: one per core of the small machines annex-sync targets. */
    public static final int DEFAULT_THREADS = 2;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final Repository repo;
    private final ObjectStore store;
    private final StatCache cache;
    /**
     * Threads that move new objects into the store, and force them to disk one by one when the file system could not
     * be synced at once. Syncs wait on the disk, not the CPU, and journaling file systems commit concurrent ones
     * together; more threads than this only contended for directory locks here.
     */
    private static final int SYNC_THREADS = 8;

    /** New objects at least this big are forced to disk on their own, right after hashing. */
    private static final long EARLY_SYNC_BYTES = 8L << 20;

    private final ExecutorService pool;
    private final ExecutorService syncPool;

    /** A stager hashing on {@code threads} threads. */
    public Stager(Repository repo, ObjectStore store, StatCache cache, int threads) {
        this.repo = Objects.requireNonNull(repo, "repo");
        this.store = Objects.requireNonNull(store, "store");
        this.cache = Objects.requireNonNull(cache, "cache");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive: " + threads);
        }
        int id = POOLS.incrementAndGet();
        this.pool = namedPool(threads, "annex-sync-stage-" + id + "-");
        this.syncPool = namedPool(SYNC_THREADS, "annex-sync-store-sync-" + id + "-");
    }

    private static ThreadPoolExecutor namedPool(int threads, String prefix) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Stages {@code paths} (files or directories, absolute or relative to the current directory) and returns one
     * outcome per file, plus one per path that is missing or outside the work tree.
     *
     * @throws RepoException when the index cannot be locked, read or written, or the run is interrupted
     */
    public List<StageOutcome> stage(List<Path> paths, StageOptions options, StageProgress progress)
            throws RepoException {
        Objects.requireNonNull(paths, "paths");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(progress, "progress");
        long runStart = cache.now();
        List<StageOutcome> outcomes = new ArrayList<>();
        List<String> relative = resolve(paths, outcomes);
        if (relative.isEmpty()) {
            return outcomes;
        }
        DirCache index = lockIndex();
        try {
            store.cleanTemp(); // only under the index lock: another add's ingest files are live until it releases it
            Map<String, CachedStat> known = cache.loadAll();
            FileStager files = new FileStager(repo, store, options, known, progress, runStart);
            WorkTreeScan.Found found = WorkTreeScan.scan(repo, index, relative, options.force());
            Path top = repo.getWorkTree().toPath();
            found.special().forEach(p -> outcomes.add(StageOutcome.problem(p, StageOutcome.Kind.IGNORED,
                    SpecialFiles.why(top.resolve(p)))));
            List<FileStager.Staged> staged = hashAll(files, found.files(), progress);
            writeIndex(index, staged);
            cache.putAll(staged.stream().flatMap(s -> s.cache().stream()).toList());
            staged.forEach(s -> outcomes.add(s.outcome()));
            return outcomes;
        } catch (IOException e) {
            throw new RepoException("cannot stage in " + repo.getWorkTree() + ": " + e.getMessage(), e);
        } finally {
            index.unlock();
        }
    }

    private DirCache lockIndex() throws RepoException {
        try {
            return IndexLocks.lock(repo);
        } catch (LockFailedException e) {
            String lock = e.getFile() + ".lock";
            throw new RepoException(lock + " exists: another git or annex-sync is running, or one was killed; if no "
                    + "such process is left, remove " + lock + " and run the command again", e);
        } catch (IOException e) {
            throw new RepoException("cannot read the git index of " + repo.getWorkTree(), e);
        }
    }

    /** Relative '/'-separated paths inside the work tree; failures become outcomes. */
    private List<String> resolve(List<Path> paths, List<StageOutcome> outcomes) {
        Path top = repo.getWorkTree().toPath().toAbsolutePath().normalize();
        Path gitDir = repo.getDirectory().toPath().toAbsolutePath().normalize();
        List<String> relative = new ArrayList<>();
        for (Path p : paths) {
            Path abs = p.toAbsolutePath().normalize();
            if (!abs.startsWith(top) || abs.startsWith(gitDir)) {
                outcomes.add(StageOutcome.problem(p.toString(), StageOutcome.Kind.OUTSIDE,
                        "not inside the work tree " + top));
            } else if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && abs.toString().indexOf('\uFFFD') >= 0) {
                // an argument whose bytes are not UTF-8 reached the JVM with U+FFFD in their place: it names nothing
                outcomes.add(StageOutcome.problem(WorkTreePaths.relative(top, abs), StageOutcome.Kind.FAILED,
                        FileStager.NOT_UTF8));
            } else if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
                outcomes.add(StageOutcome.problem(p.toString(), StageOutcome.Kind.MISSING, "no such file"));
            } else {
                relative.add(WorkTreePaths.relative(top, abs));
            }
        }
        return relative;
    }

    /**
     * Hashes every file on the CPU pool into temporary files, makes all new objects durable with one file-system
     * sync, then moves them into the store and finishes their entries on the I/O pool. Hashing big files stays
     * bounded by the number of cores; small files cost one sync in all instead of one each (and where the file
     * system cannot be synced at once, the I/O pool's threads force files concurrently, which journaling file
     * systems also commit together).
     */
    private List<FileStager.Staged> hashAll(FileStager files, List<WorkTreeScan.Candidate> candidates,
            StageProgress progress) throws RepoException {
        List<FileStager.Step> steps = await(candidates.stream()
                .map(c -> CompletableFuture.supplyAsync(() -> prepareOne(files, c), pool)
                        .thenApplyAsync(step -> forceIfBig(c, step), syncPool))
                .toList());
        steps = synced(steps);
        List<CompletableFuture<FileStager.Staged>> finishing = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            WorkTreeScan.Candidate c = candidates.get(i);
            FileStager.Step step = steps.get(i);
            finishing.add(CompletableFuture.supplyAsync(() -> finishOne(c, step, progress), syncPool));
        }
        return await(finishing);
    }

    /**
     * Forces a big new object to disk as soon as it is hashed, so the disk writes it while the CPU hashes the next;
     * small ones wait for the one sync of the whole batch.
     */
    private FileStager.Step forceIfBig(WorkTreeScan.Candidate c, FileStager.Step step) {
        if (!(step instanceof FileStager.Pending p) || p.prepared().key().size().orElse(0) < EARLY_SYNC_BYTES) {
            return step;
        }
        try {
            return new FileStager.Pending(store.force(p.prepared()), p.finish());
        } catch (RepoException e) {
            store.discard(p.prepared());
            return new FileStager.Done(failed(c, e));
        }
    }

    /** The steps with every pending object's bytes forced to disk by one sync, where that works. */
    private List<FileStager.Step> synced(List<FileStager.Step> steps) {
        List<ObjectStore.Prepared> prepared = steps.stream()
                .flatMap(s -> s instanceof FileStager.Pending p ? Stream.of(p.prepared())
                        : Stream.empty())
                .toList();
        if (prepared.isEmpty()) {
            return steps;
        }
        Iterator<ObjectStore.Prepared> synced = store.syncAll(prepared).iterator();
        return steps.stream()
                .map(s -> s instanceof FileStager.Pending p
                        ? (FileStager.Step) new FileStager.Pending(synced.next(), p.finish())
                        : s)
                .toList();
    }

    private static <T> List<T> await(List<CompletableFuture<T>> futures) throws RepoException {
        List<T> results = new ArrayList<>(futures.size());
        try {
            for (Future<T> f : futures) {
                results.add(f.get());
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new RepoException("staging interrupted", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            throw new RepoException("staging failed: " + e.getCause(), e.getCause());
        }
        return results;
    }

    private static FileStager.Step prepareOne(FileStager files, WorkTreeScan.Candidate c) {
        try {
            return files.stage(c);
        } catch (IOException | RepoException | RuntimeException e) {
            return new FileStager.Done(failed(c, e));
        }
    }

    private FileStager.Staged finishOne(WorkTreeScan.Candidate c, FileStager.Step step, StageProgress progress) {
        FileStager.Staged s = switch (step) {
            case FileStager.Done done -> done.staged();
            case FileStager.Pending pending -> commit(c, pending);
        };
        progress.fileDone(s.outcome());
        return s;
    }

    private FileStager.Staged commit(WorkTreeScan.Candidate c, FileStager.Pending pending) {
        try {
            return pending.finish().apply(store.commit(pending.prepared()));
        } catch (IOException | RepoException | RuntimeException e) {
            store.discard(pending.prepared());
            return failed(c, e);
        }
    }

    /**
     * A file that could not be staged; one that was deleted while it was read is {@link StageOutcome.Kind#MISSING}, not
     * a failure: its deletion is the next change (seen when files are deleted in bursts).
     */
    private static FileStager.Staged failed(WorkTreeScan.Candidate c, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NoSuchFileException) {
                return new FileStager.Staged(StageOutcome.problem(c.path(), StageOutcome.Kind.MISSING,
                        "it was deleted while it was being added"), Optional.empty());
            }
        }
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        return new FileStager.Staged(StageOutcome.problem(c.path(), StageOutcome.Kind.FAILED, why), Optional.empty());
    }

    private void writeIndex(DirCache index, List<FileStager.Staged> staged) throws IOException {
        if (staged.stream().allMatch(s -> s.cache().isEmpty())) {
            return; // every file was a stat-cache hit: the index already says it all
        }
        insertBlobs(staged);
        DirCacheEditor editor = index.editor();
        for (FileStager.Staged s : staged) {
            s.cache().ifPresent(c -> editor.add(new DirCacheEditor.PathEdit(c.path()) {
                @Override
                public void apply(DirCacheEntry ent) {
                    ent.setFileMode(FileMode.fromBits(c.mode()));
                    ent.setObjectId(ObjectId.fromString(c.blobId()));
                    ent.setLength(c.stamp().size());
                    ent.setLastModified(Instant.EPOCH.plusNanos(c.stamp().mtimeNanos()));
                }
            }));
        }
        editor.finish();
        index.write();
        index.commit();
    }

    /**
     * Writes the small blobs of a run (pointers, symlink texts) before the index names them: in one pack when the
     * repository is a file repository, as thousands of loose objects cost a file, a rename and a directory lookup
     * each.
     */
    private void insertBlobs(List<FileStager.Staged> staged) throws IOException {
        Set<ObjectId> written = new HashSet<>();
        try (ObjectInserter inserter = bulkInserter()) {
            for (FileStager.Staged s : staged) {
                if (s.blob().isPresent() && s.cache().isPresent()
                        && written.add(ObjectId.fromString(s.cache().get().blobId()))) {
                    inserter.insert(Constants.OBJ_BLOB, s.blob().get());
                }
            }
            inserter.flush();
        }
    }

    private ObjectInserter bulkInserter() {
        if (repo.getObjectDatabase() instanceof ObjectDirectory dir) {
            PackInserter pack = dir.newPackInserter();
            pack.checkExisting(false); // duplicates of objects already stored are harmless, and checking costs a lookup
            return pack;
        }
        return repo.newObjectInserter();
    }

    @Override
    public void close() {
        pool.shutdownNow();
        syncPool.shutdownNow();
        boolean stopped;
        try {
            stopped = pool.awaitTermination(30, TimeUnit.SECONDS) && syncPool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = false;
        }
        if (!stopped) {
            LoggerFactory.getLogger(Stager.class).warn("stager threads did not stop within 30 s");
        }
    }
}
