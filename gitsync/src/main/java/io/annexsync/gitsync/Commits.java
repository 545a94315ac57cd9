package io.annexsync.gitsync;

import java.io.IOException;
import java.util.List;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;

/**
 * Writes a commit object of the current branch's history, by the repository's user (as JGit's own commit command
 * signs it), without moving any ref: the caller moves the branch with a compare-and-swap on the parent it chose.
 * Stateless.
 */
public final class Commits {
    private Commits() {}

    /** The id of a commit of {@code tree} on {@code parents} (none: a first commit), written and flushed. */
    public static ObjectId insert(Repository git, ObjectId tree, List<ObjectId> parents, String message)
            throws IOException {
        try (ObjectInserter inserter = git.newObjectInserter()) {
            PersonIdent me = new PersonIdent(git);
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree);
            commit.setParentIds(parents);
            commit.setAuthor(me);
            commit.setCommitter(me);
            commit.setMessage(message.endsWith("\n") ? message : message + "\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }
}
