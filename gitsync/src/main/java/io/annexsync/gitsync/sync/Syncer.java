package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.CommitResult;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.content.ContentTransfers;
import io.annexsync.gitsync.content.ItemResult;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.stage.AddOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One {@code sync} of a repository with its remotes, in git-annex's order (FORMAT.md §6.1): commit the work tree,
 * push what is owed, fetch every remote in parallel, merge their branches into the current branch (conflicts
 * resolved, never stopping), union-merge their git-annex branches, move content if asked, push to every remote in
 * parallel. A remote that rejects the push (someone pushed meanwhile) is fetched, merged and pushed once more; one
 * that fails is recorded as owed. Used by one thread; the daemon will call it on its repository thread.
 */
public final class Syncer {
    private final AnnexRepo repo;
    private final SyncOptions options;
    private final Clock clock;
    private final ContentRouting.Factory routing;
    private final Optional<ContentTransfers> transfers;

    /** A sync whose {@code --content} floods every reachable remote, as git-annex does, copying directly. */
    public Syncer(AnnexRepo repo, SyncOptions options, Clock clock) {
        this(repo, options, clock, ContentRouting.Factory.FLOOD, Optional.empty());
    }

    /**
     * A sync whose {@code --content} follows the routing made after the merge (the network map's plan) and moves
     * content through {@code transfers} (the transfer engine), or directly when empty.
     */
    public Syncer(AnnexRepo repo, SyncOptions options, Clock clock, ContentRouting.Factory routing,
            Optional<ContentTransfers> transfers) {
        this.repo = repo;
        this.options = options;
        this.clock = clock;
        this.routing = routing;
        this.transfers = transfers;
    }

    /** Runs the sync; per-remote failures are outcomes in the report, an exception means it could not run. */
    public SyncReport sync(Progress progress) throws RepoException {
        List<RemoteConfig> remotes = remotes();
        Optional<CommitResult> committed = commitWorkTree(progress);
        try (RemoteOps ops = new RemoteOps(repo.git(), options.timeout());
                OwedPushes owed = OwedPushes.open(repo.gitDir(), clock, RetryPolicy.DEFAULT)) {
            pushOwed(ops, owed, remotes);
            List<FetchOutcome> fetched = options.pull() ? ops.fetchAll(remotes) : List.of();
            MergeReport merged = options.pull() ? merge(remotes) : MergeReport.none();
            List<ItemResult> content = options.content()
                    ? new ContentSync(repo, routing.create(repo), transfers).run(remotes, progress) : List.of();
            repo.flush();
            List<PushOutcome> pushed = options.push() ? push(ops, owed, remotes) : List.of();
            return new SyncReport(committed, fetched, merged, content, pushed, owed.all());
        }
    }

    /** The remotes to sync with: those named, or every remote whose {@code remote.NAME.annex-sync} is not false. */
    private List<RemoteConfig> remotes() throws RepoException {
        List<RemoteConfig> all = repo.remotes();
        if (options.remotes().isEmpty()) {
            return all.stream()
                    .filter(r -> repo.git().getConfig().getBoolean("remote", r.name(), "annex-sync", true))
                    .toList();
        }
        List<RemoteConfig> chosen = new ArrayList<>();
        for (String name : options.remotes()) {
            chosen.add(all.stream().filter(r -> r.name().equals(name)).findFirst()
                    .orElseThrow(() -> new RepoException("there is no remote called " + name
                            + " (see 'annex-sync remote list')")));
        }
        return chosen;
    }

    /** Stages every change of the work tree and commits it, as git-annex's {@code git commit -a} step. */
    private Optional<CommitResult> commitWorkTree(Progress progress) throws RepoException {
        repo.addAll(new AddOptions(false, AddOptions.Force.NONE, options.jobs()), progress);
        String description = repo.branch().descriptions().getOrDefault(repo.uuid(), repo.uuid().value());
        return repo.commit("annex-sync in " + description);
    }

    /** Merges the local synced branch and every remote's branch and synced branch, then the git-annex branches. */
    private MergeReport merge(List<RemoteConfig> remotes) throws RepoException {
        String branch = repo.currentBranch();
        List<String> refs = new ArrayList<>();
        refs.add("refs/heads/synced/" + branch);
        for (RemoteConfig r : remotes) {
            refs.add("refs/remotes/" + r.name() + "/" + branch);
            refs.add("refs/remotes/" + r.name() + "/synced/" + branch);
        }
        MergeReport report = new Merger(repo).merge(refs);
        repo.branch().mergeSiblings();
        SyncedBranch.update(repo.git(), branch);
        return report;
    }

    /** Pushes owed to remotes whose next try is due, before anything else, as the retry policy promised. */
    private void pushOwed(RemoteOps ops, OwedPushes owed, List<RemoteConfig> remotes) throws RepoException {
        if (!options.push()) {
            return;
        }
        List<String> due = owed.due().stream().map(OwedPush::remote).toList();
        List<RemoteConfig> retry = remotes.stream().filter(r -> due.contains(r.name())).toList();
        if (!retry.isEmpty()) {
            record(owed, ops.pushAll(retry, refSpecs()));
        }
    }

    private List<PushOutcome> push(RemoteOps ops, OwedPushes owed, List<RemoteConfig> remotes)
            throws RepoException {
        List<PushOutcome> outcomes = new ArrayList<>(ops.pushAll(remotes, refSpecs()));
        List<RemoteConfig> rejected = rejected(outcomes, remotes);
        if (!rejected.isEmpty()) {
            ops.fetchAll(rejected);
            merge(remotes);
            repo.flush();
            List<PushOutcome> again = ops.pushAll(rejected, refSpecs());
            outcomes.replaceAll(o -> again.stream().filter(a -> a.remote().equals(o.remote())).findFirst().orElse(o));
        }
        record(owed, outcomes);
        return outcomes;
    }

    private static List<RemoteConfig> rejected(List<PushOutcome> outcomes, List<RemoteConfig> remotes) {
        var names = outcomes.stream().filter(o -> o.status() == PushStatus.REJECTED).map(PushOutcome::remote)
                .collect(Collectors.toSet());
        return remotes.stream().filter(r -> names.contains(r.name())).toList();
    }

    private static void record(OwedPushes owed, List<PushOutcome> outcomes) throws RepoException {
        for (PushOutcome o : outcomes) {
            if (o.status() == PushStatus.OK || o.status() == PushStatus.UP_TO_DATE) {
                owed.clear(o.remote());
            } else {
                owed.recordFailure(o.remote(), o.status() + ": " + o.message());
            }
        }
    }

    /** {@code BRANCH:synced/BRANCH} and the forced {@code +git-annex:synced/git-annex}, as git annex sync pushes. */
    private List<String> refSpecs() throws RepoException {
        String branch = repo.currentBranch();
        return List.of("refs/heads/" + branch + ":refs/heads/synced/" + branch,
                "+refs/heads/git-annex:refs/heads/synced/git-annex");
    }
}
