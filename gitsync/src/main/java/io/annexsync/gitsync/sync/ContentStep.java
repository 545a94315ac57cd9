package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.content.ItemResult;
import io.annexsync.gitsync.remote.RemoteConfig;
import java.util.List;

/**
 * The content step of {@code sync --content}, run by {@link Syncer} after the merge and before the push: whoever
 * moves content (the transfer engine's {@code io.annexsync.transfer.content.ContentSync}) gets missing content and
 * sends content on. gitsync itself moves no content.
 */
@FunctionalInterface
public interface ContentStep {
    /** Moves content between {@code repo} and {@code remotes}; one result per file that something happened to. */
    List<ItemResult> run(AnnexRepo repo, List<RemoteConfig> remotes, Progress progress) throws RepoException;
}
