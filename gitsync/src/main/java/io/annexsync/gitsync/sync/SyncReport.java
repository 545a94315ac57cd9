package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.CommitResult;
import io.annexsync.gitsync.content.ItemResult;
import io.annexsync.gitsync.stage.StageOutcome;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@code sync} did, step by step.
 *
 * @param notAdded the work-tree files that could not be staged (left out of the commit, each with its problem)
 * @param committed the commit of the work tree's changes, if there were any
 * @param fetched one outcome per remote fetched (empty with {@code --no-pull})
 * @param merged what merging the remotes' branches did, conflicts included
 * @param content per-file outcomes of {@code --content} transfers (empty without it)
 * @param pushed one outcome per remote pushed to (empty with {@code --no-push})
 * @param owed the remotes whose push is still owed after this sync
 */
public record SyncReport(
        List<StageOutcome> notAdded,
        Optional<CommitResult> committed,
        List<FetchOutcome> fetched,
        MergeReport merged,
        List<ItemResult> content,
        List<PushOutcome> pushed,
        List<OwedPush> owed) {
    public SyncReport {
        notAdded = List.copyOf(notAdded);
        Objects.requireNonNull(committed, "committed");
        fetched = List.copyOf(fetched);
        Objects.requireNonNull(merged, "merged");
        content = List.copyOf(content);
        pushed = List.copyOf(pushed);
        owed = List.copyOf(owed);
    }

    /** Whether every file was committed, every remote pushed to and every transfer worked. */
    public boolean succeeded() {
        return notAdded.isEmpty()
                && pushed.stream().allMatch(p -> p.status() == PushStatus.OK || p.status() == PushStatus.UP_TO_DATE)
                && content.stream().allMatch(c -> c.status() != ItemResult.Status.FAILED);
    }
}
