package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.BranchMoves;
import io.annexsync.gitsync.CommitResult;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.branch.MergeResult;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.remote.ssh.SshSettings;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.jgit.lib.Ref;

/**
 * The steps a sync is made of, each on its own: commit, fetch, merge, push, and the record of pushes owed. A
 * {@link Syncer} runs them once in git-annex's order; the assistant daemon runs each when its moment comes (a commit
 * after changes settle, a merge when a peer pushed, a push after each). Owns the remote operations' threads and the
 * owed-push table; close it to release them.
 *
 * <p>Thread-safety: {@link #commit}, {@link #merge} and {@link #fetch} change or read the index and must run on the
 * repository's one writer thread; {@link #push}, {@link #record} and {@link #owed} may be called from another thread
 * at the same time (pushing reads refs and objects of the thread-safe repository).
 */
public final class SyncSteps implements AutoCloseable {
    private final AnnexRepo repo;
    private final RemoteOps ops;
    private final OwedPushes owed;
    private final UnsafeCommits unsafe;

    private SyncSteps(AnnexRepo repo, RemoteOps ops, OwedPushes owed, UnsafeCommits unsafe) {
        this.repo = repo;
        this.ops = ops;
        this.owed = owed;
        this.unsafe = unsafe;
    }

    /** Steps on {@code repo} (which stays the caller's), each remote's fetch or push bounded by {@code timeout}. */
    public static SyncSteps open(AnnexRepo repo, Duration timeout, Clock clock) throws RepoException {
        return open(repo, timeout, clock, RetryPolicy.DEFAULT);
    }

    /** As {@link #open(AnnexRepo, Duration, Clock)}, owed pushes backing off by {@code owedRetry}. */
    public static SyncSteps open(AnnexRepo repo, Duration timeout, Clock clock, RetryPolicy owedRetry)
            throws RepoException {
        return open(repo, timeout, clock, owedRetry, SshSettings.user());
    }

    /** As {@link #open(AnnexRepo, Duration, Clock, RetryPolicy)}, ssh remotes reached as {@code ssh} says. */
    public static SyncSteps open(AnnexRepo repo, Duration timeout, Clock clock, RetryPolicy owedRetry,
            SshSettings ssh) throws RepoException {
        Objects.requireNonNull(repo, "repo");
        RemoteOps ops = new RemoteOps(repo.git(), timeout, ssh);
        OwedPushes owed = null;
        try {
            owed = OwedPushes.open(repo.gitDir(), clock, owedRetry);
            return new SyncSteps(repo, ops, owed, UnsafeCommits.open(repo.gitDir()));
        } catch (RepoException | RuntimeException e) {
            ops.close();
            if (owed != null) {
                owed.close();
            }
            throw e;
        }
    }

    /**
     * What merging brought: the current branch's merge and the git-annex branch's, and the unsafe paths left out that
     * no earlier merge reported (the same paths carried by a peer's next commit are not news).
     */
    public record Merged(MergeReport branch, MergeResult annex, List<UnsafeCommit> leftOut) {
        public Merged {
            leftOut = List.copyOf(leftOut);
        }

        /** Whether either branch moved. */
        public boolean changed() {
            return branch.newHead().isPresent() || annex.outcome() != MergeResult.Outcome.UP_TO_DATE;
        }
    }

    /**
     * The remotes to sync with: those named, or every remote whose {@code remote.NAME.annex-sync} is not false.
     *
     * @throws RepoException naming a remote that does not exist
     */
    public static List<RemoteConfig> remotes(AnnexRepo repo, List<String> names) throws RepoException {
        List<RemoteConfig> all = repo.remotes();
        if (names.isEmpty()) {
            return all.stream()
                    .filter(r -> repo.git().getConfig().getBoolean("remote", r.name(), "annex-sync", true))
                    .toList();
        }
        List<RemoteConfig> chosen = new ArrayList<>();
        for (String name : names) {
            chosen.add(all.stream().filter(r -> r.name().equals(name)).findFirst()
                    .orElseThrow(() -> new RepoException("there is no remote called " + name
                            + " (see 'annex-sync remote list')")));
        }
        return chosen;
    }

    /**
     * Commits what is staged, and the journal, with the message git-annex's sync and assistant commits carry; a
     * current branch moved under annex-sync is merged first (the result's {@link CommitResult#moved()}).
     */
    public Optional<CommitResult> commit() throws RepoException {
        return repo.commit(message());
    }

    /**
     * How the current branch moved since annex-sync last left it, if something else moved it (a push into it, a
     * reset, a commit made with git): what the daemon checks before staging, and when a ref changed, to catch up at
     * once ({@link #commit} and {@link #merge} catch up with it).
     */
    public Optional<BranchMoves.Move> branchMove() throws RepoException {
        return BranchMoves.find(repo);
    }

    private String message() throws RepoException {
        String description = repo.branch().descriptions().getOrDefault(repo.uuid(), repo.uuid().value());
        return "annex-sync in " + description;
    }

    /** Fetches {@code remotes} in parallel; one outcome each. */
    public List<FetchOutcome> fetch(List<RemoteConfig> remotes) {
        return ops.fetchAll(remotes);
    }

