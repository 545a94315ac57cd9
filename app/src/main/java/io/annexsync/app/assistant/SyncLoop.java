package io.annexsync.app.assistant;

import io.annexsync.app.map.RepoMap;
import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.BranchMoves;
import io.annexsync.gitsync.CommitResult;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.TreeChanges;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.branch.MergeResult;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.stage.AddOptions;
import io.annexsync.gitsync.stage.StageOutcome;
import io.annexsync.gitsync.sync.ConflictResolution;
import io.annexsync.gitsync.sync.FetchOutcome;
import io.annexsync.gitsync.sync.MovedMerge;
import io.annexsync.gitsync.sync.OwedPush;
import io.annexsync.gitsync.sync.RefWriters;
import io.annexsync.gitsync.sync.SyncSteps;
import io.annexsync.gitsync.sync.UnsafeCommit;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the daemon does on its repository thread, step by step: commit a batch of changes, merge what peers pushed,
 * sync with a remote that came back, retry what failed, scan the whole folder. Each step ends by handing the new
 * content to the {@link ContentMover} and the new commits to the {@link Pusher}, and by telling the
 * {@code assistant.onchange} hook what changed. Every method runs on the repository thread only.
 */
final class SyncLoop {
    private static final Logger LOG = LoggerFactory.getLogger(SyncLoop.class);

    private final AnnexRepo repo;
    private final SyncSteps steps;
    private final ContentMover content;
    private final Pusher pusher;
    private final StatusBoard board;
    private final Optional<OnChangeHook> hook;
    private final AddOptions add;
    private final Clock clock;
    private final Predicate<String> unreachable;
    private final NotAdded notAdded;
    /** The synced branches as read before the last merge. */
    private Map<String, String> mergedRefs = Map.of();

    /** {@code unreachable} tells, by name, the remotes known to be unreachable now (from the {@link RemoteWatch}). */
    SyncLoop(AnnexRepo repo, SyncSteps steps, ContentMover content, Pusher pusher, StatusBoard board,
            Optional<OnChangeHook> hook, AddOptions add, Clock clock, Predicate<String> unreachable) {
        this.repo = repo;
        this.steps = steps;
        this.content = content;
        this.pusher = pusher;
        this.board = board;
        this.hook = hook;
        this.add = add;
        this.clock = clock;
        this.unreachable = unreachable;
        this.notAdded = new NotAdded(board);
    }

    /** The remotes the daemon syncs with: every remote whose {@code annex-sync} setting is not false. */
    List<RemoteConfig> remotes() {
        try {
            return SyncSteps.remotes(repo, List.of());
        } catch (RepoException e) {
            return List.of(); // only for named remotes
        }
    }

    /** The last failure to commit the journal, so it is logged once per cause; empty after a success. */
    private String journalFailure = "";

    /**
     * The remotes to push to after a change: every remote but those seen unreachable (a drive that is not mounted),
     * which are synced with as soon as they come back. A remote owed a push after a failure is pushed to like the
     * others while it is reachable; the retry timer tries it again besides.
     */
    private List<RemoteConfig> pushTargets() {
        return remotes().stream().filter(r -> !unreachable.test(r.name())).toList();
    }

    /**
     * Commits what the journal holds (the location logs of content that arrived or was sent, written after the commit
     * or merge that asked for it) and pushes the git-annex branch, so that peers and git-annex learn where the content
     * is without waiting for the next change of a file. Nothing when the journal is empty.
     */
    void commitJournal() throws RepoException {
        if (repo.branch().journalPaths().isEmpty()) {
            return;
        }
        try {
            repo.flush();
        } catch (RepoException e) {
            if (!e.getMessage().equals(journalFailure)) { // said once per cause, not every 2 s (a full disk)
                LOG.warn("cannot commit the journal now ({}); it is kept and tried again", e.getMessage());
            }
            journalFailure = e.getMessage();
            return;
        }
        journalFailure = "";
        pusher.push(pushTargets(), CompletableFuture.completedFuture(null));
    }

    /**
     * Commits the changes at {@code paths}, then sends their content and pushes. When the current branch moved under
     * annex-sync, the whole work tree is staged instead, so that the catch-up commits every local change before it
     * merges the moved branch.
     */
    void commit(Collection<String> paths) throws RepoException {
        board.activity("committing");
        try {
            long start = System.nanoTime();
            Optional<BranchMoves.Move> move = steps.branchMove();
            List<StageOutcome> staged = move.isPresent() ? repo.addAll(add, Progress.NONE)
                    : repo.stageChanges(paths, add, Progress.NONE);
            notAdded.staged(paths, staged);
            long stagedAt = System.nanoTime();
            Optional<CommitResult> commit = steps.commit();
            LOG.debug("staged {} paths in {} ms, committed in {} ms", paths.size(), (stagedAt - start) / 1_000_000,
                    (System.nanoTime() - stagedAt) / 1_000_000);
            committed(staged, commit, move, content::catchUp);
        } finally {
            board.activity("idle");
        }
    }

