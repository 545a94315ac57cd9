package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The current branch of an annex-sync repository moved by something other than annex-sync (real {@code git annex
 * sync} pushing into it, {@code git reset}, a commit made with git and git-annex, a push with
 * {@code receive.denyCurrentBranch=updateInstead}): the next {@code annex-sync sync}, or the daemon, merges it
 * instead of committing the stale work tree over it. Nothing of the moved branch and no local edit is lost on either
 * side, and real {@code git annex fsck} passes on both.
 */
class MovedBranchIT {
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    private DaemonFolders f;
    private GitAnnex tools;
    private Path ours;
    private Path theirs;

    /** {@code ours} made by annex-sync with three files; {@code theirs} a {@code git clone} of it with git-annex. */
    @BeforeEach
    void anAnnexSyncRepositoryAndAGitAnnexCloneOfIt() throws IOException {
        Oracle.assumeGitAnnex();
        f = new DaemonFolders(tmp, 11);
        tools = f.tools();
        ours = f.folder("ours");
        Files.write(ours.resolve("shared.bin"), f.bytes(4000));
        Files.writeString(ours.resolve("notes.txt"), "first notes\n");
        Files.writeString(ours.resolve("old.txt"), "to be deleted\n");
        Cli.ok(ours, "sync");
        theirs = tmp.resolve("theirs");
        tools.git(tmp, "clone", "-q", ours.toString(), theirs.toString());
        Oracle.identity(tools, theirs);
        tools.annex(theirs, "init", "-q", "git-annex side");
        tools.annex(theirs, "get", "-q", ".");
        DaemonFolders.link(ours, "theirs", theirs);
    }

