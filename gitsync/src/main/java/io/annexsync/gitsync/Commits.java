package io.annexsync.gitsync;

import java.io.IOException;
import java.util.List;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.UserConfig;

/**
 * Writes a commit object of the current branch's history, by the repository's user (author and committer as git takes
 * them from the environment and the configuration), without moving any ref: the caller moves the branch with a
 * compare-and-swap on the parent it chose. Stateless.
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
            commit.setAuthor(author(git, me));
            commit.setCommitter(me);
            commit.setMessage(message.endsWith("\n") ? message : message + "\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    /**
     * The author of a commit whose committer is {@code committer}: {@code GIT_AUTHOR_NAME}/{@code GIT_AUTHOR_EMAIL}
     * before {@code user.name}/{@code user.email}, as git takes them (JGit's {@code PersonIdent(Repository)} is the
     * committer's identity), at the committer's time.
     */
    public static PersonIdent author(Repository git, PersonIdent committer) {
        UserConfig user = git.getConfig().get(UserConfig.KEY);
        return new PersonIdent(user.getAuthorName(), user.getAuthorEmail(), committer.getWhenAsInstant(),
                committer.getZoneId());
    }
}
