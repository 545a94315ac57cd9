package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.CommitResult;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.content.ItemResult;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.remote.ssh.SshSettings;
import io.annexsync.gitsync.stage.AddOptions;
import io.annexsync.gitsync.stage.StageOutcome;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One {@code sync} of a repository with its remotes, in git-annex's order (FORMAT.md §6.1): commit the work tree,
 * push what is owed, fetch every remote in parallel, merge their branches into the current branch (conflicts
 * resolved, never stopping), union-merge their git-annex branches, move content if asked (a {@link ContentStep}),
 * push to every remote in parallel. A remote that rejects the push (someone pushed meanwhile) is fetched, merged
 * and pushed once more; one that fails is recorded as owed. Used by one thread; the daemon will call it on its
 * repository thread.
 */
public final class Syncer {
    private final AnnexRepo repo;
    private final SyncOptions options;
    private final Clock clock;
    private final Optional<ContentStep> content;
    private SshSettings ssh = SshSettings.user();

    /** A sync that moves no content: {@code options.content()} must be false. */
    public Syncer(AnnexRepo repo, SyncOptions options, Clock clock) {
        this(repo, options, clock, Optional.empty());
    }

    /**
     * A sync whose {@code --content} runs {@code content} (the transfer engine's content step) after the merge;
     * {@code options.content()} needs one.
     */
    public Syncer(AnnexRepo repo, SyncOptions options, Clock clock, Optional<ContentStep> content) {
        if (options.content() && content.isEmpty()) {
            throw new IllegalArgumentException("sync --content needs a content step (the transfer engine)");
        }
        this.repo = repo;
        this.options = options;
        this.clock = clock;
        this.content = content;
    }

    /** Reaches ssh remotes with the keys, config and known_hosts {@code settings} names (default: the user's). */
    public Syncer ssh(SshSettings settings) {
        this.ssh = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /** Runs the sync; per-remote failures are outcomes in the report, an exception means it could not run. */
    public SyncReport sync(Progress progress) throws RepoException {
        List<RemoteConfig> remotes = SyncSteps.remotes(repo, options.remotes());
        try (SyncSteps steps = SyncSteps.open(repo, options.timeout(), clock, RetryPolicy.DEFAULT, ssh)) {
            List<StageOutcome> notStaged = repo.addAll(new AddOptions(false, AddOptions.Force.NONE, options.jobs()),
                    progress).stream().filter(StageOutcome::leftOut).toList();
            Optional<CommitResult> committed = steps.commit();
            if (options.push()) {
                pushOwed(steps, remotes);
            }
            List<FetchOutcome> fetched = options.pull() ? steps.fetch(remotes) : List.of();
            List<UnsafeCommit> leftOut = new ArrayList<>();
            MergeReport merged = MergeReport.none();
            if (options.pull()) {
                SyncSteps.Merged m = steps.merge(remotes);
                merged = m.branch();
                leftOut.addAll(m.leftOut());
            }
            List<ItemResult> moved = options.content() ? content.orElseThrow().run(repo, remotes, progress) : List.of();
            repo.flush();
            List<PushOutcome> pushed = options.push() ? push(steps, remotes, leftOut) : List.of();
            return new SyncReport(committed, fetched, merged, moved, pushed, steps.owed().all(), leftOut,
                    notStaged);
        }
    }

    /** Pushes owed to remotes whose next try is due, before anything else, as the retry policy promised. */
    private static void pushOwed(SyncSteps steps, List<RemoteConfig> remotes) throws RepoException {
        List<RemoteConfig> retry = steps.dueOwed(remotes);
        if (!retry.isEmpty()) {
            steps.record(steps.push(retry));
        }
    }

    /**
     * Pushes to every remote; those that rejected it (pushed to meanwhile) are fetched, merged and pushed again; what
     * that merge left out as unsafe is added to {@code leftOut}.
     */
    private List<PushOutcome> push(SyncSteps steps, List<RemoteConfig> remotes, List<UnsafeCommit> leftOut)
            throws RepoException {
        List<PushOutcome> outcomes = new ArrayList<>(steps.push(remotes));
        List<RemoteConfig> rejected = rejected(outcomes, remotes);
        if (!rejected.isEmpty()) {
            steps.fetch(rejected);
            leftOut.addAll(steps.merge(remotes).leftOut());
            repo.flush();
            List<PushOutcome> again = steps.push(rejected);
            outcomes.replaceAll(o -> again.stream().filter(a -> a.remote().equals(o.remote())).findFirst().orElse(o));
        }
        steps.record(outcomes);
        return outcomes;
    }

    /** Of {@code remotes}, those whose push was rejected. */
    public static List<RemoteConfig> rejected(List<PushOutcome> outcomes, List<RemoteConfig> remotes) {
        var names = outcomes.stream().filter(o -> o.status() == PushStatus.REJECTED).map(PushOutcome::remote)
                .collect(Collectors.toSet());
        return remotes.stream().filter(r -> names.contains(r.name())).toList();
    }
}
