package io.annexsync.transfer.content;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.UnsafePathException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.WorkTreeFiles;
import io.annexsync.gitsync.branch.TrustLevel;
import io.annexsync.gitsync.content.ContentOps;
import io.annexsync.gitsync.content.ItemResult;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.store.RemoveOutcome;
import io.annexsync.transfer.remote.Locking;
import io.annexsync.transfer.remote.OpenRemotes;
import io.annexsync.transfer.remote.Remote;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drops local content only when it is safe, as git-annex does: copies in trusted repositories count as they are;
 * every other copy is verified present in the remote and locked there ({@link Remote#lockContent}, so it cannot be
 * dropped at the same moment) until the local copy is gone. Untrusted and dead repositories never count. Remotes of
 * every kind count, opened through the command's {@link OpenRemotes}. Used by one thread.
 */
public final class Dropper {
    private final AnnexRepo repo;
    private final ContentOps ops;
    private final OpenRemotes remotes;

    /** Drops in {@code repo}; work-tree files it empties are noted in {@code ops} for its index refresh. */
    public Dropper(AnnexRepo repo, ContentOps ops, OpenRemotes remotes) {
        this.repo = repo;
        this.ops = ops;
        this.remotes = remotes;
    }

    /** Drops the local copy when numcopies other copies are verified; otherwise refuses and keeps it. */
    public ItemResult drop(AnnexedFile file) throws RepoException {
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
        List<Locking.Lock> locks = new ArrayList<>();
        try {
            Map<Uuid, TrustLevel> trust = repo.branch().trust();
            int have = trustedCopies(key, trust);
            for (RemoteConfig remote : repo.remotes().stream().filter(r -> !r.ignored()).toList()) {
                if (have >= need) {
                    break;
                }
                if (lockRemoteCopy(remote, key, trust, locks)) {
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
            release(locks);
        }
    }

    private int trustedCopies(Key key, Map<Uuid, TrustLevel> trust) throws RepoException {
        Set<Uuid> where = repo.branch().locations(key);
        return (int) where.stream()
                .filter(u -> !u.equals(repo.uuid()) && trust.get(u) == TrustLevel.TRUSTED)
                .count();
    }

    /** Opens the remote and takes a shared lock on its copy; true if the copy is there and now locked. */
    private boolean lockRemoteCopy(RemoteConfig remote, Key key, Map<Uuid, TrustLevel> trust,
            List<Locking.Lock> locks) {
        try {
            if (remote.uuid().filter(u -> trust.get(u) == TrustLevel.TRUSTED).isPresent()) {
                return false; // already counted without verification
            }
            Remote r = remotes.open(remote.name());
            if (r.uuid().equals(repo.uuid())) {
                return false;
            }
            if (r.lockContent(key) instanceof Locking.Locked locked) {
                locks.add(locked.lock());
                return true;
            }
            return false;
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

    private static void release(List<Locking.Lock> locks) throws RepoException {
        RepoException first = null;
        for (Locking.Lock l : locks) {
            try {
                l.close();
            } catch (RepoException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
