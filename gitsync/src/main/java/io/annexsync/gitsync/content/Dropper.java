package io.annexsync.gitsync.content;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.UnsafePathException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.WorkTreeFiles;
import io.annexsync.gitsync.branch.TrustLevel;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.remote.PathRemote;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.store.ContentLock;
import io.annexsync.gitsync.store.RemoveOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Drops local content only when it is safe, as git-annex does: copies in trusted repositories count as they are;
 * every other copy is verified present in the remote and locked there (a shared content lock, so it cannot be
 * dropped at the same moment) until the local copy is gone. Untrusted and dead repositories never count.
 */
final class Dropper {
    private final AnnexRepo repo;
    private final ContentOps ops;

    Dropper(AnnexRepo repo, ContentOps ops) {
        this.repo = repo;
        this.ops = ops;
    }

    ItemResult drop(AnnexedFile file) throws RepoException {
        Key key = file.key();
        if (!repo.hasContent(key)) {
            return ItemResult.nothingToDo(file.path(), key);
        }
        try {
            WorkTreeFiles.checkWritable(repo, file);
        } catch (UnsafePathException e) {
            return ItemResult.failed(file.path(), key, "", e.getMessage() + "; the content stays here");
        }
        int need = repo.numcopies();
        List<PathRemote> opened = new ArrayList<>();
        List<ContentLock> locks = new ArrayList<>();
        try {
            Map<Uuid, TrustLevel> trust = repo.branch().trust();
            int have = trustedCopies(key, trust);
            for (RemoteConfig remote : ops.candidates(Optional.empty())) {
                if (have >= need) {
                    break;
                }
                if (lockRemoteCopy(remote, key, trust, opened, locks)) {
                    have++;
                }
            }
            if (have < need) {
                return ItemResult.failed(file.path(), key, "unsafe", "Could only verify the existence of " + have
                        + " out of " + need + " necessary cop" + (need == 1 ? "y" : "ies")
                        + "\n(Copy it to another repository first with 'annex-sync copy --to REMOTE', or lower"
                        + " numcopies.)");
            }
            return removeLocal(file);
        } finally {
            release(locks, opened);
        }
    }

    private int trustedCopies(Key key, Map<Uuid, TrustLevel> trust) throws RepoException {
        Set<Uuid> where = repo.branch().locations(key);
        return (int) where.stream()
                .filter(u -> !u.equals(repo.uuid()) && trust.get(u) == TrustLevel.TRUSTED)
                .count();
    }

    /** Opens the remote and takes a shared lock on its copy; true if the copy is there and now locked. */
    private boolean lockRemoteCopy(RemoteConfig remote, Key key, Map<Uuid, TrustLevel> trust, List<PathRemote> opened,
            List<ContentLock> locks) {
        try {
            if (remote.uuid().filter(u -> trust.get(u) == TrustLevel.TRUSTED).isPresent()) {
                return false; // already counted without verification
            }
            PathRemote r = PathRemote.open(remote, repo.workTree());
            opened.add(r);
            if (r.repo().uuid().equals(repo.uuid()) || !r.repo().hasContent(key)) {
                return false;
            }
            ContentLock lock = r.repo().store().lockShared(key);
            locks.add(lock);
            return r.repo().hasContent(key);
        } catch (RepoException e) {
            return false; // unreachable remotes do not count; the failure message says how many were verified
        }
    }

    private ItemResult removeLocal(AnnexedFile file) throws RepoException {
        Key key = file.key();
        RemoveOutcome outcome = repo.store().remove(key);
        if (outcome == RemoveOutcome.LOCKED) {
            return ItemResult.failed(file.path(), key, "", "content is in use (locked by another process); try again");
        }
        if (WorkTreeFiles.depopulate(repo, file)) {
            ops.touched(file.path());
        }
        repo.branch().setLocation(key, repo.uuid(), false);
        return ItemResult.ok(file.path(), key, "");
    }

    private static void release(List<ContentLock> locks, List<PathRemote> opened) throws RepoException {
        RepoException first = null;
        for (ContentLock l : locks) {
            try {
                l.close();
            } catch (RepoException e) {
                first = first == null ? e : first;
            }
        }
        opened.forEach(PathRemote::close);
        if (first != null) {
            throw first;
        }
    }
}
