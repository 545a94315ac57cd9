package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.BranchMoves;
import io.annexsync.gitsync.Commits;
import io.annexsync.gitsync.RepoException;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Catches up with a current branch that something else moved since annex-sync last left it (a push into it,
 * {@code git reset}, a commit made with git), so that the index is never committed over a commit it does not come
 * from. The rules and cases are in {@code docs/sync.md}, "A branch moved under annex-sync":
 *
 * <ul>
 *   <li>moved forward, and the index is the new commit's tree: git made the index from it; taken as it is;
 *   <li>any other move: what the index holds beyond where annex-sync left the branch is committed there, the moved
 *       commit is kept under {@code refs/annex-sync/moved/BRANCH/ID}, the branch is set back to that local commit
 *       (whose tree the index and work tree hold) and the moved commit is merged into it by {@link Merger}, like a
 *       peer's branch: conflicts kept as variants, the work tree updated, local edits kept. A move back (a reset)
 *       ends as a commit on top of the commits it removed whose tree is the index's, so the files the reset removed
 *       stay removed, and a peer's copy of those commits does not bring them back.
 * </ul>
 *
 * A catch-up cut short (the process killed) leaves the moved commit under {@code refs/annex-sync/moved/}; the next
 * catch-up merges it. Not thread-safe: the repository's writer thread, like every index user.
 */
public final class MovedBranch {
    /** Where moved commits wait to be merged: {@code refs/annex-sync/moved/BRANCH/COMMIT}. */
    static final String PARKED = "refs/annex-sync/moved/";

    private final AnnexRepo repo;

    /** Catch-ups on {@code repo}, which stays open and owned by the caller. */
    public MovedBranch(AnnexRepo repo) {
        this.repo = Objects.requireNonNull(repo, "repo");
    }

    /**
     * Catches up with the current branch when it moved (what the index holds beyond where annex-sync left it is
     * committed with {@code localMessage}); empty when it had not moved and no earlier catch-up was left unfinished.
     */
    public Optional<MovedMerge> merge(String localMessage) throws RepoException {
        Objects.requireNonNull(localMessage, "localMessage");
        Optional<BranchMoves.Move> move = BranchMoves.find(repo);
        if (move.isPresent() && BranchMoves.madeTheIndex(repo, move.get())) {
            BranchMoves.Move m = move.get();
            repo.state().heads().set(m.ref(), m.head());
            return Optional.of(new MovedMerge(m.branch(), m.left(), m.head(), Optional.empty(), Optional.empty(),
                    m.head()));
        }
        try {
            Optional<String> local = Optional.empty();
            if (move.isPresent()) {
                local = setAside(move.get(), localMessage);
            }
            return mergeParked(move, local);
        } catch (IOException e) {
            throw new RepoException("cannot merge " + move.map(BranchMoves.Move::ref).orElse("the current branch")
                    + ", moved outside annex-sync, in " + repo.workTree() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Commits the index on where annex-sync left the branch (when it holds more), keeps the moved commit under
     * {@link #PARKED} and sets the branch back to the local commit; returns the local commit, if one was made.
     */
    private Optional<String> setAside(BranchMoves.Move m, String message) throws IOException, RepoException {
        Repository git = repo.git();
        ObjectId index = BranchMoves.indexTree(git);
        Optional<ObjectId> local;
        ObjectId ours;
        try (RevWalk walk = new RevWalk(git)) {
            Optional<RevCommit> left = m.left().isEmpty() ? Optional.empty()
                    : Optional.of(walk.parseCommit(ObjectId.fromString(m.left().get())));
            local = left.isPresent() && left.get().getTree().equals(index) ? Optional.empty()
                    : Optional.of(Commits.insert(git, index,
                            left.map(c -> List.<ObjectId>of(c)).orElse(List.of()), message));
            ours = local.orElseGet(() -> left.get().getId());
        }
        ObjectId head = ObjectId.fromString(m.head());
        update(PARKED + m.branch() + "/" + m.head(), Optional.empty(), head, "annex-sync: " + m.branch()
                + " as found moved outside annex-sync");
        RefUpdate.Result back = update(m.ref(), Optional.of(head), ours, "annex-sync: back to where annex-sync left "
                + m.branch() + ", to merge " + m.head() + " into it");
        if (back == RefUpdate.Result.LOCK_FAILURE || back == RefUpdate.Result.REJECTED) {
            throw new RepoException(m.ref() + " in " + repo.workTree() + " moved again while annex-sync was merging"
                    + " it (something else commits or pushes into it); run the command again");
        }
        repo.state().heads().set(m.ref(), ours.name());
        return local.map(ObjectId::name);
    }

    /** Merges every moved commit kept for the current branch into it, then drops their refs. */
    private Optional<MovedMerge> mergeParked(Optional<BranchMoves.Move> move, Optional<String> local)
            throws IOException, RepoException {
        Repository git = repo.git();
        String branch = repo.currentBranch();
        String prefix = PARKED + branch + "/";
        List<Ref> parked = git.getRefDatabase().getRefsByPrefix(prefix).stream()
                .filter(r -> r.getName().indexOf('/', prefix.length()) < 0 && r.getObjectId() != null).toList();
        if (parked.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> before = repo.head();
        MergeReport report = new Merger(repo).merge(parked.stream().map(Ref::getName).toList());
        for (Ref r : parked) {
            update(r.getName(), Optional.of(r.getObjectId()), ObjectId.zeroId(), "annex-sync: merged");
        }
        String head = repo.head().orElseThrow(() -> new RepoException(branch + " has no commit after a merge"));
        return Optional.of(new MovedMerge(branch, move.map(BranchMoves.Move::left).orElse(before),
                move.map(BranchMoves.Move::head).orElse(parked.get(0).getObjectId().name()), local,
                Optional.of(report), head));
    }

    /**
     * Moves {@code ref} from {@code expected} (empty: whatever it is) to {@code target}, the zero id deleting it;
     * a ref that moved meanwhile is left as it is ({@code LOCK_FAILURE}, {@code REJECTED}).
     */
    private RefUpdate.Result update(String ref, Optional<ObjectId> expected, ObjectId target, String why)
            throws IOException, RepoException {
        RefUpdate u = repo.git().updateRef(ref);
        expected.ifPresent(u::setExpectedOldObjectId);
        u.setForceUpdate(true);
        u.setRefLogMessage(why, false);
        RefUpdate.Result r;
        if (target.equals(ObjectId.zeroId())) {
            r = u.delete();
        } else {
            u.setNewObjectId(target);
            r = u.update();
        }
        return switch (r) {
            case NEW, FORCED, FAST_FORWARD, NO_CHANGE, LOCK_FAILURE, REJECTED -> r;
            default -> throw new RepoException("cannot move " + ref + " to " + target.name() + " in "
                    + repo.workTree() + ": " + r);
        };
    }
}
