package io.annexsync.gitsync;

import java.io.IOException;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.UserConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/** Commits the index to the current branch with JGit, and the git-annex journal to the git-annex branch. */
final class Committer {
    private final AnnexRepo repo;

    Committer(AnnexRepo repo) {
        this.repo = repo;
    }

    Optional<CommitResult> commit(String message) throws RepoException {
        Repository git = repo.git();
        try {
            ObjectId head = git.resolve("HEAD^{tree}");
            ObjectId staged;
            DirCache index = git.readDirCache();
            try (ObjectInserter inserter = git.newObjectInserter()) {
                staged = index.writeTree(inserter);
                inserter.flush();
            }
            Optional<CommitResult> result = Optional.empty();
            // no empty first commit: two new repositories would each start a history of their own, and their peers
            // would merge unrelated histories; the first file makes the first commit, or a peer's branch arrives
            boolean nothingYet = head == null && index.getEntryCount() == 0;
            if (!staged.equals(head) && !nothingYet) {
                result = Optional.of(commitIndex(git, message, head, staged));
            }
            repo.flush();
            return result;
        } catch (IOException | GitAPIException e) {
            throw new RepoException("cannot commit: " + e.getMessage(), e);
        }
    }

    private static CommitResult commitIndex(Repository git, String message, ObjectId oldTree, ObjectId newTree)
            throws GitAPIException, IOException {
        try (Git g = new Git(git)) {
            UserConfig user = git.getConfig().get(UserConfig.KEY); // GIT_AUTHOR_* first, as git: JGit's default
            RevCommit c = g.commit().setMessage(message).setNoVerify(true).setSign(false) // author is the committer
                    .setAuthor(user.getAuthorName(), user.getAuthorEmail()).call();
            return new CommitResult(git.getBranch(), c.getName(), changedPaths(git, oldTree, newTree));
        }
    }

    private static int changedPaths(Repository git, ObjectId oldTree, ObjectId newTree) throws IOException {
        try (RevWalk rw = new RevWalk(git); TreeWalk tw = new TreeWalk(git)) {
            tw.setRecursive(true);
            tw.setFilter(TreeFilter.ANY_DIFF);
            if (oldTree == null) {
                tw.addTree(new org.eclipse.jgit.treewalk.EmptyTreeIterator());
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
