package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.content.ContentOps;
import io.annexsync.gitsync.content.ItemResult;
import io.annexsync.gitsync.remote.RemoteConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code sync --content}: every annexed file's content is fetched here when missing, then sent to every remote that
 * lacks it, so every repository ends with every file (numcopies and preferred content come later; the network map
 * later replaces "every remote" by the cheapest tree). Presence is checked in the remote's store itself, not only
 * in the location log, so a stale log never skips a copy.
 */
final class ContentSync {
    private final AnnexRepo repo;

    ContentSync(AnnexRepo repo) {
        this.repo = repo;
    }

    /** Gets and sends content; the location logs of every new copy are written once at the end. */
    List<ItemResult> run(List<RemoteConfig> remotes, Progress progress) throws RepoException {
        try (ContentOps ops = new ContentOps(repo)) {
            return run(ops, remotes, progress);
        }
    }

    private List<ItemResult> run(ContentOps ops, List<RemoteConfig> remotes, Progress progress)
            throws RepoException {
        List<ItemResult> results = new ArrayList<>();
        List<AnnexedFile> files = repo.annexedFiles(List.of(repo.workTree()));
        for (AnnexedFile f : files) {
            ItemResult got = ops.get(f, Optional.empty(), progress);
            if (got.status() != ItemResult.Status.NOTHING_TO_DO) {
                results.add(got);
            }
        }
        for (RemoteConfig remote : remotes) {
            if (remote.ignored() || !reachable(ops, remote)) {
                continue;
            }
            for (AnnexedFile f : files) {
                if (repo.hasContent(f.key())) {
                    ItemResult sent = ops.copyTo(f, remote.name(), progress);
                    if (sent.status() != ItemResult.Status.NOTHING_TO_DO) {
                        results.add(sent);
                    }
                }
            }
        }
        return results;
    }

    private static boolean reachable(ContentOps ops, RemoteConfig remote) {
        try {
            ops.open(remote);
            return true;
        } catch (RepoException e) {
            return false;
        }
    }
}