    @AfterEach
    void stopDaemons() throws InterruptedException {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void initWritesCoreBareFalseSoGitRefusesAPushIntoTheCheckedOutBranch() throws IOException {
        assertThat(tools.git(ours, "config", "--get", "core.bare").trim()).isEqualTo("false");
        String before = rev(ours, "refs/heads/master");
        Files.write(theirs.resolve("new.bin"), f.bytes(3000));
        tools.annex(theirs, "add", "-q", "new.bin");
        tools.git(theirs, "commit", "-q", "-m", "new.bin");
        tools.annex(theirs, "sync", "--content");

        assertThat(rev(ours, "refs/heads/master")).as("ours' checked-out branch").isEqualTo(before);
        assertThat(rev(ours, "refs/heads/synced/master")).isEqualTo(rev(theirs, "HEAD"));

        // a repository initialised before annex-sync wrote core.bare gets it at its next command
        tools.git(ours, "config", "--unset", "core.bare");
        Cli.ok(ours, "status");
        assertThat(tools.git(ours, "config", "--get", "core.bare").trim()).isEqualTo("false");
    }

    @Test
    void aPushIntoTheCheckedOutBranchIsMergedBySyncNotCommittedOver() throws IOException {
        acceptPushesIntoTheCheckedOutBranch();
        String pushed = changeTheirsAndPush();
        assertThat(rev(ours, "refs/heads/master")).as("git annex sync moved ours' master").isEqualTo(pushed);

        Cli.ok(ours, "sync", "--content", "--timeout", "60");
        tools.annex(theirs, "sync", "--content");

        assertTheirChangesAreEverywhere();
        assertThat(commitsReachable(ours, pushed)).as("the pushed commit is in ours' history").isTrue();
        assertSameAndClean();
    }

    @Test
    void localEditsAtThePushedPathsAreKeptBesideThePushedVersions() throws IOException {
        acceptPushesIntoTheCheckedOutBranch();
        Files.delete(ours.resolve("shared.bin"));
        Files.write(ours.resolve("shared.bin"), f.bytes(6000));
        Files.writeString(ours.resolve("notes.txt"), "notes edited in ours\n");
        String ourShared = Oracle.sha256(ours.resolve("shared.bin"));
        changeTheirsAndPush();
        String theirShared = Oracle.sha256(theirs.resolve("shared.bin"));

        Cli.ok(ours, "sync", "--content", "--timeout", "60");
        tools.annex(theirs, "sync", "--content");

        Map<String, String> files = Oracle.contents(ours);
        assertThat(files.values()).as("both versions of shared.bin in %s", files).contains(ourShared, theirShared);
        assertThat(files.keySet()).filteredOn(p -> p.startsWith("shared.variant-")).hasSize(2);
        assertThat(texts(ours)).as("both versions of notes.txt").contains("notes edited in ours\n",
                "notes edited in theirs\n");
        assertThat(files).containsKey("new.bin").doesNotContainKey("old.txt");
        assertSameAndClean();
    }

    @Test
    void aRepositoryFromBeforeTheFixWithoutCoreBareOrARecordIsMergedAtItsNextSync() throws IOException {
        tools.tryGit(ours, "config", "--unset", "core.bare");
        Files.deleteIfExists(ours.resolve(".git/annex-sync/heads"));
        String pushed = changeTheirsAndPush();
        assertThat(rev(ours, "refs/heads/master")).isEqualTo(pushed);

        Cli.ok(ours, "sync", "--content", "--timeout", "60");
        tools.annex(theirs, "sync", "--content");

        assertTheirChangesAreEverywhere();
        assertSameAndClean();
        assertThat(tools.git(ours, "config", "--get", "core.bare").trim()).isEqualTo("false");
    }

    @Test
    void aResetToAnAncestorStaysAResetOnEverySide() throws IOException {
        Files.writeString(ours.resolve("mistake.txt"), "not meant to be here\n");
        Cli.ok(ours, "sync", "--content", "--timeout", "60");
        tools.annex(theirs, "sync", "--content");
        assertThat(theirs.resolve("mistake.txt")).exists();

        tools.git(ours, "reset", "-q", "--hard", "HEAD~1");
        assertThat(ours.resolve("mistake.txt")).doesNotExist();
        Cli.ok(ours, "sync", "--content", "--timeout", "60");
        tools.annex(theirs, "sync", "--content");
        Cli.ok(ours, "sync", "--content", "--timeout", "60");

        assertThat(ours.resolve("mistake.txt")).as("removed by the reset, not merged back").doesNotExist();
        assertThat(theirs.resolve("mistake.txt")).as("the reset reached the peer").doesNotExist();
        assertThat(Oracle.committed(tools, ours, "mistake.txt")).as("still in the history").isTrue();
        assertThat(Oracle.contents(ours)).containsKeys("shared.bin", "notes.txt", "old.txt");
        assertSameAndClean();
    }

    @Test
    void aCommitMadeWithGitAndGitAnnexIsKeptAsItIs() throws IOException {
        Files.write(ours.resolve("by-hand.bin"), f.bytes(5000));
        tools.annex(ours, "add", "-q", "by-hand.bin");
        tools.git(ours, "commit", "-q", "-m", "added with git-annex");
        String userCommit = rev(ours, "HEAD");
        Files.writeString(ours.resolve("later.txt"), "written after the commit\n");

        Cli.ok(ours, "sync", "--content", "--timeout", "60");
        tools.annex(theirs, "sync", "--content");

        assertThat(rev(ours, "HEAD~1")).as("annex-sync's commit goes on top of the user's").isEqualTo(userCommit);
        assertThat(Oracle.contents(theirs)).containsKeys("by-hand.bin", "later.txt");
        assertSameAndClean();
    }

    @Test
    void aPushWithUpdateInsteadIsTakenAsItIs() throws IOException {
        tools.git(ours, "config", "receive.denyCurrentBranch", "updateInstead");
        String pushed = changeTheirsAndPush();
        assertThat(rev(ours, "refs/heads/master")).isEqualTo(pushed);
        assertThat(ours.resolve("old.txt")).as("git updated ours' work tree").doesNotExist();
        Files.writeString(ours.resolve("after.txt"), "written after the push\n");

        Cli.ok(ours, "sync", "--content", "--timeout", "60");
        tools.annex(theirs, "sync", "--content");

        assertTheirChangesAreEverywhere();
        assertThat(Oracle.contents(ours).keySet()).noneMatch(p -> p.contains(".variant-"));
        assertThat(Oracle.contents(theirs)).containsKey("after.txt");
        assertSameAndClean();
    }

    @Test
    void theDaemonMergesAPlainGitPushIntoItsCheckedOutBranchAtOnce() throws IOException {
        acceptPushesIntoTheCheckedOutBranch();
        f.start("ours", ours);
        String pushed = changeTheirs();
        tools.annex(theirs, "copy", "-q", "--to", "origin", "new.bin", "shared.bin", "notes.txt");
        tools.git(theirs, "push", "-q", "origin", "master"); // moves ours' master only: no synced/ ref changes

        await("their changes in ours' work tree").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().untilAsserted(() -> assertThat(Oracle.contents(ours))
                        .as("ours; daemon:%s", f.logs()).containsKey("new.bin").doesNotContainKey("old.txt"));
        Files.writeString(ours.resolve("from-ours.txt"), "written while the daemon runs\n");
        await("from-ours.txt committed").atMost(PATIENCE).until(() -> Oracle.committed(tools, ours, "from-ours.txt"));
        assertThat(commitsReachable(ours, pushed)).isTrue();
        tools.annex(theirs, "sync", "--content");

        f.awaitSame(PATIENCE, ours, theirs);
        assertTheirChangesAreEverywhere();
        assertThat(Oracle.contents(theirs)).containsKey("from-ours.txt");
        Oracle.assertGitAnnexFsckPasses(tools, ours);
        Oracle.assertGitAnnexFsckPasses(tools, theirs);
    }

    @Test
    void theDaemonKeepsEditsMadeWhileItWasStoppedBesideAPushedVersion() throws IOException {
        acceptPushesIntoTheCheckedOutBranch();
        Files.delete(ours.resolve("shared.bin"));
        Files.write(ours.resolve("shared.bin"), f.bytes(7000));
        String ourShared = Oracle.sha256(ours.resolve("shared.bin"));
        changeTheirsAndPush();
        String theirShared = Oracle.sha256(theirs.resolve("shared.bin"));

        f.start("ours", ours);
        await("both versions of shared.bin in ours").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().untilAsserted(() -> assertThat(Oracle.contents(ours).values())
                        .as("ours; daemon:%s", f.logs()).contains(ourShared, theirShared));
        await("the merge committed").atMost(PATIENCE)
                .until(() -> tools.git(ours, "status", "--porcelain").isEmpty());
        tools.annex(theirs, "sync", "--content");

        f.awaitSame(PATIENCE, ours, theirs);
        assertThat(Oracle.contents(theirs).values()).contains(ourShared, theirShared);
        assertThat(Oracle.contents(theirs)).containsKey("new.bin").doesNotContainKey("old.txt");
        Oracle.assertGitAnnexFsckPasses(tools, ours);
        Oracle.assertGitAnnexFsckPasses(tools, theirs);
    }

    // ---- helpers

    /**
     * Lets git's receive-pack move ours' checked-out branch, as it does in a repository without {@code core.bare}
     * (made by annex-sync before it wrote it) or with this setting.
     */
    private void acceptPushesIntoTheCheckedOutBranch() {
        tools.git(ours, "config", "receive.denyCurrentBranch", "warn");
    }

    /**
     * In theirs: a new annexed file, shared.bin and notes.txt (annexed, unlocked) changed, old.txt deleted, committed
     * with git and pushed with {@code git annex sync --content} (which pushes {@code master} as well as
     * {@code synced/master}).
     *
     * @return their commit
     */
    private String changeTheirsAndPush() throws IOException {
        String head = changeTheirs();
        tools.annex(theirs, "sync", "--content");
        return head;
    }

    /** The changes of {@link #changeTheirsAndPush()}, committed but not pushed. */
    private String changeTheirs() throws IOException {
        Files.write(theirs.resolve("new.bin"), f.bytes(3000));
        Files.delete(theirs.resolve("shared.bin"));
        Files.write(theirs.resolve("shared.bin"), f.bytes(5000));
        tools.annex(theirs, "add", "-q", "new.bin", "shared.bin");
        Files.writeString(theirs.resolve("notes.txt"), "notes edited in theirs\n");
        tools.git(theirs, "add", "notes.txt");
        tools.git(theirs, "rm", "-q", "old.txt");
        tools.git(theirs, "commit", "-q", "-m", "changed in theirs");
        return rev(theirs, "HEAD");
    }

    private void assertTheirChangesAreEverywhere() {
        for (Path repo : new Path[] {ours, theirs}) {
            Map<String, String> files = Oracle.contents(repo);
            assertThat(files).as("files of %s", repo.getFileName()).containsKey("new.bin")
                    .doesNotContainKey("old.txt");
            assertThat(texts(repo)).as("texts of %s", repo.getFileName()).contains("notes edited in theirs\n");
        }
        assertThat(Oracle.sha256(ours.resolve("shared.bin"))).isEqualTo(Oracle.sha256(theirs.resolve("shared.bin")));
    }

    private void assertSameAndClean() {
        assertThat(Oracle.contents(ours)).isEqualTo(Oracle.contents(theirs));
        Oracle.assertGitAnnexFsckPasses(tools, ours);
        Oracle.assertGitAnnexFsckPasses(tools, theirs);
        assertThat(tools.git(ours, "status", "--porcelain")).as("git status in ours").isEmpty();
        assertThat(tools.git(theirs, "status", "--porcelain")).as("git status in theirs").isEmpty();
    }

    /** The text of every small file (notes.txt and its variants) of {@code repo}. */
    private static List<String> texts(Path repo) {
        return Oracle.contents(repo).keySet().stream().filter(p -> p.startsWith("notes"))
                .map(p -> read(repo.resolve(p))).toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String rev(Path repo, String ref) {
        return tools.git(repo, "rev-parse", ref).trim();
    }

    private boolean commitsReachable(Path repo, String commit) {
        return tools.tryGit(repo, "merge-base", "--is-ancestor", commit, "HEAD").exitCode() == 0;
    }
}
