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
 * @param committed the commit of the work tree's changes, if there were any
 * @param fetched one outcome per remote fetched (empty with {@code --no-pull})
 * @param merged what merging the remotes' branches did, conflicts included
 * @param content per-file outcomes of {@code --content} transfers (empty without it)
 * @param pushed one outcome per remote pushed to (empty with {@code --no-push})
 * @param owed the remotes whose push is still owed after this sync
 * @param leftOut the incoming commits whose unsafe paths were left out and not reported before (docs/sync.md)
 * @param notStaged the changed files left out of the commit: refused (a pointer file with content appended) or
 *     unreadable, each with its problem (the FIFOs, sockets and devices skipped are not among them: nothing is wrong)
 */
public record SyncReport(
        Optional<CommitResult> committed,
        List<FetchOutcome> fetched,
        MergeReport merged,
        List<ItemResult> content,
        List<PushOutcome> pushed,
        List<OwedPush> owed,
        List<UnsafeCommit> leftOut,
        List<StageOutcome> notStaged) {
    public SyncReport {
        Objects.requireNonNull(committed, "committed");
        fetched = List.copyOf(fetched);
        Objects.requireNonNull(merged, "merged");
        content = List.copyOf(content);
        pushed = List.copyOf(pushed);
        owed = List.copyOf(owed);
        leftOut = List.copyOf(leftOut);
        notStaged = List.copyOf(notStaged);
    }

    /**
     * Whether every change was committed, every remote was pushed to, every transfer worked, and no unsafe path was
     * newly left out.
     */
    public boolean succeeded() {
        return notStaged.isEmpty()
                && pushed.stream().allMatch(p -> p.status() == PushStatus.OK || p.status() == PushStatus.UP_TO_DATE)
                && content.stream().allMatch(c -> c.status() != ItemResult.Status.FAILED)
                && leftOut.isEmpty();
    }
}
