package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File names git-annex takes and annex-sync cannot take the same way: a newline in the name of a file that would be
 * annexed unlocked (git-annex's filter cannot tell its key, so git showed it modified forever, and its transfer
 * record failed with a stack trace), and a name that is not valid UTF-8 (the JDK cannot open it). {@code add},
 * {@code sync} and the daemon refuse those files up front with a message that names them, add nothing of them, and go
 * on with the others; a name with a newline is added locked as git-annex adds it, and moves to a clone with
 * {@code sync --content}. Real git-annex adds the same names in a twin repository, and gets from ours.
 */
class OddNamesIT {
    private static final String NEWLINE = "a\nb";
    private static final String PROBLEM = "a file name with a newline cannot be an unlocked annexed file";

    @TempDir
    Path tmp;

    private GitAnnex tools;
    private Path ours;

    @BeforeEach
    void aFolderWithOddNames() throws IOException {
        Oracle.assumeGitAnnex();
        tools = new GitAnnex(tmp.resolve("home"));
        ours = Files.createDirectories(tmp.resolve("ours"));
        Cli.ok(ours, "init", "ours");
        Oracle.identity(tools, ours);
        writeOddFiles(ours);
    }

    @Test
    void addRefusesTheNamesItCannotTakeUnlockedAndAddsThemLockedAsGitAnnexDoes() throws IOException {
        Cli.Run add = Cli.run(ours, "add", ".");
        assertThat(add.exitCode()).as("%s", add).isEqualTo(1);
        assertThat(add.out()).contains("add c.txt ok");
        assertThat(add.err()).contains("add " + NEWLINE + " failed: " + PROBLEM)
                .contains("failed: its name is not valid UTF-8").contains("add: 2 failed").doesNotContain("Exception");
        assertThat(tools.git(ours, "status", "--porcelain")).as("nothing half-added")
                .isEqualTo("A  c.txt\n?? \"a\\nb\"\n?? \"bad\\377\"\n");
        assertThat(Oracle.assertEveryObjectVerifies(ours)).as("only c.txt's content is in the store").hasSize(1);

        Cli.ok(ours, "add", "--locked", NEWLINE);
        Cli.ok(ours, "commit", "-m", "odd names");
        assertThat(tools.git(ours, "status", "--porcelain")).isEqualTo("?? \"bad\\377\"\n");
        Path twin = tools.initAnnexRepo(tmp.resolve("twin"));
        writeOddFiles(twin);
        tools.annex(twin, "add", NEWLINE);
        assertThat(stagedEntry(ours)).as("the same symlink as git-annex's").isEqualTo(stagedEntry(twin));
    }

    @Test
    void aFileAddedLockedWithANewlineInItsNameMovesToAClonesWithSyncContent() throws IOException {
        Cli.ok(ours, "add", "--locked", NEWLINE, "c.txt");
        Cli.ok(ours, "commit", "-m", "a newline");
        Path clone = tmp.resolve("clone");
        tools.git(tmp, "clone", "-q", ours.toString(), clone.toString());
        Oracle.identity(tools, clone);
        Cli.ok(clone, "init", "clone");
        Cli.Run sync = Cli.run(clone, "sync", "--content");
        assertThat(sync.exitCode()).as("%s", sync).isZero();
        assertThat(sync.out()).contains("get " + NEWLINE + " (from origin...) ok");
        assertThat(Files.readString(clone.resolve(NEWLINE))).isEqualTo("x\n");
        assertThat(tools.git(clone, "status", "--porcelain")).isEmpty();
        Oracle.assertGitAnnexFsckPasses(tools, clone);

        Path theirs = tmp.resolve("theirs");
        tools.git(tmp, "clone", "-q", ours.toString(), theirs.toString());
        tools.annex(theirs, "init", "theirs");
        tools.annex(theirs, "get", NEWLINE);
        assertThat(Files.readString(theirs.resolve(NEWLINE))).isEqualTo("x\n");
    }

    @Test
    void syncCommitsTheOtherFilesAndSaysWhichItLeftOut() throws IOException {
        Cli.Run sync = Cli.run(ours, "sync");
        assertThat(sync.exitCode()).as("%s", sync).isEqualTo(1);
        assertThat(sync.err()).contains("not committed: " + NEWLINE + ": " + PROBLEM)
                .contains("its name is not valid UTF-8").doesNotContain("Exception");
        assertThat(Oracle.committed(tools, ours, "c.txt")).isTrue();
        assertThat(Oracle.committed(tools, ours, NEWLINE)).isFalse();
        assertThat(tools.git(ours, "status", "--porcelain")).isEqualTo("?? \"a\\nb\"\n?? \"bad\\377\"\n");
    }

    @Test
    void theDaemonLogsARefusedFileOnceListsItAndCommitsTheOthers() throws Exception {
        try (DaemonFolders folders = new DaemonFolders(tmp.resolve("daemon"), 1)) {
            Path dir = folders.folder("watched");
            Daemon daemon = folders.start("watched", dir);
            Files.writeString(dir.resolve("x\ny"), "one\n");
            Files.writeString(dir.resolve("ok.txt"), "fine\n");
            await("ok.txt committed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Oracle.committed(tools, dir, "ok.txt"));
            await("x\\ny listed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Cli.ok(dir, "status").out().contains("not committed: x\\ny: " + PROBLEM));
            Files.writeString(dir.resolve("x\ny"), "two\n");
            Files.writeString(dir.resolve("ok2.txt"), "fine too\n");
            await("ok2.txt committed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Oracle.committed(tools, dir, "ok2.txt"));
            assertThat(notAddedLines(dir)).as("logged once: %s", daemon.output()).hasSize(1);
            assertThat(Oracle.committed(tools, dir, "x\ny")).isFalse();
            assertThat(daemon.alive()).isTrue();

            Files.move(dir.resolve("x\ny"), dir.resolve("xy"));
            await("the renamed file committed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Oracle.committed(tools, dir, "xy"));
            await("x\\ny no longer listed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !Cli.ok(dir, "status").out().contains("not committed"));
            assertThat(daemon.output()).doesNotContain("Exception");
        }
    }

    private static List<String> notAddedLines(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve(".git/annex-sync/daemon.log")).stream()
                .filter(l -> l.contains("not committed: x\\ny")).toList();
    }

    /** The index entry of {@link #NEWLINE}: mode, blob (the symlink text) and path. */
    private String stagedEntry(Path repo) {
        return tools.git(repo, "ls-files", "-s", "--", NEWLINE).strip();
    }

    private static void writeOddFiles(Path dir) throws IOException {
        Files.writeString(dir.resolve(NEWLINE), "x\n");
        Files.writeString(dir.resolve("c.txt"), "c\n");
        // a name that is not valid UTF-8 (byte 0xff), made by the shell: the JDK cannot name it
        Process p = new ProcessBuilder("sh", "-c", "printf 'z\\n' > \"$(printf 'bad\\377')\"").directory(dir.toFile())
                .start();
        try {
            assertThat(p.waitFor()).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
