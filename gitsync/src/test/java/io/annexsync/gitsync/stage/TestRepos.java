package io.annexsync.gitsync.stage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.StoredConfig;

/** Repositories made with JGit and the git-annex v10 config of FORMAT.md §1.1/§1.2, for stage tests. */
final class TestRepos {
    private TestRepos() {}

    /** A fresh annex repository at {@code dir} with a random annex.uuid. */
    static Git annexRepo(Path dir) throws IOException, GitAPIException {
        Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        StoredConfig config = git.getRepository().getConfig();
        config.setString("annex", null, "uuid", UUID.randomUUID().toString());
        config.setString("annex", null, "version", "10");
        config.setString("filter", "annex", "smudge", "git-annex smudge -- %f");
        config.setString("filter", "annex", "clean", "git-annex smudge --clean -- %f");
        config.setString("filter", "annex", "process", "git-annex filter-process");
        config.setString("gc", null, "auto", "0");
        config.save();
        Path info = Files.createDirectories(dir.resolve(".git/info"));
        Files.writeString(info.resolve("attributes"), "\n* filter=annex\n");
        return git;
    }
}
