package io.annexsync.gitsync.branch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The sibling refs of the git-annex branch (FORMAT.md §5.4): every branch or remote-tracking ref whose name ends in
 * {@code /git-annex} ({@code refs/remotes/*}{@code /git-annex}, {@code refs/heads/synced/git-annex},
 * {@code refs/remotes/*}{@code /synced/git-annex}), other than {@code refs/heads/git-annex} itself.
 */
final class Siblings {
    /** A sibling ref and the commit it points to. */
    record Sibling(String refName, RevCommit commit) {
        /** The short name git-annex shows: {@code origin/git-annex}, {@code synced/git-annex}. */
        String shortName() {
            return Repository.shortenRefName(refName);
        }
    }

    private Siblings() {}

    /** The siblings whose commits are not ancestors of {@code tip} (all of them when there is no tip), by name. */
    static List<Sibling> unmerged(Repository repo, RevWalk walk, Optional<RevCommit> tip) throws IOException {
        List<Sibling> unmerged = new ArrayList<>();
        for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_REFS)) {
            if (isSibling(ref.getName()) && ref.getObjectId() != null) {
                RevCommit commit = walk.parseCommit(ref.getObjectId());
                if (tip.isEmpty() || !isAncestor(walk, commit, tip.get())) {
                    unmerged.add(new Sibling(ref.getName(), commit));
                }
            }
        }
        return unmerged;
    }

    /** Whether {@code ancestor} is reachable from {@code descendant} (or is it). */
    static boolean isAncestor(RevWalk walk, RevCommit ancestor, RevCommit descendant) throws IOException {
        walk.reset();
        return walk.isMergedInto(ancestor, descendant);
    }

    private static boolean isSibling(String name) {
        boolean branchOrRemote = name.startsWith(Constants.R_HEADS) || name.startsWith(Constants.R_REMOTES);
        return branchOrRemote && name.endsWith("/git-annex") && !name.equals(BranchCommitter.REF);
    }
}
