package io.annexsync.gitsync;

import io.annexsync.gitsync.sync.MovedBranch;
import io.annexsync.gitsync.sync.MovedMerge;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * Commits the index to the current branch, and the git-annex journal to the git-annex branch. A branch that
 * something else moved since annex-sync last left it is caught up with first ({@link MovedBranch}), so the index is
 * never committed over a commit it does not come from: the commit goes on the commit annex-sync left the branch at,
 * and moves the branch only from there (compare-and-swap); when the branch moves in between, it is caught up with
 * again and the commit tried again.
 */
final class Committer {
    /** How often a commit is tried when the branch keeps moving under it (each time caught up with first). */
    private static final int ATTEMPTS = 3;

    private final AnnexRepo repo;

    Committer(AnnexRepo repo) {
        this.repo = repo;
    }

    Optional<CommitResult> commit(String message) throws RepoException {
        Optional<MovedMerge> moved = Optional.empty();
        try {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                Optional<MovedMerge> again = new MovedBranch(repo).merge(message);
                if (again.isPresent()) {
                    moved = again;
                }
                Attempt a = commitOnce(message, moved);
                if (!a.raced()) {
                    repo.flush();
                    return a.result();
                }
            }
            throw new RepoException("cannot commit in " + repo.workTree() + ": " + repo.git().getFullBranch()
                    + " kept moving under annex-sync (something else commits or pushes into it); run the command"
                    + " again");
        } catch (IOException e) {
            throw new RepoException("cannot commit in " + repo.workTree() + ": " + e.getMessage(), e);
        }
    }

    /** One try: what was done (empty when nothing changed), unless the branch moved under it ({@code raced}). */
    private record Attempt(boolean raced, Optional<CommitResult> result) {}

    /** Commits the index on the branch, which must be where annex-sync left it. */
    private Attempt commitOnce(String message, Optional<MovedMerge> moved) throws IOException, RepoException {
        Repository git = repo.git();
        ObjectId head = git.resolve(Constants.HEAD + "^{commit}");
        String ref = git.getFullBranch();
        Optional<String> left = ref != null && ref.startsWith(Constants.R_HEADS) ? repo.state().heads().get(ref)
                : Optional.empty();
        if (head != null && left.isPresent() && !left.get().equals(head.name())) {
            return new Attempt(true, Optional.empty()); // moved since the catch-up
        }
        ObjectId headTree = git.resolve(Constants.HEAD + "^{tree}");
        DirCache index = git.readDirCache();
        ObjectId staged;
        try (ObjectInserter inserter = git.newObjectInserter()) {
            staged = index.writeTree(inserter);
            inserter.flush();
        }
        int local = moved.map(this::localChanges).orElse(0);
        // no empty first commit: two new repositories would each start a history of their own, and their peers
        // would merge unrelated histories; the first file makes the first commit, or a peer's branch arrives
        boolean nothingYet = head == null && index.getEntryCount() == 0;
        if (staged.equals(headTree) || nothingYet) {
            BranchMoves.leftHere(repo);
            return new Attempt(false, moved.map(m -> new CommitResult(m.branch(), m.head(), local, moved)));
        }
        ObjectId commit = Commits.insert(git, staged, head == null ? List.of() : List.of(head), message);
        if (!moveBranch(git, head, commit, message)) {
            return new Attempt(true, Optional.empty());
        }
        BranchMoves.leftHere(repo);
        int changed = changedPaths(git, headTree, staged) + local;
        return new Attempt(false, Optional.of(new CommitResult(git.getBranch(), commit.name(), changed, moved)));
    }

    /** Moves HEAD from {@code head} (null: unborn) to {@code commit}; false when it no longer is {@code head}. */
    private static boolean moveBranch(Repository git, ObjectId head, ObjectId commit, String message)
            throws IOException, RepoException {
        RefUpdate update = git.updateRef(Constants.HEAD);
        update.setExpectedOldObjectId(head == null ? ObjectId.zeroId() : head);
        update.setNewObjectId(commit);
        update.setRefLogMessage((head == null ? "commit (initial): " : "commit: ")
                + message.lines().findFirst().orElse(""), false);
        RefUpdate.Result result = update.update();
        return switch (result) {
            case NEW, FAST_FORWARD, FORCED -> true;
            case LOCK_FAILURE, REJECTED -> false;
            default -> throw new RepoException("cannot move " + git.getFullBranch() + " to the new commit "
                    + commit.name() + ": " + result);
        };
    }

    /** How many paths the commit of what the index held beyond where annex-sync had left the branch changed. */
    private int localChanges(MovedMerge moved) {
        if (moved.localCommit().isEmpty()) {
            return 0;
        }
        Repository git = repo.git();
        try (RevWalk rw = new RevWalk(git)) {
            RevCommit local = rw.parseCommit(ObjectId.fromString(moved.localCommit().get()));
            ObjectId parentTree = local.getParentCount() == 0 ? null : rw.parseCommit(local.getParent(0)).getTree();
            return changedPaths(git, parentTree, local.getTree());
        } catch (IOException e) {
            return 0; // only a figure for the report; the commit is there
        }
    }

    private static int changedPaths(Repository git, ObjectId oldTree, ObjectId newTree) throws IOException {
        try (RevWalk rw = new RevWalk(git); TreeWalk tw = new TreeWalk(git)) {
            tw.setRecursive(true);
            tw.setFilter(TreeFilter.ANY_DIFF);
            if (oldTree == null) {
                tw.addTree(new EmptyTreeIterator());
            } else {
                tw.addTree(rw.parseTree(oldTree));
            }
            tw.addTree(rw.parseTree(newTree));
            int n = 0;
            while (tw.next()) {
                n++;
            }
            return n;
        }
    }
}
