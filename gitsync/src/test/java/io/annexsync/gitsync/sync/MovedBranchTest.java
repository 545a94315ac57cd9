package io.annexsync.gitsync.sync;

import static io.annexsync.gitsync.sync.Peers.GIT;
import static io.annexsync.gitsync.sync.Peers.LOCKED;
import static io.annexsync.gitsync.sync.Peers.UNLOCKED;
import static io.annexsync.gitsync.sync.Peers.commitFile;
import static io.annexsync.gitsync.sync.Peers.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.CommitResult;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.WorkTreeChange;
import io.annexsync.gitsync.stage.AddOptions;
import io.annexsync.gitsync.sync.ConflictResolution.Kind;
import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The current branch moved by something other than annex-sync (its ref moved as a push moves it, {@code git reset},
 * a commit made with git): the next commit or merge catches up with it as {@code docs/sync.md} says, and never
 * commits the index over it. Real git runs the resets and commits where git-annex is installed.
 */
class MovedBranchTest {
    private static final AddOptions ADD = new AddOptions(false, AddOptions.Force.NONE, 1);

    @TempDir
    Path tmp;
    private GitAnnex tools;
    private AnnexRepo origin;
    private AnnexRepo a;
    private AnnexRepo b;

    @BeforeEach
    void peers() throws Exception {
        tools = new GitAnnex(tmp.resolve("home"));
        origin = Peers.init(tmp.resolve("origin"));
        commitFile(origin, "one.txt", "one\n", LOCKED);
        commitFile(origin, "un.txt", "unlocked\n", UNLOCKED);
        commitFile(origin, "small.txt", "line1\n", GIT);
        a = Peers.cloneOf(origin, tmp.resolve("a"));
        b = Peers.cloneOf(origin, tmp.resolve("b"));
        Peers.addRemote(a, "b", b);
    }

    @AfterEach
    void close() {
        for (AnnexRepo r : new AnnexRepo[] {origin, a, b}) {
            if (r != null) {
                r.close();
            }
        }
    }

    @Test
    void aBranchPushedForwardIsCheckedOutAtTheNextCommitNotCommittedOver() throws Exception {
        String pushed = pushFromB();

        Optional<CommitResult> c = a.commit("next");

        assertThat(c).isPresent();
        assertThat(c.get().moved()).isPresent();
        assertThat(c.get().moved().get().localCommit()).isEmpty();
        assertThat(a.head()).contains(pushed);
        assertThat(read(a, "new.txt")).isEqualTo("new in b\n");
        assertThat(read(a, "small.txt")).isEqualTo("small from b\n");
        assertThat(a.workTree().resolve("un.txt")).doesNotExist();
        Peers.assertClean(a, tools);
    }

    @Test
    void editsStagedAtThePushedPathsAreCommittedFirstAndKeptBesideThePushedVersions() throws Exception {
        String pushed = pushFromB();
        Files.writeString(a.workTree().resolve("small.txt"), "small from a\n");
        a.add(List.of(a.workTree().resolve("small.txt")), GIT, Progress.NONE);

        CommitResult c = a.commit("next").orElseThrow();

        MovedMerge moved = c.moved().orElseThrow();
        assertThat(moved.localCommit()).isPresent();
        assertThat(c.filesChanged()).isEqualTo(1);
        assertThat(moved.conflicts()).extracting(ConflictResolution::kind).containsExactly(
                Kind.GIT_BOTH_CHANGED);
        List<String> kept = moved.conflicts().get(0).keptAs();
        assertThat(kept).hasSize(2);
        assertThat(List.of(read(a, kept.get(0)), read(a, kept.get(1))))
                .containsExactlyInAnyOrder("small from a\n", "small from b\n");
        assertThat(isAncestor(a, pushed, a.head().orElseThrow())).isTrue();
        assertThat(read(a, "new.txt")).isEqualTo("new in b\n");
        Peers.assertClean(a, tools);
    }

    @Test
    void aWorkTreeEditNotYetStagedIsCommittedByTheSyncAndKeptBesideThePushedVersion() throws Exception {
        pushFromB();
        Files.writeString(a.workTree().resolve("small.txt"), "typed in a\n");

        a.addAll(ADD, Progress.NONE);
        CommitResult c = a.commit("sync").orElseThrow();

        // addAll annexed a's small.txt: the git file keeps its name, a's annexed version goes to a variant
        List<ConflictResolution> conflicts = c.moved().orElseThrow().conflicts();
        assertThat(conflicts).extracting(ConflictResolution::kind).containsExactly(Kind.ANNEXED_VS_GIT);
        assertThat(read(a, "small.txt")).isEqualTo("small from b\n");
        assertThat(conflicts.get(0).keptAs()).hasSize(2).allSatisfy(p -> assertThat(a.workTree().resolve(p)).exists());
        assertThat(conflicts.get(0).keptAs().stream().map(p -> readQuietly(a, p))).contains("typed in a\n");
        Peers.assertClean(a, tools);
    }