    /**
     * Merges into the current branch what peers pushed here ({@code synced/BRANCH}) and what was fetched from
     * {@code remotes} ({@code R/BRANCH}, {@code R/synced/BRANCH}), union-merges every git-annex branch, and moves
     * {@code synced/BRANCH} forward to the result. Unsafe paths left out are recorded ({@link #unsafe()}).
     */
    public Merged merge(List<RemoteConfig> remotes) throws RepoException {
        new MovedBranch(repo).merge(message()); // the merge checks out from HEAD's tree: it must be the index's

        String branch = repo.currentBranch();
        Map<String, Optional<String>> refs = new LinkedHashMap<>();
        refs.put("refs/heads/synced/" + branch, Optional.empty());
        for (RemoteConfig r : remotes) {
            refs.put("refs/remotes/" + r.name() + "/" + branch, Optional.of(r.name()));
            refs.put("refs/remotes/" + r.name() + "/synced/" + branch, Optional.of(r.name()));
        }
        MergeReport report = new Merger(repo).merge(List.copyOf(refs.keySet()));
        List<UnsafeCommit> leftOut = recordUnsafe(report, refs);
        MergeResult annex = repo.branch().mergeSiblings();
        SyncedBranch.update(repo.git(), branch);
        return new Merged(report, annex, leftOut);
    }

    /**
     * Records what each source (a remote, or a ref peers push into) carried in this merge: the last unsafe commit
     * merged from it replaces its record; when every commit merged from it was clean, its record goes. Returns the
     * paths no record listed before, by commit.
     */
    private List<UnsafeCommit> recordUnsafe(MergeReport report, Map<String, Optional<String>> remoteOf)
            throws RepoException {
        Map<String, Optional<UnsafeCommit>> bySource = new LinkedHashMap<>();
        for (String ref : report.merged()) {
            Optional<String> remote = remoteOf.getOrDefault(ref, Optional.empty());
            Optional<UnsafeCommit> carried = report.unsafe().stream().filter(c -> c.ref().equals(ref)).findFirst()
                    .map(c -> c.from(remote));
            bySource.merge(remote.orElse(ref), carried, (before, now) -> now.isPresent() ? now : before);
        }
        List<UnsafeCommit> fresh = new ArrayList<>();
        for (Map.Entry<String, Optional<UnsafeCommit>> e : bySource.entrySet()) {
            if (e.getValue().isEmpty()) {
                unsafe.clear(e.getKey());
                continue;
            }
            List<UnsafePath> news = unsafe.record(e.getValue().get());
            if (!news.isEmpty()) {
                fresh.add(e.getValue().get().withPaths(news));
            }
        }
        return fresh;
    }

    /** The incoming commits whose unsafe paths were left out, as recorded (what {@code status} shows). */
    public List<UnsafeCommit> unsafe() throws RepoException {
        return unsafe.all();
    }

    /**
     * The refs peers push into, {@code refs/heads/synced/*}, name to commit id: what the daemon compares before a merge
     * to tell a peer's push from the echo of its own ref updates.
     */
    public Map<String, String> pushedRefs() throws RepoException {
        try {
            Map<String, String> refs = new TreeMap<>();
            for (Ref r : repo.git().getRefDatabase().getRefsByPrefix("refs/heads/synced/")) {
                if (r.getObjectId() != null) {
                    refs.put(r.getName(), r.getObjectId().name());
                }
            }
            return refs;
        } catch (IOException e) {
            throw new RepoException("cannot read the synced branches: " + e.getMessage(), e);
        }
    }

    /** Pushes to {@code remotes} in parallel, recording nothing; one outcome each, in their order. */
    public List<PushOutcome> push(List<RemoteConfig> remotes) throws RepoException {
        return ops.pushAll(remotes, refSpecs());
    }

    /** Records each outcome: a push that worked clears what was owed, one that did not is owed (with back-off). */
    public void record(List<PushOutcome> outcomes) throws RepoException {
        for (PushOutcome o : outcomes) {
            if (o.succeeded()) {
                owed.clear(o.remote());
            } else {
                owed.recordFailure(o.remote(), o.status() + ": " + o.message());
            }
        }
    }

    /** Of {@code remotes}, those owed a push whose next try is due. */
    public List<RemoteConfig> dueOwed(List<RemoteConfig> remotes) throws RepoException {
        List<String> due = owed.due().stream().map(OwedPush::remote).toList();
        return remotes.stream().filter(r -> due.contains(r.name())).toList();
    }

    /** The pushes still owed. */
    public OwedPushes owed() {
        return owed;
    }

    /**
     * {@code BRANCH:synced/BRANCH} and the forced {@code +git-annex:synced/git-annex}, as git annex sync pushes; only
     * the git-annex branch while the current branch has no commit yet.
     */
    private List<String> refSpecs() throws RepoException {
        String branch = repo.currentBranch();
        List<String> specs = new ArrayList<>();
        if (repo.head().isPresent()) {
            specs.add("refs/heads/" + branch + ":refs/heads/synced/" + branch);
        }
        specs.add("+refs/heads/git-annex:refs/heads/synced/git-annex");
        return specs;
    }

    @Override
    public void close() throws RepoException {
        try {
            ops.close();
        } finally {
            try {
                owed.close();
            } finally {
                unsafe.close();
            }
        }
    }
}
