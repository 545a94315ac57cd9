package io.annexsync.app.assistant;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.TreeChanges;
import io.annexsync.gitsync.UnsafePathException;
import io.annexsync.gitsync.WorkTreeFiles;
import io.annexsync.gitsync.content.ItemResult;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.transfer.engine.EngineTransfers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the content of this repository converge: what is here goes on to this repository's children in the network
 * map's tree (every reachable remote while the map cannot be followed), what the current branch has and is not here
 * is asked for from the parent (store and forward, so content added at A reaches C through B), and every file still
 * without its content is remembered with the reason ({@link WaitingFile}) until it arrives: our download, a peer's
 * upload into this repository, or content put in by another process. Then its work-tree file is filled in and the
 * content sent on.
 *
 * <p>What it looks at does not depend on each event being seen: {@link #catchUp} compares the branch with the commit
 * it last looked at, so the files of a merge that failed halfway, or of a commit or merge another process made, are
 * not missed; a file that cannot be asked for now (no known copy, its holders unreachable, its download failed) is
 * looked at again when the location logs change ({@link #locationsChanged}), when a remote comes back, and at the
 * retry. Runs on the repository thread; transfers that end only hand that thread their outcome.
 */
final class ContentMover {
    private static final Logger LOG = LoggerFactory.getLogger(ContentMover.class);
    /** How many waiting files {@code daemon.json} lists (the count is always whole). */
    static final int LISTED = 100;

    private final AnnexRepo repo;
    private final EngineTransfers engine;
    private final RepoThread repoThread;
    private final Clock clock;
    private final boolean enabled;
    /** Files whose content is wanted here and not here yet, by path; read by the status writer. */
    private final Map<String, WaitingFile> waiting = new ConcurrentHashMap<>();
    /** Downloads that ended, for the repository thread to look at. */
    private final Queue<Ended> ended = new ConcurrentLinkedQueue<>();
    private final AtomicLong arrived = new AtomicLong();
    private final Consumer<String> unreachable;
    /** The commit of the current branch whose files were last looked at; empty before the first. */
    private volatile Optional<String> lookedAt = Optional.empty();

    /** A download that ended: its outcome, or the exception it ended with. */
    private record Ended(AnnexedFile file, Optional<ItemResult> result, Optional<Throwable> error) {}

    /**
     * With {@code enabled} false ({@code assistant.content = false}) no content is moved, only the history. {@code
     * unreachable} is told the name of every remote left out of a round because its repository is not there (a drive
     * not mounted), so that the check that finds it back sends it what it missed.
     */
    ContentMover(AnnexRepo repo, EngineTransfers engine, RepoThread repoThread, Clock clock, boolean enabled,
            Consumer<String> unreachable) {
        this.enabled = enabled;
        this.unreachable = unreachable;
        this.repo = repo;
        this.engine = engine;
        this.repoThread = repoThread;
        this.clock = clock;
    }

    /** How many files wait for their content. */
    int waitingCount() {
        return waiting.size();
    }

    /** How many waited-for files got their content since the start. */
    long arrivedCount() {
        return arrived.get();
    }

    /**
     * Whether the repository thread has something to look at: content that arrived for a waiting file, a download
     * that ended, or a current branch moved since it was looked at (by a merge that failed halfway, or by another
     * process). Reads only (a stat per waiting file, one ref); for the timer thread, so an idle daemon's repository
     * thread stays idle.
     */
    boolean somethingToLookAt() {
        if (!enabled) {
            return false;
        }
        if (!ended.isEmpty() || waiting.values().stream().anyMatch(w -> repo.hasContent(w.file().key()))) {
            return true;
        }
        try {
            Optional<String> head = repo.head();
            return head.isPresent() && !head.equals(lookedAt);
        } catch (RepoException e) {
            return false;
        }
    }

    /** The files waiting for content, the longest waiting first, at most {@link #LISTED}, for {@code daemon.json}. */
    List<Map<String, Object>> waitingList() {
        return waiting.values().stream()
                .sorted(Comparator.comparing(WaitingFile::since).thenComparing(w -> w.file().path()))
                .limit(LISTED).map(WaitingFile::json).toList();
    }

    /**
     * Looks at the files that changed in the current branch since the commit looked at last (all of them the first
     * time): what is here is sent on, what is not is asked for, what was deleted is no longer waited for. Call after
     * every commit and merge, also one that failed, and whenever the branch may have moved. Returns a future that
     * completes when the uploads asked for now are done (the gate of the next push).
     */
    CompletableFuture<Void> catchUp() throws RepoException {
        Optional<String> head = repo.head();
        if (head.isEmpty() || head.equals(lookedAt)) {
            return CompletableFuture.completedFuture(null);
        }
        TreeChanges changes;
        try {
            changes = repo.changes(lookedAt, head.get());
        } catch (RepoException e) {
            // the commit looked at is gone (history rewritten and pruned): look at the whole tree instead
            LOG.warn("cannot compare {} with {} ({}); looking at every file", lookedAt.orElse("nothing"), head.get(),
                    e.getMessage());
            changes = repo.changes(Optional.empty(), head.get());
        }
        Map<String, AnnexedFile> annexed = new HashMap<>();
        changes.annexed().forEach(f -> annexed.put(f.path(), f));
        for (String path : changes.paths()) {
            // deleted, or now another version: the old one is no longer wanted
            waiting.computeIfPresent(path, (p, w) -> w.file().equals(annexed.get(p)) ? w : null);
        }
        CompletableFuture<Void> uploads = handle(changes.annexed());
        lookedAt = head;
        return uploads;
    }

    /**
     * Looks at every annexed file of the index, as {@link #handle} does (a scan, a remote that came back), and takes
     * {@code head} (read before the index was) as the commit looked at.
     */
    CompletableFuture<Void> handleAll(List<AnnexedFile> all, Optional<String> head) throws RepoException {
        CompletableFuture<Void> uploads = handle(all);
        lookedAt = head;
        return uploads;
    }

    /**
     * Looks at {@code files} (a scan's, a remote's that came back): what is here is sent on, what is not is asked
     * for. Returns a future that completes when the uploads asked for now are done.
     */
    CompletableFuture<Void> handle(List<AnnexedFile> files) throws RepoException {
        if (files.isEmpty() || !enabled) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<ItemResult>> uploads = new ArrayList<>();
        List<AnnexedFile> here = new ArrayList<>();
        List<AnnexedFile> missing = new ArrayList<>();
        try (ContentPlan plan = ContentPlan.of(repo, clock, files)) {
            // a remote whose drive is away now gets nothing this round: said, so that its coming back is a sync even
            // when the checks never see it gone (the push of this commit may reach it, back by then, and succeed)
            plan.unreachable().forEach(r -> unreachable.accept(r.name()));
            for (AnnexedFile f : files) {
                if (repo.hasContent(f.key())) {
                    here.add(f);
                    uploads.addAll(send(plan, f));
                } else {
                    missing.add(f);
                }
            }
            fetch(plan, missing);
        }
        fill(here);
        return CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new));
    }

    /**
     * The location logs changed (a git-annex branch was merged or fetched): the files that could not be asked for
     * for want of a known, living or reachable copy are planned again, as the log may now name one. Files whose
     * download failed wait for the retry or a remote coming back.
     */
    void locationsChanged() throws RepoException {
        replan("the location logs changed", w -> w.stalled() && w.state() != WaitingFile.State.FAILED);
    }

    /** The retry: every file not being downloaded now (no copy known, holders unreachable, failed) is asked again. */
    void retryWaiting() throws RepoException {
        checkArrivals();
        replan("retry", WaitingFile::stalled);
    }

    private void replan(String why, Predicate<WaitingFile> which) throws RepoException {
        List<AnnexedFile> stalled = waiting.values().stream().filter(which).map(WaitingFile::file).toList();
        if (!stalled.isEmpty()) {
            LOG.debug("{}: looking again at {} files waiting for content", why, stalled.size());
            handle(stalled);
        }
    }

    /**
     * Looks at the downloads that ended and at the waiting files whose content arrived (by any way): those are filled
     * in and sent on, and a download that failed for good leaves its file waiting with the error. On the repository
     * thread; cheap when nothing waits, one stat per waiting file otherwise.
     */
    void checkArrivals() throws RepoException {
        List<AnnexedFile> again = new ArrayList<>();
        for (Ended e = ended.poll(); e != null; e = ended.poll()) {
            ended(e).ifPresent(again::add);
        }
        List<AnnexedFile> here = new ArrayList<>();
        for (WaitingFile w : waiting.values()) {
            if (repo.hasContent(w.file().key())) {
                here.add(w.file());
            }
        }
        if (!here.isEmpty()) {
            arrived.addAndGet(here.size());
            LOG.info("content of {} files arrived", here.size());
            handle(here);
        }
        again.removeIf(f -> repo.hasContent(f.key()));
        if (!again.isEmpty()) {
            handle(again);
        }
    }

    /** {@link #catchUp} and {@link #checkArrivals}: what the timer asks for when {@link #somethingToLookAt}. */
    void lookAround() throws RepoException {
        catchUp();
        checkArrivals();
    }

    /**
     * Records how a download ended; returns the file when it must be planned again at once (the download said it was
     * done, or another process brought it, yet the content is not here: dropped meanwhile).
     */
    private Optional<AnnexedFile> ended(Ended e) {
        WaitingFile w = waiting.get(e.file().path());
        if (w == null || !w.file().equals(e.file()) || w.state() != WaitingFile.State.DOWNLOADING
                || repo.hasContent(e.file().key())) {
            return Optional.empty();
        }
        Optional<String> failure = e.error().map(t -> t.getMessage() == null ? t.toString() : t.getMessage())
                .or(() -> e.result().filter(r -> r.status() == ItemResult.Status.FAILED).map(ItemResult::message));
        if (failure.isEmpty()) {
            return Optional.of(e.file());
        }
        LOG.warn("the content of {} could not be got: {}; asked for again at the retry, or when a remote or a "
                + "location log changes", e.file().path(), failure.get());
        waiting.put(e.file().path(), w.now(WaitingFile.State.FAILED, failure.get()));
        return Optional.empty();
    }

    /**
     * Puts the content of {@code files} (all here) in place of their pointer files, where the work tree still has the
     * pointer: content that arrived after the merge or checkout that wrote it. Cheap for files already in place.
     */
    private void fill(List<AnnexedFile> files) throws RepoException {
        List<String> filled = new ArrayList<>();
        for (AnnexedFile f : files) {
            waiting.computeIfPresent(f.path(), (p, w) -> w.file().equals(f) ? null : w);
            try {
                if (WorkTreeFiles.populate(repo, f)) {
                    filled.add(f.path());
                }
            } catch (UnsafePathException e) {
                LOG.warn("{}; its content is in the store", e.getMessage());
            }
        }
        WorkTreeFiles.refreshIndex(repo, filled);
    }

    private List<CompletableFuture<ItemResult>> send(ContentPlan plan, AnnexedFile f) {
        List<RemoteConfig> to = plan.uploadTo(f.key());
        List<CompletableFuture<ItemResult>> sent = new ArrayList<>(to.size());
        for (RemoteConfig r : to) {
            sent.add(engine.upload(f, r).whenComplete((result, error) -> logUpload(f, r, result, error)));
        }
        return sent;
    }

    /**
     * Asks for the content of {@code files} (none here), all in one queue transaction, and records each as waiting:
     * for the remote asked, or for the reason none can be asked now.
     */
    private void fetch(ContentPlan plan, List<AnnexedFile> files) {
        Map<AnnexedFile, List<RemoteConfig>> sources = new HashMap<>();
        List<AnnexedFile> asked = new ArrayList<>();
        for (AnnexedFile f : files) {
            WaitingFile before = waiting.get(f.path());
            WaitingFile w = before != null && before.file().equals(f) ? before
                    : new WaitingFile(f, WaitingFile.State.NO_KNOWN_COPY, "", clock.instant());
            List<RemoteConfig> from = plan.downloadFrom(f.key());
            if (from.isEmpty()) {
                WaitingFile why = plan.whyNot(w);
                if (!why.equals(before)) {
                    LOG.debug("the content of {} cannot be asked for now: {}", f.path(), why.reason());
                }
                waiting.put(f.path(), why);
            } else {
                waiting.put(f.path(), w.now(WaitingFile.State.DOWNLOADING, from.get(0).name()));
                sources.put(f, from);
                asked.add(f);
            }
        }
        if (asked.isEmpty()) {
            return;
        }
        List<CompletableFuture<ItemResult>> got = engine.getAll(asked, sources::get);
        for (int i = 0; i < asked.size(); i++) {
            AnnexedFile f = asked.get(i);
            got.get(i).whenComplete((result, error) -> {
                ended.add(new Ended(f, Optional.ofNullable(result), Optional.ofNullable(error)));
                repoThread.once("content arrived", ContentMover.this::lookAround);
            });
        }
    }

    private static void logUpload(AnnexedFile f, RemoteConfig to, ItemResult result, Throwable error) {
        if (error != null) {
            LOG.debug("upload of {} to {} ended: {}", f.path(), to.name(), error.getMessage());
        } else if (result.status() == ItemResult.Status.FAILED) {
            LOG.warn("upload of {} to {} failed: {}", f.path(), to.name(), result.message());
        }
    }
}
