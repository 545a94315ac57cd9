package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code annex-sync init} names the branch as {@code git init} does ({@code init.defaultBranch}, or the HEAD of a
 * repository {@code git init} made), and the sync branches follow it ({@code synced/main}) when real git-annex syncs
 * with the repository.
 *
 * <p>The setting is in the test's isolated {@code $XDG_CONFIG_HOME/git/config}, which both git and JGit read, and
 * {@code init} runs through the real launcher with that environment: in this JVM JGit would read the user config of
 * the account running the build (its {@code user.home}), not the test's.
 */
class DefaultBranchIT {
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    private DaemonFolders f;
    private GitAnnex tools;

    @BeforeEach
    void aUserConfigWithInitDefaultBranch() throws IOException {
        Oracle.assumeGitAnnex();
        f = new DaemonFolders(tmp, 17);
        tools = f.tools();
        Path xdg = Files.createDirectories(tmp.resolve("home/.config/git"));
        tools.git(tmp, "config", "--file", xdg.resolve("config").toString(), "init.defaultBranch", "main");
    }

    @AfterEach
    void stopDaemons() throws InterruptedException {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void initMakesTheBranchInitDefaultBranchNamesAndGitAnnexSyncsOnIt() throws Exception {
        Path ours = Files.createDirectories(tmp.resolve("ours"));
        launcher(ours, "init", "ours");
        Oracle.identity(tools, ours);
        assertThat(tools.git(ours, "symbolic-ref", "HEAD").trim()).isEqualTo("refs/heads/main");

        Files.writeString(ours.resolve("notes.txt"), "from ours\n");
        Files.write(ours.resolve("big.bin"), new byte[20_000]);
        Cli.ok(ours, "sync");
        Path theirs = gitAnnexClone(ours);
        tools.annex(theirs, "get", "-q", ".");
        Cli.ok(ours, "remote", "add", "theirs", theirs.toString());
        Files.writeString(theirs.resolve("reply.txt"), "from theirs\n");
        tools.annex(theirs, "add", "-q", "reply.txt");
        tools.git(theirs, "commit", "-q", "-m", "reply");
        tools.annex(theirs, "sync", "--content");
        Cli.ok(ours, "sync", "--content");
        tools.annex(theirs, "sync", "--content");

        for (Path repo : List.of(ours, theirs)) {
            assertThat(branches(repo)).as("branches of %s", repo.getFileName())
                    .contains("refs/heads/main", "refs/heads/synced/main", "refs/heads/git-annex")
                    .noneMatch(b -> b.contains("master"));
            assertThat(Oracle.contents(repo)).as("files of %s", repo.getFileName())
                    .containsKeys("notes.txt", "big.bin", "reply.txt");
            Oracle.assertGitAnnexFsckPasses(tools, repo);
        }
        assertThat(tools.git(ours, "rev-parse", "main").trim()).isEqualTo(tools.git(theirs, "rev-parse", "main")
                .trim());
    }

    @Test
    void initKeepsTheBranchOfARepositoryThatGitInitMade() throws Exception {
        Path ours = Files.createDirectories(tmp.resolve("ours"));
        tools.git(ours, "init", "-q", "-b", "trunk");
        launcher(ours, "init", "ours");
        Oracle.identity(tools, ours);
        Files.writeString(ours.resolve("notes.txt"), "from ours\n");
        Cli.ok(ours, "sync");
        Path theirs = gitAnnexClone(ours);
        tools.annex(theirs, "sync", "--content");

        assertThat(tools.git(ours, "symbolic-ref", "HEAD").trim()).isEqualTo("refs/heads/trunk");
        assertThat(branches(ours)).contains("refs/heads/trunk", "refs/heads/synced/trunk")
                .noneMatch(b -> b.contains("main") || b.contains("master"));
        assertThat(Oracle.contents(theirs)).containsKey("notes.txt");
        Oracle.assertGitAnnexFsckPasses(tools, ours);
    }

    @Test
    void theDaemonSyncsWithGitAnnexOnTheBranchInitNamed() throws Exception {
        Path ours = Files.createDirectories(tmp.resolve("ours"));
        launcher(ours, "init", "ours");
        Oracle.identity(tools, ours);
        Files.writeString(ours.resolve("notes.txt"), "from ours\n");
        Cli.ok(ours, "sync");
        Path theirs = gitAnnexClone(ours);
        DaemonFolders.link(ours, "theirs", theirs);
        f.start("ours", ours);

        Files.write(ours.resolve("while-running.bin"), f.bytes(30_000));
        await("ours' daemon pushed to theirs' synced/main").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> Oracle.committed(tools, ours, "while-running.bin") && tools.git(theirs, "rev-parse",
                        "refs/heads/synced/main").equals(tools.git(ours, "rev-parse", "refs/heads/main")));
        Files.writeString(theirs.resolve("reply.txt"), "from theirs\n");
        tools.annex(theirs, "add", "-q", "reply.txt");
        tools.git(theirs, "commit", "-q", "-m", "reply");
        tools.annex(theirs, "sync", "--content");

        f.awaitSame(PATIENCE, ours, theirs);
        assertThat(Oracle.contents(ours)).containsKeys("notes.txt", "while-running.bin", "reply.txt");
        for (Path repo : List.of(ours, theirs)) {
            assertThat(branches(repo)).as("branches of %s", repo.getFileName())
                    .contains("refs/heads/main", "refs/heads/synced/main").noneMatch(b -> b.contains("master"));
            Oracle.assertGitAnnexFsckPasses(tools, repo);
        }
    }

    /** {@code theirs}: a {@code git clone} of {@code ours} initialised by real {@code git annex init}. */
    private Path gitAnnexClone(Path ours) {
        Path theirs = tmp.resolve("theirs");
        tools.git(tmp, "clone", "-q", ours.toString(), theirs.toString());
        Oracle.identity(tools, theirs);
        tools.annex(theirs, "init", "-q", "theirs");
        return theirs;
    }

    private List<String> branches(Path repo) {
        return tools.git(repo, "for-each-ref", "--format=%(refname)", "refs/heads").lines().toList();
    }

    /** Runs {@code bin/annex-sync args...} in {@code dir} with the test's isolated environment; it must succeed. */
    private void launcher(Path dir, String... args) throws IOException, InterruptedException {
        Path launcher = Path.of("").toAbsolutePath().getParent().resolve("bin/annex-sync");
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        Path output = tmp.resolve("launcher-" + System.nanoTime() + ".out");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        tools.environment(pb.environment());
        pb.environment().put("ANNEX_SYNC_JAVA_OPTS", "-XX:+UseSerialGC -Xmx256m");
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("annex-sync %s finished", String.join(" ", args)).isTrue();
        assertThat(p.exitValue()).as("annex-sync %s: %s", String.join(" ", args), Files.readString(output))
                .isZero();
    }
}
