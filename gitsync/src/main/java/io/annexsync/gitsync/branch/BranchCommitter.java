package io.annexsync.gitsync.branch;

import io.annexsync.gitsync.RepoException;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.UserConfig;

/**
 * Makes commits on {@code refs/heads/git-annex} as git-annex does (FORMAT.md §1.4, §5.4): the repository's git
 * identity (annex-sync when none is configured), no signature, and a compare-and-swap ref update.
 */
final class BranchCommitter {
    static final String REF = "refs/heads/git-annex";
    private static final String FALLBACK_NAME = "annex-sync";
    private static final String FALLBACK_EMAIL = "annex-sync@localhost";

    private final Repository repo;
    private final Clock clock;

    BranchCommitter(Repository repo, Clock clock) {
        this.repo = repo;
        this.clock = clock;
    }

    /** Writes a commit; the caller flushes the inserter. */
    ObjectId commit(ObjectInserter inserter, ObjectId tree, List<ObjectId> parents, String message)
            throws IOException {
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree);
        commit.setParentIds(parents);
        commit.setAuthor(author());
        commit.setCommitter(committer());
        commit.setMessage(message);
        return inserter.insert(commit);
    }

    /** Moves the branch from {@code expected} (empty: the branch must not exist) to {@code target}. */
    void updateRef(Optional<ObjectId> expected, ObjectId target, String why) throws RepoException, IOException {
        RefUpdate update = repo.updateRef(REF);
        update.setExpectedOldObjectId(expected.orElse(ObjectId.zeroId()));
        update.setNewObjectId(target);
        update.setRefLogMessage(why, false);
        RefUpdate.Result result = update.update();
        switch (result) {
            case NEW, FAST_FORWARD, NO_CHANGE -> { }
            default -> throw new RepoException(
                    REF + " changed while annex-sync was updating it (" + result + "); retry the operation");
        }
    }

    private PersonIdent author() {
        UserConfig user = repo.getConfig().get(UserConfig.KEY);
        return ident(user.isAuthorNameImplicit() ? FALLBACK_NAME : user.getAuthorName(),
                user.isAuthorEmailImplicit() ? FALLBACK_EMAIL : user.getAuthorEmail());
    }

    private PersonIdent committer() {
        UserConfig user = repo.getConfig().get(UserConfig.KEY);
        return ident(user.isCommitterNameImplicit() ? FALLBACK_NAME : user.getCommitterName(),
                user.isCommitterEmailImplicit() ? FALLBACK_EMAIL : user.getCommitterEmail());
    }

    private PersonIdent ident(String name, String email) {
        return new PersonIdent(name, email, clock.instant(), clock.getZone());
    }
}
