package io.annexsync.gitsync;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.ReflogEntry;
import org.eclipse.jgit.lib.ReflogReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Tells whether the current branch is still where annex-sync last left it ({@link HeadRecord}), and takes a branch
 * that git moved forward together with the index as annex-sync's own. The merge of any other move is
 * {@code sync.MovedBranch}; {@code docs/sync.md} ("A branch moved under annex-sync") gives every case. Stateless;
 * run it on the repository's writer thread, like every index user.
 */
public final class BranchMoves {
    /** The reflog message C git's receive-pack (and JGit's) writes for a ref a push updated. */
    private static final String PUSH = "push";
    /** How far back the reflog is read for a branch without a record. */
    private static final int REFLOG_ENTRIES = 1000;

    private BranchMoves() {}

    /**
     * A current branch that is not where annex-sync last left it.
     *
     * @param ref the branch's full name ({@code refs/heads/main})
     * @param left the commit annex-sync last left it at; empty when it left the branch unborn
     * @param head the commit it points to now
     */
    public record Move(String ref, Optional<String> left, String head) {
        public Move {
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(head, "head");
        }

        /** The branch's short name ({@code main}). */
        public String branch() {
            return Repository.shortenRefName(ref);
        }
    }

    /**
     * The current branch's move since annex-sync last left it; empty when it did not move, and for an unborn or
     * detached HEAD and a bare repository. Without a record (a repository annex-sync used before it kept one, or
     * whose record is gone), the branch's reflog tells: its newest entry that a push did not write is where the work
     * tree was last made from (a branch whose every entry is a push was made by one, from nothing), so a push that
     * moved the branch before annex-sync kept records is merged all the same. That reading is recorded.
     */
    public static Optional<Move> find(AnnexRepo repo) throws RepoException {
        Repository git = repo.git();
        if (git.isBare()) {
            return Optional.empty();
        }
        try {
            Optional<Ref> branch = currentBranch(git).filter(r -> r.getObjectId() != null);
            if (branch.isEmpty()) {
                return Optional.empty();
            }
            String ref = branch.get().getName();
            String head = branch.get().getObjectId().name();
            Optional<String> recorded = repo.state().heads().get(ref).filter(id -> unbornOrCommit(git, id));
            String left = recorded.or(() -> fromReflog(git, ref)).orElse(head);
            if (recorded.isEmpty()) {
                repo.state().heads().set(ref, left);
            }
            Optional<String> leftCommit = Optional.of(left).filter(id -> !ObjectId.zeroId().name().equals(id));
            return left.equals(head) ? Optional.empty() : Optional.of(new Move(ref, leftCommit, head));
        } catch (IOException e) {
            throw new RepoException("cannot read HEAD in " + repo.workTree() + ": " + e.getMessage(), e);
        }
    }

    /** Records that annex-sync leaves the current branch where it points now (after a commit or a merge). */
    public static void leftHere(AnnexRepo repo) throws RepoException {
        try {
            Optional<Ref> branch = currentBranch(repo.git()).filter(r -> r.getObjectId() != null);
            if (branch.isPresent()) {
                repo.state().heads().set(branch.get().getName(), branch.get().getObjectId().name());
            }
        } catch (IOException e) {
            throw new RepoException("cannot read HEAD in " + repo.workTree() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Records that annex-sync leaves the current branch unborn, when it is (at {@code init}), so that a branch a
     * push makes there before the first commit is merged, not committed over.
     */
    static void leftUnborn(Repository git, HeadRecord heads) throws IOException, RepoException {
        String ref = git.getFullBranch();
        if (ref != null && ref.startsWith(Constants.R_HEADS) && git.exactRef(ref) == null
                && heads.get(ref).isEmpty()) {
            heads.set(ref, ObjectId.zeroId().name());
        }
    }

    /**
     * Before annex-sync stages anything: when the branch moved forward and the index is exactly its new tree, git
     * made the index from it (a {@code git commit}, a push with {@code receive.denyCurrentBranch=updateInstead}, a
     * {@code git merge}, {@code git annex sync} run here), so the work tree's changes are changes on top of it, and
     * the branch is taken as annex-sync's own. Any other move is left for the commit or merge to merge.
     *
     * @return the move taken, if any
     */
    public static Optional<Move> adoptIfIndexMatches(AnnexRepo repo) throws RepoException {
        Optional<Move> move = find(repo);
        if (move.isPresent() && madeTheIndex(repo, move.get())) {
            repo.state().heads().set(move.get().ref(), move.get().head());
            return move;
        }
        return Optional.empty();
    }

    /** Whether {@code move} went forward and the index holds the new commit's tree, as when git itself moved both. */
    public static boolean madeTheIndex(AnnexRepo repo, Move move) throws RepoException {
        Repository git = repo.git();
        try (RevWalk walk = new RevWalk(git)) {
            RevCommit head = walk.parseCommit(ObjectId.fromString(move.head()));
            boolean forward = move.left().isEmpty()
                    || walk.isMergedInto(walk.parseCommit(ObjectId.fromString(move.left().get())), head);
            return forward && indexTree(git).equals(head.getTree());
        } catch (IOException e) {
            throw new RepoException("cannot compare " + move.ref() + " with where annex-sync left it in "
                    + repo.workTree() + ": " + e.getMessage(), e);
        }
    }

    /** The tree the index holds now (its tree objects are written, as a commit of it would write them). */
    public static ObjectId indexTree(Repository git) throws IOException {
        DirCache index = git.readDirCache();
        try (ObjectInserter inserter = git.newObjectInserter()) {
            ObjectId tree = index.writeTree(inserter);
            inserter.flush();
            return tree;
        }
    }

    private static Optional<Ref> currentBranch(Repository git) throws IOException {
        String ref = git.getFullBranch();
        return ref == null || !ref.startsWith(Constants.R_HEADS) ? Optional.empty() : Optional.ofNullable(
                git.exactRef(ref));
    }

    /**
     * Where the reflog of {@code ref} says the work tree was last made from: the new id of its newest entry a push
     * did not write; the zero id when every entry is a push and the first made the branch. Empty without a reflog.
     */
    private static Optional<String> fromReflog(Repository git, String ref) {
        try {
            ReflogReader reader = git.getRefDatabase().getReflogReader(ref);
            List<ReflogEntry> entries = reader == null ? List.of() : reader.getReverseEntries(REFLOG_ENTRIES);
            for (ReflogEntry e : entries) {
                if (!e.getComment().startsWith(PUSH)) {
                    return Optional.of(e.getNewId().name()).filter(id -> unbornOrCommit(git, id));
                }
            }
            boolean madeByAPush = !entries.isEmpty() && entries.size() < REFLOG_ENTRIES
                    && entries.get(entries.size() - 1).getOldId().equals(ObjectId.zeroId());
            return madeByAPush ? Optional.of(ObjectId.zeroId().name()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // no usable reflog: the branch is taken as annex-sync finds it
        }
    }

    private static boolean unbornOrCommit(Repository git, String id) {
        if (ObjectId.zeroId().name().equals(id)) {
            return true;
        }
        try (RevWalk walk = new RevWalk(git)) {
            walk.parseCommit(ObjectId.fromString(id));
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false; // pruned since, or not a commit: as if there were no record
        }
    }
}