    /**
     * Tells the board, the hook, the content mover and the pusher about a commit step; {@code move} is the branch's
     * move found before staging, which staging may have taken as annex-sync's own already (a commit made with git).
     * {@code look} has the content mover look at what the branch got (after the catch-up's merge, if any); the push
     * waits for the uploads it starts.
     */
    private void committed(List<StageOutcome> staged, Optional<CommitResult> commit, Optional<BranchMoves.Move> move,
            Look look) throws RepoException {
        Optional<MovedMerge> moved = commit.flatMap(CommitResult::moved).or(() -> move.map(this::takenAsFound));
        if (moved.isPresent()) {
            caughtUp(moved.get());
        }
        CompletableFuture<Void> uploads = look.look();
        if (commit.isEmpty() || !commit.get().committed()) {
            if (moved.isPresent()) {
                pusher.push(pushTargets(), CompletableFuture.completedFuture(null));
            }
            return;
        }
        CommitResult c = commit.get();
        List<String> changed = staged.stream().filter(o -> o.kind() != StageOutcome.Kind.UNCHANGED)
                .map(StageOutcome::path).toList();
        LOG.info("committed {} ({} file{} changed)", c.id().substring(0, 7), c.filesChanged(),
                c.filesChanged() == 1 ? "" : "s");
        board.committed(c.id(), c.filesChanged());
        hook.ifPresent(h -> h.changed("commit", changed));
        pusher.push(pushTargets(), uploads);
    }

    /**
     * Merges what peers pushed into this repository ({@code refs/heads/synced/*}), when those refs changed since the
     * last merge or the current branch moved under annex-sync (a push into it, a reset, a commit made with git): the
     * watcher also reports this daemon's own updates of refs, which need no merge.
     */
    void mergePushed() throws RepoException {
        Map<String, String> refs = steps.pushedRefs();
        if (refs.equals(mergedRefs) && steps.branchMove().isEmpty()) {
            LOG.debug("the synced branches are as merged last, and the branch where it was left; nothing to merge");
            return;
        }
        merge(refs);
    }

    /** Merges what peers pushed into this repository ({@code synced/*}) or what was fetched, then acts on it. */
    void merge() throws RepoException {
        merge(steps.pushedRefs());
    }

    /** A move that staging took as it was found (git had made the index from the moved branch). */
    private MovedMerge takenAsFound(BranchMoves.Move m) {
        return new MovedMerge(m.branch(), m.left(), m.head(), Optional.empty(), Optional.empty(), m.head());
    }

    /**
     * After the current branch was found moved by something else (a push into it, a reset, a commit made with git) and
     * merged: tells the board and the hook what the work tree got, as after a peer's merge (the content mover looks at
     * the branch itself, from the commit it looked at last).
     */
    private void caughtUp(MovedMerge moved) throws RepoException {
        TreeChanges changes = repo.changes(moved.leftAt(), moved.head());
        List<ConflictResolution> conflicts = moved.conflicts();
        LOG.info("{} was moved outside annex-sync (from {} to {}); {} ({} paths changed{})", moved.branch(),
                moved.leftAt().map(id -> id.substring(0, 7)).orElse("nothing"), moved.foundAt().substring(0, 7),
                moved.takenAsFound() ? "taken as it is" : "merged it", changes.paths().size(),
                conflicts.isEmpty() ? "" : ", " + conflicts.size() + " conflicts kept");
        conflicts.forEach(c -> LOG.info("conflict in {} ({}): kept as {}", c.path(), c.kind(),
                String.join(", ", c.keptAs())));
        board.merged(moved.head(), conflicts.size());
        hook.ifPresent(h -> h.changed("merge", changes.paths()));
    }

