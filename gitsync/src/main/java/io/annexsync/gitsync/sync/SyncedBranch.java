package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.RepoException;
import java.io.IOException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;

/**
 * Keeps {@code refs/heads/synced/BRANCH} at the branch, as {@code git branch -f synced/master master} in git-annex, but
 * only forward: a peer may push into {@code synced/BRANCH} between our merge and this update, and its commit, which the
 * merge did not see, must stay there for the next merge rather than be overwritten.
 */
final class SyncedBranch {
    private SyncedBranch() {}

    static void update(Repository git, String branch) throws RepoException {
        try {
            ObjectId head = git.resolve("refs/heads/" + branch);
            if (head == null) {
                return;
            }
            Ref synced = git.exactRef("refs/heads/synced/" + branch);
            if (synced != null && head.equals(synced.getObjectId())) {
                return; // nothing to do, and no lock taken that a peer pushing into synced/BRANCH would run into
            }
            RefUpdate u = git.updateRef("refs/heads/synced/" + branch);
            u.setNewObjectId(head);
            u.setRefLogMessage("annex-sync: synced with " + branch, false);
            RefUpdate.Result r = u.update();
            if (r == RefUpdate.Result.REJECTED || r == RefUpdate.Result.LOCK_FAILURE) {
                return; // a peer pushed meanwhile (or pushes now): its commit is merged next time
            }
            if (r == RefUpdate.Result.IO_FAILURE) {
                throw new RepoException("cannot move synced/" + branch + ": " + r);
            }
        } catch (IOException e) {
            throw new RepoException("cannot move synced/" + branch + ": " + e.getMessage(), e);
        }
    }
}
