package io.annexsync.transfer.engine;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.IoMessages;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.supervise.Failures;
import io.annexsync.gitsync.supervise.Supervisor;
import io.annexsync.transfer.queue.Claimed;
import io.annexsync.transfer.queue.QueueItem;
import io.annexsync.transfer.queue.TransferQueue;
import io.annexsync.transfer.queue.TransferRequest;
import io.annexsync.transfer.queue.TransferRequest.Way;
import io.annexsync.transfer.engine.KeyMove.TransferFailure;
import io.annexsync.transfer.record.TransferRecords;
import io.annexsync.transfer.remote.Disk;
import io.annexsync.transfer.remote.Here;
import io.annexsync.transfer.remote.OpenRemotes;
import io.annexsync.transfer.remote.Remote;
import io.annexsync.transfer.remote.RemoteKinds;
import io.annexsync.transfer.remote.Stopped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transfer engine of one repository: every movement of content (a command's {@code get} and {@code copy},
 * {@code sync --content}, the daemon) is a {@link TransferRequest} put in the persistent {@link TransferQueue} and
 * carried out by upload and download worker threads (this class: the queue and the worker pool), with at most
 * {@link TransferSettings#perRemote()} at once per remote and under the bandwidth limits. The move of one key is a
 * {@link KeyMove}, with a {@link io.annexsync.transfer.remote.Remote} of whatever kind, opened by the kinds given at
 * start ({@link RemoteKinds#standard()} unless told) in one {@link OpenRemotes}; this class knows no kind of remote.
 *
 * <p>Each transfer holds its git-annex transfer record (status file and lock) while it moves, an upload to a path
 * remote also the remote's record of receiving it from us (as git-annex does, held by the remote), and then the
 * receiver's partial-file lock ({@link Holding}). So other processes, git-annex included, see it, and no two
 * annex-sync writers ever work on one partial file (nor git-annex and annex-sync receiving from one sender): the
 * second waits for the first and then finds the content there. Bytes go into the receiver's {@code
 * .git/annex/tmp/KEY}, hashed as they arrive; a partial file left by a stopped or killed try is continued. Content
 * that does not match its key never enters a store (the partial file is deleted, the failure recorded). The
 * location logs of new copies are written in batches when the workers fall idle and at {@link #close()}.
 *
 * <p>Nothing is written into a repository whose disk the key would leave with less than its {@code
 * annex.diskreserve} free ({@link io.annexsync.transfer.remote.DiskSpace}, git-annex's rule and message); the
 * daemon's engine starts no transfer into a full disk at all and tries what waits for it as soon as it has space
 * again ({@link Disks}).
 *
 * <p>A failed transfer waits out the queue's back-off and is tried again, up to the policy's attempts; then it is
 * FAILED and its future completes with the reason. At start the items this owner had running when its process died
 * go back to the queue, and items of commands that died are removed. The workers' loops run under a {@link
 * Supervisor}. Thread-safe; close it to stop the workers (a transfer in hand stops at its next chunk and resumes next
 * time).
 */
public final class TransferService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransferService.class);
    /** How long an idle worker waits for a wake-up (a request enqueued here) before it looks at the queue again. */
    private static final long IDLE_WAIT_MILLIS = 5000;
    /** How long every worker must have been idle before the location logs are written. */
    private static final long QUIET_MILLIS = 200;
    private static final int FLUSH_EVERY = 2000;
    /** How often an idle worker measures the disks again that were full. */
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long STOP_WAIT_SECONDS = 30;

    private final AnnexRepo repo;
    private final TransferSettings settings;
    private final TransferQueue queue;
    private final TransferRecords records;
    private final OpenRemotes remotes;
    private final LocationBatch locations;
    private final KeyMove move;
    private final Map<Ident, CompletableFuture<TransferOutcome>> waiting = new ConcurrentHashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicLong bytesMoved = new AtomicLong();
    private final AtomicLong lastSettled = new AtomicLong(System.nanoTime());
    private final Object wakeup = new Object();
    private final Disks disks;
    private final boolean pauseIntoFullDisks;
    private volatile long nextRecheck = System.nanoTime();
    private volatile boolean stopping;
    private boolean closed;

    /** The identity under which the queue merges requests. */
    record Ident(Key key, String remote, Way way) {
        static Ident of(TransferRequest r) {
            return new Ident(r.key(), r.remote(), r.way());
        }
    }

    private TransferService(AnnexRepo repo, TransferSettings settings, TransferQueue queue, Clock clock,
            Progress progress, RemoteKinds kinds, RepoWriter writer) throws RepoException {
        this.repo = repo;
        this.settings = settings;
        this.queue = queue;
        this.records = new TransferRecords(repo.gitDir(), clock);
        this.remotes = new OpenRemotes(kinds, new Here(repo.uuid(), repo.workTree(), clock), repo::remotes);
        this.locations = new LocationBatch(repo, writer, System::nanoTime);
        this.pauseIntoFullDisks = queue.owner().equals(TransferQueue.ASSISTANT);
        this.disks = new Disks(System::nanoTime, pauseIntoFullDisks);
        ContentCopy copier = new ContentCopy(settings, progress, () -> stopping, pauseIntoFullDisks, bytesMoved);
        this.move = new KeyMove(repo, settings, records, remotes, locations, disks, copier, () -> stopping);
        disks.measure(Disks.HERE, move.hereDisk());
    }

    /**
     * Opens the queue of {@code owner} ({@link TransferQueue#ASSISTANT} for the daemon, {@link
     * TransferQueue#processOwner()} for a command), puts back what that owner had running, and starts the workers.
     *
     * @param progress told of every transfer's bytes, from the worker threads (must be thread-safe)
     */
    public static TransferService start(AnnexRepo repo, TransferSettings settings, String owner, Clock clock,
            Progress progress) throws RepoException {
        return start(repo, settings, owner, clock, progress, RemoteKinds.standard(), RepoWriter.DIRECT);
    }

    /**
     * Starts the engine with these kinds of remote, writing this repository's location logs through {@code writer}
     * (the daemon's repository thread); see {@link #start(AnnexRepo, TransferSettings, String, Clock, Progress)}.
     */
    public static TransferService start(AnnexRepo repo, TransferSettings settings, String owner, Clock clock,
            Progress progress, RemoteKinds kinds, RepoWriter writer) throws RepoException {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(progress, "progress");
        TransferQueue queue = TransferQueue.open(repo.gitDir(), clock, settings.policy(), new SplittableRandom(),
                owner);
        TransferService service;
        try {
            queue.removeDeadOwners();
            int requeued = queue.requeueRunning();
            if (requeued > 0) {
                LOG.info("{} transfers that were running when {} stopped are queued again", requeued, owner);
            }
            service = new TransferService(repo, settings, queue, clock, progress, kinds, writer);
        } catch (RepoException | RuntimeException e) {
            queue.close();
            throw e;
        }
        service.startWorkers(owner);
        return service;
    }

    private void startWorkers(String owner) {
        for (int i = 1; i <= settings.downloads(); i++) {
            startWorker(Way.DOWNLOAD, "annex-sync-download-" + i, owner);
        }
        for (int i = 1; i <= settings.uploads(); i++) {
            startWorker(Way.UPLOAD, "annex-sync-upload-" + i, owner);
        }
    }

    /**
     * Starts one worker thread; its loop runs under a {@link Supervisor}, so an unexpected failure outside a transfer
     * (which fails only that transfer) restarts the loop after a back-off instead of leaving a dead worker.
     */
    private void startWorker(Way way, String name, String owner) {
        Supervisor supervisor = Supervisor.of(name, () -> stopping, this::backOff);
        Thread t = new Thread(() -> supervisor.run(() -> work(way, name + "@" + owner)), name);
        t.setDaemon(true);
        workers.add(t);
        t.start();
    }

    /** The queue this service works on, for listings. */
    public TransferQueue queue() {
        return queue;
    }

    /**
     * The repository UUID of {@code remote}: from its {@code annex-uuid} setting, or, only when none is recorded (a
     * path remote added by plain git), from the remote opened now; empty when neither knows. Remotes over a network
     * always have {@code annex-uuid} recorded, so this opens none of them.
     */
    public Optional<Uuid> uuidOf(RemoteConfig remote) {
        if (remote.uuid().isPresent()) {
            return remote.uuid();
        }
        try {
            return Optional.of(remotes.open(remote.name()).uuid());
        } catch (RepoException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether content can be moved with {@code remote} now: its kind opens it (a path remote's folder is there and
     * holds the repository recorded for it). Opens it, so it may block: not for the repository thread.
     */
    public boolean usable(RemoteConfig remote) {
        try {
            remotes.open(remote.name());
            return true;
        } catch (RepoException e) {
            return false;
        }
    }

    /** The bytes this service has read from sources so far. */
    public long bytesMoved() {
        return bytesMoved.get();
    }

    /**
     * Asks for one transfer; see {@link #submitAll}.
     */
    public CompletableFuture<TransferOutcome> submit(TransferRequest request) {
        return submitAll(List.of(request)).get(0);
    }

    /**
     * Asks for transfers, queued in one transaction. What needs no transfer (the destination has the content) is
     * answered at once without the queue. Each future completes when its transfer is done, when it has failed as
     * often as the policy allows, or exceptionally when the queue cannot be used or the service closes first.
     * Equal requests share one future.
     */
    public List<CompletableFuture<TransferOutcome>> submitAll(List<TransferRequest> requests) {
        if (stopping) {
            throw new IllegalStateException("the transfer service is closed");
        }
        List<CompletableFuture<TransferOutcome>> futures = new ArrayList<>(requests.size());
        List<TransferRequest> toQueue = new ArrayList<>();
        for (TransferRequest r : requests) {
            Optional<TransferOutcome> quick = quickAnswer(r);
            if (quick.isPresent()) {
                futures.add(CompletableFuture.completedFuture(quick.get()));
            } else {
                futures.add(waiting.computeIfAbsent(Ident.of(r), i -> new CompletableFuture<>()));
                toQueue.add(r);
            }
        }
        try {
            queue.enqueueAll(toQueue);
            answerGivenUp(toQueue);
        } catch (RepoException | RuntimeException e) {
            toQueue.forEach(r -> Optional.ofNullable(waiting.remove(Ident.of(r)))
                    .ifPresent(f -> f.completeExceptionally(e)));
        }
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        return futures;
    }

    /**
     * Completes at once, as failed with the item's last error, the futures of requests the queue merged into an item
     * it has given up (FAILED, left so by a background request): no worker will run it before {@code retryFailed} or
     * a request of priority 0, so the caller would wait for nothing.
     */
    private void answerGivenUp(List<TransferRequest> queued) throws RepoException {
        if (queued.isEmpty()) {
            return;
        }
        List<Optional<String>> given = queue.givenUp(queued);
        for (int i = 0; i < queued.size(); i++) {
            TransferRequest r = queued.get(i);
            given.get(i).ifPresent(error -> Optional.ofNullable(waiting.remove(Ident.of(r)))
                    .ifPresent(f -> f.complete(TransferOutcome.failed(r, error))));
        }
    }

    /**
     * The outcome of a request that needs no queue: the destination has the content already. Only a remote that is
     * open already is asked (opening may block, and this runs on the caller's thread, maybe the repository thread);
     * the others are asked by the worker.
     */
    private Optional<TransferOutcome> quickAnswer(TransferRequest r) {
        if (!r.upload()) {
            return repo.hasContent(r.key())
                    ? Optional.of(TransferOutcome.nothingToDo(r, "already here")) : Optional.empty();
        }
        Optional<Remote> remote = remotes.ifOpen(r.remote());
        if (remote.isPresent() && remote.get().checkPresent(r.key()).present()) {
            locations.present(remote.get().uuid(), r.key());
            return Optional.of(TransferOutcome.nothingToDo(r, r.remote() + " has it already"));
        }
        return Optional.empty();
    }

    private void work(Way way, String worker) {
        while (!stopping) {
            if (way == Way.DOWNLOAD && pauseIntoFullDisks && disks.isFull(Disks.HERE)) {
                idle(); // downloads wait while this repository's disk is full
                continue;
            }
            Optional<Claimed> claimed;
            try {
                claimed = queue.claim(worker, Optional.of(way), settings.perRemote(), paused(way));
            } catch (RepoException | RuntimeException e) {
                if (stopping) {
                    return;
                }
                LOG.warn("{} cannot claim a transfer: {}", worker, e.getMessage());
                pause(IDLE_WAIT_MILLIS);
                continue;
            }
            if (claimed.isEmpty()) {
                idle();
                continue;
            }
            busy.incrementAndGet();
            try {
                run(claimed.get());
            } finally {
                busy.decrementAndGet();
            }
            if (locations.pending() >= FLUSH_EVERY) {
                flushQuietly();
            }
        }
    }

    /** The remotes whose uploads wait now: those whose disks are full (the daemon's engine only). */
    private Set<String> paused(Way way) {
        if (way != Way.UPLOAD || !pauseIntoFullDisks) {
            return Set.of();
        }
        return Set.copyOf(disks.fullNames());
    }

    /**
     * Nothing due for this worker: measures the full disks again (at most every 5 s), writes the gathered location
     * logs once every worker has been idle for a moment (not between two claims of a busy queue: each write reads and
     * rewrites the logs) unless they are in their back-off, then waits for requests.
     */
    private void idle() {
        if (System.nanoTime() - nextRecheck >= 0) {
            nextRecheck = System.nanoTime() + RECHECK_NANOS;
            checkDisks();
        }
        boolean flushSoon = busy.get() == 0 && locations.pending() > 0 && locations.due();
        if (flushSoon && System.nanoTime() - lastSettled.get() > TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS)) {
            flushQuietly();
            flushSoon = locations.pending() > 0 && locations.due();
        }
        long backOff = locations.pending() > 0 ? Math.max(1, locations.untilDue().toMillis()) : IDLE_WAIT_MILLIS;
        pause(flushSoon ? QUIET_MILLIS : Math.min(IDLE_WAIT_MILLIS, backOff));
    }

    /**
     * Another write into the repository of {@code remote} failed with {@code message} (a push): when the message tells
     * of a full disk, that disk counts as full, so uploads into it wait and are tried when it has space again.
     */
    public void writeFailed(String remote, String message) {
        if (IoMessages.diskFull(new RepoException(message))) {
            try {
                Optional<Disk> disk = remotes.open(remote).disk();
                disk.ifPresent(d -> disks.ranOut(remote, d, message));
            } catch (RepoException e) {
                LOG.debug("cannot look at the disk of {}: {}", remote, e.getMessage());
            }
        }
    }

    /**
     * Measures again the disks that content goes into; one that was full and has space again gets its waiting
     * transfers and location logs tried at once. Returns the disks that are full, for the status.
     */
    public List<FullDisk> checkDisks() {
        for (String name : disks.recheck()) {
            try {
                int n = name.equals(Disks.HERE) ? queue.retryNow(Way.DOWNLOAD, Optional.empty())
                        : queue.retryNow(Way.UPLOAD, Optional.of(name));
                LOG.debug("{} transfers into {} are due again", n, name);
            } catch (RepoException e) {
                LOG.warn("cannot queue the transfers into {} again: {}", name, e.getMessage());
            }
            locations.retryNow();
            synchronized (wakeup) {
                wakeup.notifyAll();
            }
        }
        return disks.full();
    }

    private void pause(long millis) {
        synchronized (wakeup) {
            if (!stopping) {
                try {
                    wakeup.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Waits out {@code delay} after a worker's loop failed, whatever wakes the idle workers meanwhile; not closing. */
    private void backOff(Duration delay) throws InterruptedException {
        long end = System.nanoTime() + delay.toNanos();
        synchronized (wakeup) {
            for (long left = delay.toNanos(); left > 0 && !stopping; left = end - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(wakeup, left);
            }
        }
    }

    /** Writes the location logs that are due; a disk found full by it waits for space (logged by the batch). */
    private void flushQuietly() {
        for (LocationBatch.Failure f : locations.flushDue()) {
            String cause = f.error().getMessage();
            if (IoMessages.diskFull(f.error())) {
                f.remote().ifPresentOrElse(r -> r.disk().ifPresent(d -> disks.ranOut(r.name(), d, cause)),
                        () -> disks.ranOut(Disks.HERE, move.hereDisk(), cause));
            }
        }
    }

    private void run(Claimed claimed) {
        TransferRequest r = claimed.request();
        TransferOutcome outcome;
        try {
            outcome = move.run(r);
        } catch (Stopped e) {
            return; // left RUNNING; close() puts it back in the queue
        } catch (TransferFailure e) {
            e.ranOut().ifPresent(into -> disks.ranOut(into.name(), into.disk(), e.getMessage()));
            outcome = TransferOutcome.failed(r, e.getMessage());
        } catch (RepoException e) {
            if (IoMessages.diskFull(e)) { // a record or a log that could not be written: said by the disk, once
                ranOut(r, e.getMessage());
            } else { // the message says what and where; the trace is for debug
                LOG.debug("transfer of {} failed", r.key(), e);
            }
            outcome = TransferOutcome.failed(r, e.getMessage());
        } catch (RuntimeException e) {
            if (IoMessages.diskFull(e)) {
                ranOut(r, e.getMessage());
            } else {
                LOG.warn("transfer of {} failed", r.key(), e);
            }
            outcome = TransferOutcome.failed(r, e.getMessage() == null ? e.toString() : e.getMessage());
        } catch (Error e) { // the transfer's failure, not the worker's: it is recorded and retried
            Failures.rethrowIfFatal(e);
            LOG.warn("transfer of {} failed unexpectedly", r.key(), e);
            outcome = TransferOutcome.failed(r, Failures.describe(e));
        } finally {
            disks.release(Ident.of(r));
        }
        settle(claimed, outcome);
    }

    /** The disk {@code r} writes into ran out of space: it counts as full until it has space again. */
    private void ranOut(TransferRequest r, String cause) {
        if (!r.upload()) {
            disks.ranOut(Disks.HERE, move.hereDisk(), cause);
            return;
        }
        writeFailed(r.remote(), cause);
    }

    /** Records the outcome in the queue and completes the future unless a retry is due. */
    private void settle(Claimed claimed, TransferOutcome outcome) {
        TransferRequest r = claimed.request();
        lastSettled.set(System.nanoTime());
        try {
            if (outcome.status() == TransferOutcome.Status.FAILED) {
                Optional<QueueItem> now = queue.failed(claimed, outcome.message());
                if (now.isPresent() && now.get().state() != QueueItem.State.FAILED) {
                    LOG.info("transfer of {} {} {} failed ({}); trying again after {}", r.key(),
                            r.upload() ? "to" : "from", r.remote(), outcome.message(), now.get().nextTry());
                    return;
                }
            } else {
                queue.done(claimed);
            }
        } catch (RepoException | RuntimeException e) {
            LOG.warn("cannot record the end of the transfer of {} in the queue: {}", r.key(), e.getMessage());
        }
        CompletableFuture<TransferOutcome> f = waiting.remove(Ident.of(r));
        if (f != null) {
            f.complete(outcome);
        }
    }

    /** Writes the location logs of the copies made so far. */
    public void flush() throws RepoException {
        locations.flush();
    }

    /**
     * Leaves the queue as the next process expects it: the daemon's running items back to QUEUED, a command's items
     * gone. When the queue cannot be written (a full disk), that is only logged: the next process that opens the queue
     * does the same (it requeues the daemon's, removes those of ended processes), and the location logs of the copies
     * made must still be written.
     */
    private void settleQueue() {
        try {
            if (queue.owner().equals(TransferQueue.ASSISTANT)) {
                queue.requeueRunning();
            } else {
                queue.removeOwn();
            }
        } catch (RepoException e) {
            LOG.warn("{}; the next process that opens the queue does it", e.getMessage());
        }
    }

    /**
     * Stops the workers (a transfer in hand stops at its next chunk, its partial file kept), puts what they held back
     * in the queue (a command's queue is emptied instead: nobody else would do its items), writes the location logs
     * and closes the queue and remotes. Futures still pending complete exceptionally. Idempotent.
     */
    @Override
    public synchronized void close() throws RepoException {
        if (closed) {
            return;
        }
        closed = true;
        stopping = true;
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        for (Thread t : workers) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(STOP_WAIT_SECONDS));
                if (t.isAlive()) {
                    LOG.warn("{} did not stop within {} s; interrupting it", t.getName(), STOP_WAIT_SECONDS);
                    t.interrupt();
                    t.join(TimeUnit.SECONDS.toMillis(STOP_WAIT_SECONDS));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        RepoException stopped = new RepoException("the transfer service stopped before the transfer was done");
        waiting.values().forEach(f -> f.completeExceptionally(stopped));
        waiting.clear();
        try {
            settleQueue();
            locations.flush();
        } finally {
            remotes.close();
            queue.close();
        }
    }
}
