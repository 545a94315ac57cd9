package io.annexsync.gitsync.stage;

import java.io.IOException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.lib.Repository;

/**
 * Locks the git index for writing without tying it to the repository. JGit's {@code Repository.lockDirCache()}
 * re-checks every "smudged" entry (one written too close to the index's own timestamp) through the clean filter when
 * the index is written; in an annexed repository that filter is git-annex, started once per entry, so a write after
 * touching thousands of files started thousands of processes (and failed where git-annex is not installed). Entries
 * stay smudged instead, as git leaves them, and git or annex-sync's status re-checks them by their content.
 */
public final class IndexLocks {
    private IndexLocks() {}

    /** The index of {@code repo}, read and locked; write, commit and unlock it as any {@link DirCache}. */
    public static DirCache lock(Repository repo) throws IOException {
        return DirCache.lock(repo.getIndexFile(), repo.getFS());
    }
}