    @Test
    void aMergeCatchesUpWithThePushedBranchBeforeMergingPeers() throws Exception {
        String pushed = pushFromB();
        Files.writeString(a.workTree().resolve("typed.txt"), "typed in a, not staged\n");

        try (SyncSteps steps = SyncSteps.open(a, Duration.ofSeconds(30), Clock.systemUTC())) {
            steps.merge(a.remotes());
        }

        assertThat(a.head()).contains(pushed);
        assertThat(read(a, "new.txt")).isEqualTo("new in b\n");
        assertThat(a.workTree().resolve("un.txt")).doesNotExist();
        assertThat(read(a, "typed.txt")).isEqualTo("typed in a, not staged\n");
        assertThat(a.git().getRefDatabase().getRefsByPrefix(MovedBranch.PARKED)).isEmpty();
        assertThat(a.status()).extracting(WorkTreeChange::path).containsExactly("typed.txt");
    }

    @Test
    void withoutARecordThePushEntriesOfTheReflogAreMergedToo() throws Exception {
        Files.delete(a.gitDir().resolve("annex-sync/heads"));
        pushFromB();

        a.commit("next");

        assertThat(read(a, "new.txt")).isEqualTo("new in b\n");
        assertThat(Files.readString(a.gitDir().resolve("annex-sync/heads"))).contains(a.head().orElseThrow());
        Peers.assertClean(a, tools);
    }

    @Test
    void aResetOfSharedCommitsIsRecordedOnTopOfThemSoAMergeDoesNotBringThemBack() throws Exception {
        GitAnnex.assumeAvailable();
        commitFile(a, "mistake.txt", "oops\n", GIT);
        String mistake = a.head().orElseThrow();
        SyncedBranch.update(a.git(), "main"); // as after a sync: refs/heads/synced/main holds the commit
        resetHard(a);

        a.addAll(ADD, Progress.NONE);
        a.commit("after the reset");
        new Merger(a).merge(List.of("refs/heads/synced/main"));

        assertThat(a.workTree().resolve("mistake.txt")).doesNotExist();
        assertThat(Peers.headFiles(a)).doesNotContainKey("mistake.txt");
        assertThat(isAncestor(a, mistake, a.head().orElseThrow())).as("the reset commit stays in the history")
                .isTrue();
        assertCleanAfterACheckoutByGit(a);
    }

    @Test
    void aResetOfCommitsNeverSharedIsRecordedOnTopOfThemToo() throws Exception {
        GitAnnex.assumeAvailable();
        commitFile(a, "mistake.txt", "oops\n", GIT);
        String mistake = a.head().orElseThrow();
        resetHard(a);

        a.addAll(ADD, Progress.NONE);
        CommitResult c = a.commit("after the reset").orElseThrow();

        // a peer may have fetched the commit without any ref here saying so: it stays in the history
        assertThat(parent(a, c.id())).isEqualTo(mistake);
        assertThat(Peers.headFiles(a).keySet()).containsExactlyInAnyOrder("one.txt", "un.txt", "small.txt");
        assertThat(read(a, "small.txt")).isEqualTo("line1\n");
        assertThat(a.workTree().resolve("mistake.txt")).doesNotExist();
        assertCleanAfterACheckoutByGit(a);
    }

    @Test
    void aBranchPushedIntoBeforeTheFirstCommitIsMergedWithTheFilesStagedSince() throws Exception {
        AnnexRepo fresh = Peers.init(tmp.resolve("fresh"));
        try {
            Peers.addRemote(fresh, "origin", origin);
            Peers.fetch(fresh, "origin");
            Peers.shareContent(origin, fresh);
            Files.writeString(fresh.workTree().resolve("mine.txt"), "made before the push\n");
            fresh.addAll(ADD, Progress.NONE);
            RefUpdate u = fresh.git().updateRef("refs/heads/main");
            u.setNewObjectId(origin.git().resolve("HEAD"));
            u.setRefLogMessage("push", false);
            assertThat(u.update()).isEqualTo(RefUpdate.Result.NEW);

            CommitResult c = fresh.commit("first").orElseThrow();

            assertThat(c.moved().orElseThrow().leftAt()).isEmpty();
            assertThat(isAncestor(fresh, origin.head().orElseThrow(), c.id())).isTrue();
            assertThat(Peers.headFiles(fresh)).containsKeys("mine.txt", "one.txt", "un.txt", "small.txt");
            assertThat(read(fresh, "small.txt")).isEqualTo("line1\n");
            Peers.assertClean(fresh, tools);
        } finally {
            fresh.close();
        }
    }

