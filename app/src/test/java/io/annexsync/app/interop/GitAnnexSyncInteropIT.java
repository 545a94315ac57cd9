package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An annex-sync repository and a git-annex repository that are each other's remotes, edited on both sides and
 * synced alternately with {@code annex-sync sync --content} and {@code git annex sync --content}, a conflicting
 * edit of the same annexed file included: they converge on the same files, with the same variant names, and real
 * {@code git annex fsck} passes on both.
 */
class GitAnnexSyncInteropIT {
    @TempDir
    Path tmp;

    private GitAnnex tools;
    private Path ours;
    private Path theirs;
    private final Random random = new Random(5);

    @BeforeEach
    void twoRepositoriesThatAreEachOthersRemotes() throws IOException {
        Oracle.assumeGitAnnex();
        tools = new GitAnnex(tmp.resolve("home"));
        ours = tmp.resolve("ours");
        Files.createDirectories(ours);
        write(ours.resolve("shared.bin"), 4000);
        Cli.ok(ours, "init", "annex-sync side");
        Oracle.identity(tools, ours);
        Cli.ok(ours, "add", ".");
        Cli.ok(ours, "commit", "-m", "start");
        theirs = tmp.resolve("theirs");
        tools.git(tmp, "clone", "-q", ours.toString(), theirs.toString());
        Oracle.identity(tools, theirs);
        tools.annex(theirs, "init", "git-annex side");
        Cli.ok(ours, "remote", "add", "theirs", theirs.toString());
    }

    @Test
    void bothToolsConvergeOnTheSameFilesAndNames() throws IOException {
        write(ours.resolve("from-ours.bin"), 3000);
        tools.annex(theirs, "get", "shared.bin");
        write(theirs.resolve("from-theirs.bin"), 3500);
        tools.annex(theirs, "add", "from-theirs.bin");
        write(theirs.resolve("shared.bin"), 5000);
        tools.annex(theirs, "add", "shared.bin");
        tools.git(theirs, "commit", "-q", "-m", "theirs");
        write(ours.resolve("shared.bin"), 6000);

        for (int round = 0; round < 2; round++) {
            Cli.Run sync = Cli.run(ours, "sync", "--content", "--timeout", "60");
            assertThat(sync.exitCode()).as("annex-sync sync, round %d:\n%s", round, sync).isZero();
            tools.annex(theirs, "sync", "--content");
        }
        Cli.ok(ours, "sync", "--content", "--timeout", "60");

        Map<String, String> ourFiles = Oracle.contents(ours);
        assertThat(Oracle.contents(theirs)).isEqualTo(ourFiles);
        assertThat(ourFiles.keySet()).contains("from-ours.bin", "from-theirs.bin")
                .doesNotContain("shared.bin")
                .filteredOn(p -> p.startsWith("shared.variant-") && p.endsWith(".bin")).hasSize(2);
        Oracle.assertGitAnnexFsckPasses(tools, ours);
        Oracle.assertGitAnnexFsckPasses(tools, theirs);
        assertThat(tools.git(ours, "status", "--porcelain")).isEmpty();
        assertThat(tools.git(theirs, "status", "--porcelain")).isEmpty();
    }

    private void write(Path file, int size) throws IOException {
        byte[] b = new byte[size];
        random.nextBytes(b);
        Files.deleteIfExists(file);
        Files.write(file, b);
    }
}
