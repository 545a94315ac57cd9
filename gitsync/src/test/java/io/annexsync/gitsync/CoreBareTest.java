package io.annexsync.gitsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.testing.GitAnnex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code core.bare = false}, as {@code git init} writes it (FORMAT.md §1.1): without it C git's receive-pack takes
 * the repository for a bare one and accepts a push into its checked-out branch.
 */
class CoreBareTest {
    @TempDir
    Path tmp;

    @Test
    void initWritesCoreBareFalseWhereJGitsInitDoesNot() throws Exception {
        Path dir = tmp.resolve("a");
        AnnexRepo.init(dir, Optional.of("a"), "test");

        assertThat(Files.readString(dir.resolve(".git/config"))).containsPattern("(?m)^\\s*bare = false$");
    }

    @Test
    void aRepositoryInitialisedWithoutItGetsItWhenOpened() throws Exception {
        Path dir = tmp.resolve("a");
        AnnexRepo.init(dir, Optional.of("a"), "test");
        try (AnnexRepo repo = AnnexRepo.open(dir)) {
            StoredConfig config = repo.git().getConfig();
            config.unset("core", null, "bare");
            config.save();
        }

        AnnexRepo.open(dir).close();

        assertThat(Files.readString(dir.resolve(".git/config"))).containsPattern("(?m)^\\s*bare = false$");
    }

    @Test
    void gitRefusesAPushIntoTheCheckedOutBranchOfARepositoryInitMade() throws Exception {
        GitAnnex.assumeAvailable();
        GitAnnex tools = new GitAnnex(tmp.resolve("home"));
        Path dir = tmp.resolve("a");
        AnnexRepo.init(dir, Optional.of("a"), "test");
        Files.writeString(dir.resolve("one.txt"), "one\n");
        tools.git(dir, "-c", "annex.largefiles=nothing", "add", "one.txt");
        tools.git(dir, "commit", "-q", "-m", "one");
        Path clone = tmp.resolve("clone");
        tools.git(tmp, "clone", "-q", dir.toString(), clone.toString());
        Files.writeString(clone.resolve("two.txt"), "two\n");
        tools.git(clone, "add", "two.txt");
        tools.git(clone, "commit", "-q", "-m", "two");
        String branch = tools.git(dir, "symbolic-ref", "--short", "HEAD").trim();

        GitAnnex.Outcome push = tools.tryGit(clone, "push", "origin", branch);

        assertThat(push.exitCode()).as(push.all()).isNotZero();
        assertThat(push.all()).contains("refusing to update checked out branch");
        assertThat(tools.git(dir, "rev-parse", "HEAD")).isNotEqualTo(tools.git(clone, "rev-parse", "HEAD"));
    }
}
