package io.annexsync.app.assistant;

import io.annexsync.app.config.AssistantConfig;
import io.annexsync.app.config.DaemonSettings;
import io.annexsync.app.watch.ChangeBatcher;
import io.annexsync.app.watch.FolderWatcher;
import io.annexsync.app.watch.OpenFiles;
import io.annexsync.app.watch.WatchListener;
import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.stage.AddOptions;
import io.annexsync.gitsync.supervise.Failures;
import io.annexsync.gitsync.sync.PushOutcome;
import io.annexsync.gitsync.sync.PushStatus;
import io.annexsync.gitsync.sync.RetryPolicy;
import io.annexsync.gitsync.sync.SyncSteps;
import io.annexsync.transfer.engine.EngineTransfers;
import io.annexsync.transfer.engine.FullDisk;
import io.annexsync.transfer.engine.TransferService;
import io.annexsync.transfer.queue.QueuePolicy;
import io.annexsync.transfer.queue.TransferQueue;
import io.annexsync.transfer.remote.RemoteKinds;
import io.annexsync.transfer.remote.p2p.tls.DeviceIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assistant daemon of one folder: the composition root of the long-running process. It watches the folder,
 * gathers changes into batches and commits each ({@link SyncLoop}), pushes to every remote in parallel ({@link
 * Pusher}), merges what peers push into this repository when its {@code synced/*} refs move, moves content through
 * the transfer engine along the network map ({@link ContentMover}), notices remotes coming back ({@link RemoteWatch})
 * and retries what failed every {@code assistant.retryinterval}, and checks the whole folder every {@code
 * assistant.sanitycheck}. What it is doing is in {@code daemon.json} ({@link StatusBoard}).
 *
 * <p>Threads: the repository thread ({@code annex-sync-repo}) does every change to the index, refs and work tree; the
 * watcher, the timer ({@code annex-sync-timer}), the push lanes and the transfer workers only hand it work. Closing
 * stops them in order: no new events, the batch in hand committed, pushes in hand finished (bounded), transfers
 * stopped at their next chunk (resumed next time). The repository stays the caller's.
 */
public final class Assistant implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Assistant.class);
    private static final Duration STATUS_EVERY = Duration.ofMillis(500);
    private static final Duration ARRIVALS_EVERY = Duration.ofSeconds(1);
    private static final Duration FINAL_PUSH_WAIT = Duration.ofSeconds(10);
    private static final Duration COMPACT_EVERY = Duration.ofSeconds(10);
    /** How often the owed pushes are looked at for one whose back-off is over. */
    private static final Duration OWED_CHECK_EVERY = Duration.ofSeconds(15);
    /** How often the journal is looked at for location logs written after the commit or merge that led to them. */
    private static final Duration JOURNAL_EVERY = Duration.ofSeconds(2);
    /** How often the disks that transfers write into are measured (each a statfs call). */
    private static final Duration DISKS_EVERY = Duration.ofSeconds(5);
    private static final long COMPACT_ABOVE = 48L << 20;
    /** Back-off of a commit that failed: 0.5 s doubling to 1 minute. */
    private static final RetryPolicy COMMIT_RETRY = new RetryPolicy(Duration.ofMillis(500), 2, Duration.ofMinutes(1),
            0.1);

    private final AnnexRepo repo;
    private final DaemonSettings settings;
    private final StatusBoard board;
    private final RepoThread repoThread;
    private final ScheduledThreadPoolExecutor timer;
    private final SyncSteps steps;
    private final TransferService transfers;
    private final ContentMover content;
    private final Pusher pusher;
    private final SyncLoop loop;
    private final ChangeBatcher batcher;
    private final Optional<OnChangeHook> hook;
    private final RemoteWatch remoteWatch;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean unsafe = new AtomicBoolean();
    private final DaemonFiles files;
    private Optional<PeerListening> peers = Optional.empty();
    private Optional<PeerWatch> peerWatch = Optional.empty();
    private Optional<FolderWatcher> watcher = Optional.empty();
    private ScheduledFuture<?> commitTimer;
    private long commitAt;
    private boolean closing;
    private int commitFailures;
    private String lastCommitFailure = "";
    private int startFailures;
    /** Merges that failed in a row, and whether one more is scheduled; on the repository thread. */
    private int mergeFailures;
    private boolean mergeAgainPending;
    private long tasksAtLastLook = -1;
    private long tasksAtLastCompaction;
    /** The remotes whose disks were full at the last look (on the timer thread). */
    private Set<String> fullRemotes = Set.of();
    private final Clock clock;

    private Assistant(AnnexRepo repo, AssistantConfig config, DaemonFiles files, Clock clock, SyncSteps steps,
            RepoThread repoThread, TransferService transfers) {
        this.repo = repo;
        this.repoThread = repoThread;
        this.settings = config.daemon();
        this.steps = steps;
        this.transfers = transfers;
        this.files = files;
        this.board = new StatusBoard(files, repo.workTree(), clock);
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "annex-sync-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.remoteWatch = new RemoteWatch(repo.workTree(), () -> loop().remotes(), board,
                r -> repoThread.submit("sync with " + r.name(), merging(() -> loop().syncWith(List.of(r)))));
        this.content = new ContentMover(repo, new EngineTransfers(transfers, EngineTransfers.BACKGROUND), repoThread,
                clock, settings.content(), remoteWatch::unreachable);
        this.pusher = new Pusher(steps, board, (r, delay) -> repoThread.schedule("merge after a rejected push",
                merging(() -> loop().rejected(r)), delay), this::pushFailed);
        this.hook = settings.onChange().map(cmd -> new OnChangeHook(cmd, repo.workTree()));
        AddOptions add = new AddOptions(config.addLocked(), AddOptions.Force.NONE, config.addJobs());
        this.loop = new SyncLoop(repo, steps, content, pusher, board, hook, add, clock, remoteWatch::isUnreachable);
        this.batcher = new ChangeBatcher(settings.quiet(), settings.closedQuiet(), settings.maxDelay(),
                settings.maxBatch());
        this.clock = clock;
    }

    private SyncLoop loop() {
        return loop;
    }

    /**
     * Starts the daemon's threads on {@code repo}: stale git locks of a killed run are removed, the transfer engine
     * resumes what was running, the watcher starts, then (on the repository thread) the start-up scan commits what
     * changed while no daemon ran, merges and fetches what peers have, pushes, and looks at every file's content.
     */
    public static Assistant start(AnnexRepo repo, AssistantConfig config, DaemonFiles files, Clock clock)
            throws RepoException, IOException {
        StaleLocks.clean(repo.gitDir(), clock.instant());
        DeviceIdentity.loadOrCreate(repo.gitDir()); // made here when init did not (an older repository); docs/peers.md
        SyncSteps steps = SyncSteps.open(repo, config.daemon().pushTimeout(), clock,
                owedRetry(config.daemon().retryInterval()));
        TransferService transfers;
        RepoThread repoThread = new RepoThread("annex-sync-repo");
        try {
            var transferSettings = config.transferSettings(repo.git().getConfig(),
                    repo.remotes().stream().map(RemoteConfig::name).toList(), QueuePolicy.of(RetryPolicy.DEFAULT));
            // the location logs of new copies are written by the repository thread, the one writer of its state
            transfers = TransferService.start(repo, transferSettings, TransferQueue.ASSISTANT, clock, Progress.NONE,
                    RemoteKinds.standard(), repoThread::write);
        } catch (RepoException | RuntimeException e) {
            repoThread.close();
            steps.close();
            throw e;
        }
        Assistant a = new Assistant(repo, config, files, clock, steps, repoThread, transfers);
        try {
            a.begin();
        } catch (IOException | RuntimeException e) {
            a.close();
            throw e;
        }
        return a;
    }

    /** Owed pushes are tried again after a minute, then doubling, at most every {@code assistant.retryinterval}. */
    static RetryPolicy owedRetry(Duration retryInterval) {
        Duration first = retryInterval.compareTo(Duration.ofMinutes(1)) < 0 ? retryInterval : Duration.ofMinutes(1);
        return new RetryPolicy(first, 2, retryInterval, 0.1);
    }

    private void begin() throws IOException {
        board.counter("waiting-for-content", content::waitingCount);
        board.list("waiting", content::waitingList);
        board.counter("content-arrived", content::arrivedCount);
        board.counter("bytes-moved", transfers::bytesMoved);
        board.counter("pending-changes", batcher::pendingCount);
        watcher = Optional.of(FolderWatcher.start(repo.workTree(), repo.gitDir(), new Listener()));
        peers = PeerListening.start(repo, settings.listen(), board);
        peerWatch = Optional.of(new PeerWatch(repo.git(), () -> loop.remotes(), r -> repoThread.once(
                "sync with " + r.name(), merging(() -> loop.syncWith(List.of(r))))));
        repoThread.submit("start-up", this::startUp);
        every(STATUS_EVERY, () -> board.write(false));
        every(ARRIVALS_EVERY, () -> {
            if (content.somethingToLookAt()) {
                repoThread.once("content arrived", content::lookAround);
            }
        });
        every(COMPACT_EVERY, this::compactWhenIdle);
        every(OWED_CHECK_EVERY, this::retryDuePushes);
        every(JOURNAL_EVERY, this::commitJournal);
        every(settings.remoteCheck(), () -> {
            remoteWatch.check();
            stopIfUnsafe();
        });
        every(DISKS_EVERY, this::checkDisks);
        every(settings.retryInterval(), () -> repoThread.once("retry",
                merging(() -> loop.retry(this::retryTransfers))));
        if (!settings.sanityCheck().isZero()) {
            every(settings.sanityCheck(), () -> repoThread.once("sanity check", () -> loop.scan("daily check")));
        }
    }

    /**
     * The start-up scan, merge and sync. When it cannot run now (a lock left by a killed git writer, another command
     * working in the repository, a full disk) it is tried again after a back-off, with stale locks removed first, and
     * the daemon stays {@code starting} meanwhile; the problem is in the status and the log.
     */
    private void startUp() {
        try {
            loop.publishMap();
            loop.scan("start-up: changes made while no daemon ran");
            loop.merge();
            loop.syncWith(loop.remotes());
        } catch (RepoException | RuntimeException e) {
            Duration delay = COMMIT_RETRY.delayAfter(++startFailures, ThreadLocalRandom.current());
            LOG.warn("the start-up scan cannot run now ({}); trying again in {} ms", e.getMessage(),
                    delay.toMillis());
            board.problem("start-up: " + e.getMessage());
            repoThread.schedule("start-up", () -> {
                loop.cleanLocks(Optional.empty());
                startUp();
            }, delay);
            return;
        }
        startFailures = 0;
        board.problem("");
        board.state("running");
        LOG.info("assistant running in {}: watching for changes", repo.workTree());
    }

    /**
     * Gives memory back after work: once the repository thread has been idle for a while after running tasks, and the
     * heap holds more than {@link #COMPACT_ABOVE}, a full collection lets the heap shrink (the daemon's collector
     * returns what it frees: {@code -XX:-ShrinkHeapInSteps}). A start-up scan of 10,000 files leaves about 150 MiB
     * committed that an idle daemon does not need. At most once per {@link #COMPACT_EVERY}; on the timer thread.
     */
    private void compactWhenIdle() {
        long ran = repoThread.tasksRun();
        boolean idle = ran == tasksAtLastLook;
        tasksAtLastLook = ran;
        if (idle && ran != tasksAtLastCompaction && Runtime.getRuntime().totalMemory() > COMPACT_ABOVE) {
            tasksAtLastCompaction = ran;
            long before = Runtime.getRuntime().totalMemory();
            System.gc(); // deliberate: an idle daemon returns the heap its last burst of work grew
            LOG.debug("idle: heap compacted from {} to {} MiB", before >> 20, Runtime.getRuntime().totalMemory() >> 20);
        }
    }

    /**
     * {@code task} (a merge, or a sync that merges) made to merge again later when it fails: a merge that cannot be
     * done now (another process holds a lock of the repository, as a peer's {@code git gc} packing refs does) is
     * tried again after a back-off (0.5 s doubling to a minute, stale locks removed first), with a push to every
     * remote after it, instead of waiting for the next change; the files it checked out are looked at meanwhile.
     * On the repository thread.
     */
    private RepoThread.Task merging(RepoThread.Task task) {
        return () -> {
            try {
                task.run();
                mergeFailures = 0;
            } catch (RepoException | RuntimeException e) {
                Duration delay = COMMIT_RETRY.delayAfter(++mergeFailures, ThreadLocalRandom.current());
                LOG.warn("cannot merge now ({}); trying again in {} ms", e.getMessage(), delay.toMillis());
                if (!mergeAgainPending) {
                    mergeAgainPending = true;
                    repoThread.schedule("merge again", merging(() -> {
                        mergeAgainPending = false;
                        loop.cleanLocks(Optional.empty());
                        loop.mergeAgain();
                    }), delay);
                }
            }
        };
    }

    /** Hands a journal that holds something to the repository thread to commit and push; looking costs a listing. */
    private void commitJournal() {
        try {
            if (!repo.branch().journalPaths().isEmpty()) {
                repoThread.once("journal", loop::commitJournal);
            }
        } catch (RepoException e) {
            LOG.debug("cannot look at the journal: {}", e.getMessage());
        }
    }

    /** Hands the owed pushes whose back-off is over to the repository thread; looking costs one query, here. */
    private void retryDuePushes() {
        try {
            if (!steps.owed().due().isEmpty()) {
                repoThread.once("owed pushes", merging(loop::retryDuePushes));
            }
        } catch (RepoException e) {
            LOG.warn("cannot read the owed pushes: {}", e.getMessage());
        }
    }

    /**
     * Stops the daemon when going on is unsafe or pointless: its repository was deleted (or its drive went away), or
     * its lock file was deleted or replaced, so that a second daemon could start in the folder.
     */
    private void stopIfUnsafe() {
        Optional<String> why = !Files.isDirectory(repo.gitDir())
                ? Optional.of("the repository " + repo.gitDir() + " is gone (deleted, or its drive unmounted)")
                : DaemonLock.lost(files);
        if (why.isPresent() && unsafe.compareAndSet(false, true)) {
            LOG.error("{}; stopping the assistant", why.get());
            // not on the timer thread, which close() stops
            Thread.ofPlatform().name("annex-sync-stop").daemon(false).start(this::close);
        }
    }

    /**
     * A push that failed: an unreachable remote is watched until it is back, a full one until it has space; after any
     * other failure the stale locks of both repositories are removed (the push is owed and tried again).
     */
    private void pushFailed(RemoteConfig remote, PushOutcome outcome) {
        if (outcome.status() == PushStatus.UNREACHABLE) {
            remoteWatch.unreachable(remote.name());
        } else {
            transfers.writeFailed(remote.name(), outcome.message());
            // a lock it could not take may be a dead writer's, here or there: looked at on the repository thread
            repoThread.once("stale locks after a failed push to " + remote.name(),
                    () -> loop.cleanLocks(Optional.of(remote)));
        }
    }

    /**
     * Measures the disks that content goes into and shows the full ones in the status; a remote whose disk has space
     * again is synced with at once (its owed push, its waiting uploads), not at the next retry.
     */
    private void checkDisks() {
        List<FullDisk> full = transfers.checkDisks();
        board.disks(full);
        Set<String> now = full.stream().filter(d -> !d.here()).map(FullDisk::repository).collect(Collectors.toSet());
        for (RemoteConfig r : loop.remotes()) {
            if (fullRemotes.contains(r.name()) && !now.contains(r.name())) {
                repoThread.once("sync with " + r.name(), () -> loop.syncWith(List.of(r)));
            }
        }
        fullRemotes = now;
    }

    private void retryTransfers() {
        try {
            int n = transfers.queue().retryFailed();
            if (n > 0) {
                LOG.info("{} failed transfers are queued again", n);
            }
        } catch (RepoException e) {
            LOG.warn("cannot queue failed transfers again: {}", e.getMessage());
        }
    }

    private void every(Duration period, Runnable task) {
        timer.scheduleWithFixedDelay(guarded(task), period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * {@code task} for the timer: a failure is logged and the timer goes on (an escaped throwable would end the
     * periodic task for good); a fatal error goes to the thread's uncaught-exception handler, since the timer would
     * keep it in a future nobody reads.
     */
    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable e) {
                if (Failures.fatal(e)) {
                    RepoThread.uncaught(e);
                } else {
                    LOG.warn("timer task failed: {}", Failures.describe(e), e);
                }
            }
        };
    }

    /** The watcher's events: only recorded and handed on, never worked on here. */
    private final class Listener implements WatchListener {
        @Override
        public void changed(Set<String> paths) {
            batcher.add(paths, System.nanoTime());
            scheduleCommit();
        }

        @Override
        public void refsChanged() {
            repoThread.once("merge", merging(loop::mergePushed));
        }

        @Override
        public void rescan(String reason) {
            repoThread.once("rescan", () -> loop.rescan(reason));
        }
    }

    /** Makes sure the commit timer fires no later than the batcher's deadline. */
    private synchronized void scheduleCommit() {
        OptionalLong deadline = batcher.deadline();
        if (deadline.isEmpty() || closing) {
            return;
        }
        if (commitTimer != null && !commitTimer.isDone() && commitAt <= deadline.getAsLong()) {
            return;
        }
        if (commitTimer != null) {
            commitTimer.cancel(false);
        }
        commitAt = deadline.getAsLong();
        commitTimer = timer.schedule(guarded(this::commitDue), Math.max(0, commitAt - System.nanoTime()),
                TimeUnit.NANOSECONDS);
    }

    private void commitDue() {
        synchronized (this) {
            commitTimer = null;
        }
        long now = System.nanoTime();
        Predicate<String> writing = batcher.wantsLook(now) ? openForWriting() : path -> true;
        batcher.take(now, writing).ifPresent(b -> repoThread.essential("commit", () -> commit(b.paths())));
        scheduleCommit();
    }

    /** Which files of the work tree other processes have open for writing now (all, when that cannot be told). */
    private Predicate<String> openForWriting() {
        long start = System.nanoTime();
        Optional<Set<String>> open = OpenFiles.openForWriting(repo.workTree());
        LOG.debug("looked at the open files in {} ms: {}", (System.nanoTime() - start) / 1_000_000,
                open.map(Set::toString).orElse("cannot tell"));
        return open.<Predicate<String>>map(set -> set::contains).orElse(path -> true);
    }

    /**
     * Commits a batch; when that cannot be done now (another git holds the index lock, the disk is full), the paths go
     * back to the batcher and are tried again after a back-off, so no change is forgotten.
     */
    private void commit(List<String> paths) {
        try {
            loop.commit(paths);
            if (commitFailures > 0) {
                LOG.info("committed again after {} failed tries", commitFailures);
            }
            commitFailures = 0;
            lastCommitFailure = "";
        } catch (RepoException | RuntimeException e) {
            Duration delay = COMMIT_RETRY.delayAfter(++commitFailures, ThreadLocalRandom.current());
            String cause = String.valueOf(e.getMessage());
            if (cause.equals(lastCommitFailure)) {
                LOG.debug("still cannot commit {} changed paths ({}); trying again in {} ms", paths.size(), cause,
                        delay.toMillis());
            } else {
                LOG.warn("cannot commit {} changed paths now ({}); trying again in {} ms, later with a growing delay",
                        paths.size(), cause, delay.toMillis());
            }
            lastCommitFailure = cause;
            loop.cleanLocks(Optional.empty());
            timer.schedule(guarded(() -> {
                batcher.add(paths, System.nanoTime());
                scheduleCommit();
            }), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Blocks until the daemon was closed (by {@link #close()}, from a signal's shutdown hook or {@code --stop}). */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /**
     * Stops the daemon gracefully: no new events; the changes gathered so far committed; pushes in hand finished
     * (within {@link #FINAL_PUSH_WAIT}); transfers stopped at their next chunk, their partial files kept and their
     * items queued for next time. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            if (commitTimer != null) {
                commitTimer.cancel(false);
            }
        }
        LOG.info("stopping the assistant in {}", repo.workTree());
        board.state("stopping");
        watcher.ifPresent(FolderWatcher::close);
        peers.ifPresent(PeerListening::close);
        peerWatch.ifPresent(PeerWatch::close);
        for (Optional<ChangeBatcher.Batch> b = batcher.take(Long.MAX_VALUE / 2); b.isPresent();
                b = batcher.take(Long.MAX_VALUE / 2)) {
            List<String> paths = b.get().paths();
            repoThread.essential("last commit", () -> loop.commit(paths));
        }
        repoThread.close();
        timer.shutdownNow();
        pusher.close(FINAL_PUSH_WAIT);
        closeQuietly("the transfer engine", transfers::close);
        closeQuietly("the sync steps", steps::close);
        hook.ifPresent(OnChangeHook::close);
        board.state("stopped");
        board.write(true);
        LOG.info("assistant stopped");
        closed.countDown();
    }

    private interface Closer {
        void close() throws Exception;
    }

    private static void closeQuietly(String what, Closer c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("cannot close {} cleanly: {}", what, e.getMessage());
        }
    }
}