    /** The merge, with {@code refs} the synced branches read before it (the merge sees those or newer ones). */
    private void merge(Map<String, String> refs) throws RepoException {
        board.activity("merging");
        try {
            long start = System.nanoTime();
            Optional<BranchMoves.Move> move = steps.branchMove();
            if (move.isPresent()) { // the whole work tree staged and committed first, as the catch-up needs
                committed(repo.addAll(add, Progress.NONE), steps.commit(), move, content::catchUp);
            }
            Optional<String> before = repo.head();
            SyncSteps.Merged merged;
            try {
                merged = steps.merge(remotes());
            } catch (RepoException | RuntimeException e) {
                contentAfterFailedMerge(e);
                throw e;
            }
            mergedRefs = refs;
            LOG.debug("merge took {} ms", (System.nanoTime() - start) / 1_000_000);
            afterMerge(before, merged, move.isPresent());
        } finally {
            board.activity("idle");
        }
    }

    /**
     * A merge that failed may have checked out a new tree before (the git-annex branch's merge failing after the
     * current branch's): the files it wrote are still looked at.
     */
    private void contentAfterFailedMerge(Exception failure) {
        try {
            content.catchUp();
        } catch (RepoException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private void afterMerge(Optional<String> before, SyncSteps.Merged merged, boolean caughtUp)
            throws RepoException {
        for (UnsafeCommit c : merged.leftOut()) {
            c.paths().forEach(p -> LOG.error("left out unsafe path {} of {}, commit {}: {}", p.path(), c.source(),
                    c.commit(), p.reason()));
        }
        board.unsafe(steps.unsafe());
        if (merged.branch().newHead().isPresent()) {
            String head = merged.branch().newHead().get();
            TreeChanges changes = repo.changes(before, head);
            List<ConflictResolution> conflicts = merged.branch().conflicts();
            LOG.info("merged {} ({} paths changed{})", String.join(", ", merged.branch().merged()),
                    changes.paths().size(), conflicts.isEmpty() ? "" : ", " + conflicts.size() + " conflicts kept");
            conflicts.forEach(c -> LOG.info("conflict in {} ({}): kept as {}", c.path(), c.kind(),
                    String.join(", ", c.keptAs())));
            board.merged(head, conflicts.size());
            hook.ifPresent(h -> h.changed("merge", changes.paths()));
        }
        content.catchUp();
        if (merged.annex().outcome() != MergeResult.Outcome.UP_TO_DATE) {
            content.locationsChanged();
        }
        if (merged.changed() || caughtUp) {
            repo.flush();
            pusher.push(pushTargets(), CompletableFuture.completedFuture(null));
        }
    }

    /**
     * Syncs with {@code with} at once (at start, when they come back, at the retry): fetch and merge them, push to
     * them, and look at every file's content, since they may lack or have any of it.
     */
    void syncWith(List<RemoteConfig> with) throws RepoException {
        if (with.isEmpty()) {
            return;
        }
        board.activity("syncing");
        try {
            fetch(with);
            merge();
            repo.flush();
            pusher.push(with, CompletableFuture.completedFuture(null));
            Optional<String> head = repo.head();
            content.handleAll(repo.annexedFiles(List.of(repo.workTree())), head);
        } finally {
            board.activity("idle");
        }
    }

    /**
     * Fetches {@code from}; a fetch that failed (a lock it could not take, a remote that did not answer) is owed, so it
     * is tried again with the owed pushes, and the stale locks of this repository and the remote's are removed first
     * (a writer killed while it held {@code packed-refs.lock} makes every later fetch fail).
     */
    private void fetch(List<RemoteConfig> from) throws RepoException {
        List<FetchOutcome> outcomes = steps.fetch(from);
        for (int i = 0; i < outcomes.size(); i++) {
            FetchOutcome f = outcomes.get(i);
            board.fetched(f);
            if (!f.ok()) {
                LOG.info("cannot fetch from {}: {}; tried again with the owed pushes", f.remote(), f.message());
                steps.owed().recordFailure(f.remote(), "fetch failed: " + f.message());
                cleanLocks(Optional.of(from.get(i)));
            }
        }
    }

    /**
     * Removes the stale git locks of this repository and of {@code remote}'s when it is a path remote (one a peer
     * killed while it pushed here, or this daemon's own of a killed run); those that stay and are old are in the
     * status. On the repository thread, so none of this daemon's own git writes is under way.
     */
    void cleanLocks(Optional<RemoteConfig> remote) {
        List<String> kept = new ArrayList<>(StaleLocks.cleanAll(repo.gitDir(), clock.instant()).kept());
        remote.flatMap(r -> RefWriters.gitDirOf(r, repo.workTree()))
                .ifPresent(dir -> kept.addAll(StaleLocks.cleanAll(dir, clock.instant()).kept()));
        board.locks(kept);
    }

    /**
     * After a merge that failed (another process held a lock of the repository, as a peer's {@code git gc} packing
     * refs does): merge again and push to every remote, since the push the failed merge was to lead to was not made.
     */
    void mergeAgain() throws RepoException {
        merge();
        repo.flush();
        pusher.push(pushTargets(), CompletableFuture.completedFuture(null));
    }

    /** After a push was rejected: fetch that remote, merge, push again. */
    void rejected(RemoteConfig remote) throws RepoException {
        fetch(List.of(remote));
        merge();
        repo.flush();
        pusher.push(List.of(remote), CompletableFuture.completedFuture(null));
    }

    /**
     * The whole folder against git (what changed while the daemon was down, or what the watcher missed), then every
     * file's content against the remotes: what is missing is asked for again.
     */
    void scan(String why) throws RepoException {
        board.activity("scanning");
        try {
            LOG.info("scanning the folder ({})", why);
            Optional<BranchMoves.Move> move = steps.branchMove();
            List<StageOutcome> staged = repo.addAll(add, Progress.NONE);
            notAdded.staged(List.of(""), staged);
            committed(staged, steps.commit(), move, () -> {
                Optional<String> head = repo.head();
                List<AnnexedFile> files = repo.annexedFiles(List.of(repo.workTree()));
                fixLocations(files);
                return content.handleAll(files, head);
            });
            repo.flush();
        } finally {
            board.activity("idle");
        }
    }

    /** Makes the location log say what the object store has, for this repository, as fsck would. */
    private void fixLocations(List<AnnexedFile> files) throws RepoException {
        List<Key> keys = files.stream().map(AnnexedFile::key).distinct().toList();
        Map<Key, Set<Uuid>> logged = repo.branch().locations(keys);
        List<Key> unlogged = keys.stream()
                .filter(k -> repo.hasContent(k) && !logged.get(k).contains(repo.uuid())).toList();
        List<Key> gone = keys.stream()
                .filter(k -> !repo.hasContent(k) && logged.get(k).contains(repo.uuid())).toList();
        if (!unlogged.isEmpty()) {
            repo.branch().setLocations(unlogged, repo.uuid(), true);
        }
        if (!gone.isEmpty()) {
            repo.branch().setLocations(gone, repo.uuid(), false);
        }
        if (!unlogged.isEmpty() || !gone.isEmpty()) {
            LOG.warn("the location log was wrong about this repository for {} keys ({} here but not logged, {} logged "
                    + "but not here); corrected", unlogged.size() + gone.size(), unlogged.size(), gone.size());
        }
    }

    /** The work tree only (after lost watch events): stage and commit whatever changed. */
    void rescan(String why) throws RepoException {
        board.activity("scanning");
        try {
            LOG.warn("rescanning the work tree: {}", why);
            Optional<BranchMoves.Move> move = steps.branchMove();
            List<StageOutcome> staged = repo.addAll(add, Progress.NONE);
            notAdded.staged(List.of(""), staged);
            committed(staged, steps.commit(), move, content::catchUp);
        } finally {
            board.activity("idle");
        }
    }

    /**
     * The remotes owed a push whose back-off is over (one minute after the failure, doubling up to the retry interval)
     * and that are not known to be unreachable are synced with: a push that failed because the remote was busy or a
     * peer kept pushing into it is not left for the retry interval.
     */
    void retryDuePushes() throws RepoException {
        List<RemoteConfig> due = steps.dueOwed(remotes()).stream().filter(r -> !unreachable.test(r.name())).toList();
        if (!due.isEmpty()) {
            LOG.info("pushing again to {}, owed a push", due.stream().map(RemoteConfig::name).toList());
            syncWith(due);
        }
    }

    /** The retry: remotes owed a push are synced with, failed transfers and missing content are asked for again. */
    void retry(Runnable retryFailedTransfers) throws RepoException {
        List<String> owed = steps.owed().all().stream().map(OwedPush::remote).toList();
        List<RemoteConfig> due = remotes().stream().filter(r -> owed.contains(r.name())).toList();
        if (!due.isEmpty()) {
            LOG.info("retrying remotes owed a push: {}", owed);
            syncWith(due);
        }
        retryFailedTransfers.run();
        content.retryWaiting();
    }

    /** Publishes this repository's links on the network map (committed and pushed with the next change). */
    void publishMap() throws RepoException {
        try (RepoMap map = RepoMap.load(repo, clock)) {
            map.publish(repo);
        }
    }

    /** What the content mover looks at after a commit step; the uploads it started. */
    @FunctionalInterface
    private interface Look {
        CompletableFuture<Void> look() throws RepoException;
    }
}
