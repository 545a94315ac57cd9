package io.annexsync.gitsync.branch;

import io.annexsync.gitsync.RepoException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/** One run of merging the unmerged sibling refs into the git-annex branch. Not thread-safe: use once. */
final class SiblingMerge {
    private static final String INCOMPATIBLE =
            "Remote repository is tuned in incompatible way; cannot be merged with local repository: ";

    private final Repository repo;
    private final BranchCommitter committer;
    private final RevWalk walk;
    private final ObjectInserter inserter;
    private final BranchWarnings warnings;

    SiblingMerge(Repository repo, BranchCommitter committer, RevWalk walk, ObjectInserter inserter,
            BranchWarnings warnings) {
        this.repo = repo;
        this.committer = committer;
        this.walk = walk;
        this.inserter = inserter;
        this.warnings = warnings;
    }

    MergeResult merge(RevCommit tip) throws IOException, RepoException {
        List<Siblings.Sibling> siblings = Siblings.unmerged(repo, walk, Optional.of(tip));
        if (siblings.isEmpty()) {
            return new MergeResult(MergeResult.Outcome.UP_TO_DATE, List.of(), Optional.of(tip));
        }
        checkDifferences(tip, siblings);
        List<String> names = siblings.stream().map(Siblings.Sibling::shortName).toList();
        List<RevCommit> heads = distinctCommits(siblings);
        Optional<RevCommit> containsAll = containingAll(tip, heads);
        if (containsAll.isPresent()) {
            committer.updateRef(Optional.of(tip), containsAll.get(), "annex-sync: fast-forward git-annex");
            return new MergeResult(MergeResult.Outcome.FAST_FORWARD, names, Optional.of(containsAll.get()));
        }
        List<ObjectId> parents = new ArrayList<>(List.of(tip));
        parents.addAll(heads);
        ObjectId tree = UnionMerge.trees(walk.getObjectReader(), inserter, parents, warnings);
        String message = "merging " + String.join(" ", names) + " into git-annex";
        ObjectId commit = committer.commit(inserter, tree, parents, message);
        inserter.flush();
        committer.updateRef(Optional.of(tip), commit, "annex-sync: " + message);
        return new MergeResult(MergeResult.Outcome.MERGED, names, Optional.of(commit));
    }

    private void checkDifferences(RevCommit tip, List<Siblings.Sibling> siblings) throws IOException, RepoException {
        Set<String> ours = AnnexBranch.differences(walk.getObjectReader(), tip, warnings);
        for (Siblings.Sibling s : siblings) {
            Set<String> theirs = AnnexBranch.differences(walk.getObjectReader(), s.commit(), warnings);
            if (!theirs.equals(ours)) {
                throw new RepoException(INCOMPATIBLE + s.shortName() + " has " + theirs + ", we have " + ours);
            }
        }
    }

    private static List<RevCommit> distinctCommits(List<Siblings.Sibling> siblings) {
        return List.copyOf(new LinkedHashSet<>(siblings.stream().map(Siblings.Sibling::commit).toList()));
    }

    /** A sibling commit that has the tip and every other sibling in its history, if there is one. */
    private Optional<RevCommit> containingAll(RevCommit tip, List<RevCommit> heads) throws IOException {
        for (RevCommit candidate : heads) {
            if (containsAll(candidate, tip, heads)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private boolean containsAll(RevCommit candidate, RevCommit tip, List<RevCommit> heads) throws IOException {
        if (!Siblings.isAncestor(walk, tip, candidate)) {
            return false;
        }
        for (RevCommit other : heads) {
            if (!Siblings.isAncestor(walk, other, candidate)) {
                return false;
            }
        }
        return true;
    }
}
