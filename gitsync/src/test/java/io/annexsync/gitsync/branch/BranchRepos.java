package io.annexsync.gitsync.branch;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.transport.RefSpec;

/** Test fixture: JGit repositories with a fixed identity, and moving git-annex branches between them. */
final class BranchRepos {
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L, 123_456_789), ZoneOffset.UTC);

    private BranchRepos() {}

    /** A new non-bare repository in {@code dir} with a fixed user identity. */
    static Repository init(Path dir) throws GitAPIException, IOException {
        Repository repo = Git.init().setDirectory(dir.toFile()).setInitialBranch("master").call().getRepository();
        configureIdentity(repo);
        return repo;
    }

    /** An existing repository (made by real git) with a fixed user identity. */
    static Repository open(Path dir) throws IOException {
        Repository repo = Git.open(dir.toFile()).getRepository();
        configureIdentity(repo);
        return repo;
    }

    private static void configureIdentity(Repository repo) throws IOException {
        StoredConfig config = repo.getConfig();
        config.setString("user", null, "name", "Lab User");
        config.setString("user", null, "email", "lab@example.com");
        config.save();
    }

    static AnnexBranch branch(Repository repo) {
        return new AnnexBranch(repo, repo.getDirectory().toPath().resolve("annex"), CLOCK);
    }

    /** Fetches {@code from}'s git-annex branch into {@code into} as {@code refName}. */
    static void fetchBranch(Repository into, Repository from, String refName) throws GitAPIException {
        Git.wrap(into).fetch()
                .setRemote(from.getDirectory().toURI().toString())
                .setRefSpecs(new RefSpec("+refs/heads/git-annex:" + refName))
                .call();
    }
}
