package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.remote.Remotes;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.Assumptions;

/** Repositories made with JGit for the sync tests: a repository with main and git-annex, its clones, a hung one. */
final class SyncRepos {
    private static final PersonIdent WHO = new PersonIdent("Sync Test", "sync@example.com");

    private SyncRepos() {}

    /** A repository at {@code dir} with a commit on {@code main} (checked out) and on {@code git-annex}. */
    static Git origin(Path dir) throws IOException, GitAPIException {
        Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        identify(git.getRepository());
        Files.writeString(dir.resolve("readme.txt"), "hello\n");
        git.add().addFilepattern("readme.txt").call();
        git.commit().setMessage("first").call();
        git.branchCreate().setName("git-annex").call();
        commitOn(git.getRepository(), "git-annex", "git-annex update");
        return git;
    }

    /** A clone of {@code source} at {@code dir}, bare or with {@code main} checked out. */
    static Git cloneOf(Path source, Path dir, boolean bare) throws IOException, GitAPIException {
        Git git = Git.cloneRepository().setURI(source.toString()).setDirectory(dir.toFile()).setBare(bare).call();
        identify(git.getRepository());
        return git;
    }

    private static void identify(Repository repo) throws IOException {
        StoredConfig config = repo.getConfig();
        config.setString("user", null, "name", WHO.getName());
        config.setString("user", null, "email", WHO.getEmailAddress());
        config.setString("gc", null, "auto", "0");
        config.save();
    }

    /** Adds the remote {@code name} at {@code path} to {@code repo} the way {@code annex-sync} does. */
    static RemoteConfig addRemote(Repository repo, String name, Path path) throws RepoException {
        return Remotes.add(repo, name, path);
    }

    /** Moves {@code branch} to a new commit on top of it (same tree), without touching a work tree. */
    static ObjectId commitOn(Repository repo, String branch, String message) throws IOException {
        String ref = Constants.R_HEADS + branch;
        ObjectId parent = repo.resolve(ref);
        try (ObjectInserter inserter = repo.newObjectInserter(); RevWalk walk = new RevWalk(repo)) {
            RevCommit head = walk.parseCommit(parent);
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(head.getTree());
            commit.setParentId(parent);
            commit.setAuthor(WHO);
            commit.setCommitter(WHO);
            commit.setMessage(message);
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            RefUpdate update = repo.updateRef(ref);
            update.setNewObjectId(id);
            update.setExpectedOldObjectId(parent);
            RefUpdate.Result result = update.update(walk);
            if (result != RefUpdate.Result.FAST_FORWARD) {
                throw new IOException("cannot move " + ref + ": " + result);
            }
            return id;
        }
    }

    /** Replaces the file {@code file} with a FIFO, so whoever opens it to read blocks until a writer comes. */
    static void replaceWithFifo(Path file) throws IOException, InterruptedException {
        Files.delete(file);
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", file.toString()).inheritIO().start();
        } catch (IOException e) {
            Assumptions.abort("mkfifo is not available (coreutils): " + e.getMessage());
            throw e;
        }
        Assumptions.assumeTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo failed");
    }

    /** Lets whoever is blocked opening the FIFO go on (it reads an empty file); opening read-write never blocks. */
    static void release(Path fifo) throws IOException {
        FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
    }
}