    @Test
    void aCatchUpCutShortIsFinishedByTheNextCommit() throws Exception {
        commitFile(b, "new.txt", "new in b\n", GIT);
        Peers.fetch(a, "b");
        ObjectId moved = b.git().resolve("HEAD");
        // as a process killed after setting the branch back: the moved commit kept, the branch where it was left
        RefUpdate u = a.git().updateRef(MovedBranch.PARKED + "main/" + moved.name());
        u.setNewObjectId(moved);
        assertThat(u.update()).isEqualTo(RefUpdate.Result.NEW);

        CommitResult c = a.commit("next").orElseThrow();

        assertThat(c.moved().orElseThrow().foundAt()).isEqualTo(moved.name());
        assertThat(a.head()).contains(moved.name());
        assertThat(read(a, "new.txt")).isEqualTo("new in b\n");
        assertThat(a.git().getRefDatabase().getRefsByPrefix(MovedBranch.PARKED)).isEmpty();
        Peers.assertClean(a, tools);
    }

    @Test
    void aCommitMadeWithGitIsTakenAsItIsAndTheNextCommitGoesOnTop() throws Exception {
        GitAnnex.assumeAvailable();
        Files.writeString(a.workTree().resolve("by-git.txt"), "committed with git\n");
        tools.git(a.workTree(), "-c", "annex.largefiles=nothing", "add", "by-git.txt");
        tools.git(a.workTree(), "commit", "-q", "-m", "by git");
        String userCommit = a.head().orElseThrow();
        Files.writeString(a.workTree().resolve("later.txt"), "later\n");

        a.addAll(ADD, Progress.NONE);
        CommitResult c = a.commit("later").orElseThrow();

        assertThat(c.moved()).isEmpty();
        assertThat(parent(a, c.id())).isEqualTo(userCommit);
        Peers.assertClean(a, tools);
    }

    // ---- helpers

    /**
     * b adds new.txt, changes small.txt, deletes un.txt and commits; its commit is then put on a's checked-out
     * branch as git's receive-pack does when it accepts a push there: the ref moves, a's index and work tree do not.
     */
    private String pushFromB() throws Exception {
        commitFile(b, "new.txt", "new in b\n", GIT);
        commitFile(b, "small.txt", "small from b\n", GIT);
        Peers.commitDelete(b, "un.txt");
        Peers.fetch(a, "b");
        ObjectId pushed = b.git().resolve("HEAD");
        RefUpdate u = a.git().updateRef("refs/heads/main");
        u.setNewObjectId(pushed);
        u.setRefLogMessage("push", false);
        assertThat(u.forceUpdate()).isIn(RefUpdate.Result.FAST_FORWARD, RefUpdate.Result.FORCED);
        assertThat(Files.exists(a.workTree().resolve("new.txt"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        return pushed.name();
    }

    private void resetHard(AnnexRepo repo) {
        tools.git(repo.workTree(), "reset", "-q", "--hard", "HEAD~1");
    }

    /**
     * Nothing changed, for annex-sync and for git's content comparison. Not {@code git status}: after git itself
     * checked out an unlocked file here, git-annex fills it but cannot update the index ("git status will show un.txt
     * to be modified ... run git-annex restage"), so git status may list it while its content is unchanged.
     */
    private void assertCleanAfterACheckoutByGit(AnnexRepo repo) throws RepoException {
        assertThat(repo.status()).isEmpty();
        assertThat(tools.git(repo.workTree(), "diff", "HEAD", "--name-only")).isEmpty();
    }

    private static boolean isAncestor(AnnexRepo repo, String ancestor, String of) throws IOException {
        try (RevWalk walk = new RevWalk(repo.git())) {
            return walk.isMergedInto(walk.parseCommit(ObjectId.fromString(ancestor)),
                    walk.parseCommit(ObjectId.fromString(of)));
        }
    }

    private static String readQuietly(AnnexRepo repo, String path) {
        try {
            return read(repo, path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String parent(AnnexRepo repo, String commit) throws IOException {
        try (RevWalk walk = new RevWalk(repo.git())) {
            RevCommit c = walk.parseCommit(ObjectId.fromString(commit));
            return c.getParent(0).name();
        }
    }
}
