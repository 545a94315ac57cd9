package io.annexsync.gitsync.branch;

import io.annexsync.gitsync.RepoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.UserConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes commits on {@code refs/heads/git-annex} as git-annex does (FORMAT.md §1.4, §5.4): the repository's git
 * identity (annex-sync when none is configured), no signature, and a compare-and-swap ref update.
 */
final class BranchCommitter {
    static final String REF = "refs/heads/git-annex";
    private static final String FALLBACK_NAME = "annex-sync";
    private static final String FALLBACK_EMAIL = "annex-sync@localhost";

    /** How old a branch lock must be, found while we hold the journal lock, to count as a killed writer's. */
    static final Duration STALE_LOCK_AGE = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(BranchCommitter.class);

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

    /**
     * Moves the branch from {@code expected} (empty: the branch must not exist) to {@code target}. Call under the
     * journal lock. Every writer of this branch, annex-sync and git-annex alike, moves it only while it holds the
     * journal lock, so a {@code git-annex.lock} that is older than {@link #STALE_LOCK_AGE} while we hold that lock was
     * left by a writer that was killed: it is removed and the update tried once more. A younger one belongs to some
     * other git process (say {@code git update-ref}) and is left, named in the error.
     */
    void updateRef(Optional<ObjectId> expected, ObjectId target, String why) throws RepoException, IOException {
        RefUpdate.Result result = tryUpdate(expected, target, why);
        if (result == RefUpdate.Result.LOCK_FAILURE && removeStaleLock()) {
            result = tryUpdate(expected, target, why);
        }
        switch (result) {
            case NEW, FAST_FORWARD, NO_CHANGE -> { }
            case LOCK_FAILURE -> throw new RepoException("cannot update " + REF + ": " + lockFile()
                    + " exists (another git process writes the branch); retry the operation");
            default -> throw new RepoException(
                    REF + " changed while annex-sync was updating it (" + result + "); retry the operation");
        }
    }

    private RefUpdate.Result tryUpdate(Optional<ObjectId> expected, ObjectId target, String why) throws IOException {
        RefUpdate update = repo.updateRef(REF);
        update.setExpectedOldObjectId(expected.orElse(ObjectId.zeroId()));
        update.setNewObjectId(target);
        update.setRefLogMessage(why, false);
        return update.update();
    }

    private Path lockFile() {
        return repo.getDirectory().toPath().resolve(REF + ".lock");
    }

    private boolean removeStaleLock() throws IOException {
        Path lock = lockFile();
        try {
            if (Files.getLastModifiedTime(lock).toInstant().isAfter(Instant.now().minus(STALE_LOCK_AGE))) {
                return false;
            }
        } catch (NoSuchFileException e) {
            return true;
        }
        boolean removed = Files.deleteIfExists(lock);
        if (removed) {
            LOG.warn("removed {}, left by a writer of the git-annex branch that was killed", lock);
        }
        return true;
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
