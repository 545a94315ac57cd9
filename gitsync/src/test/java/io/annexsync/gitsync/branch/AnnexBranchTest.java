package io.annexsync.gitsync.branch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnexBranchTest {
    private static final Uuid UA = new Uuid("aaaaaaaa-1111-4111-8111-111111111111");
    private static final Uuid UB = new Uuid("bbbbbbbb-2222-4222-8222-222222222222");
    private static final Key KEY =
            Key.of("SHA256E-s3--98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4");

    @TempDir
    Path tmp;
    private Repository a;
    private Repository b;

    @BeforeEach
    void setUp() throws Exception {
        a = BranchRepos.init(tmp.resolve("a"));
        b = BranchRepos.init(tmp.resolve("b"));
    }

    @AfterEach
    void tearDown() {
        a.close();
        b.close();
    }

    @Test
    void createMakesAnEmptyRootThenCommitsTheDescription() throws Exception {
        BranchRepos.branch(a).create(UA, "repo A");

        List<RevCommit> log = history(a);
        assertThat(log).extracting(RevCommit::getShortMessage).containsExactly("update", "branch created");
        assertThat(log.get(1).getTree().getId().name()).isEqualTo(Constants.EMPTY_TREE_ID.name());
        assertThat(log.get(0).getAuthorIdent().getName()).isEqualTo("Lab User");
        assertThat(show(a, "uuid.log")).isEqualTo(UA + " repo A timestamp=1700000000.123456789s\n");
        assertThat(Files.list(a.getDirectory().toPath().resolve("annex/journal"))).isEmpty();
    }

    @Test
    void createStartsFromOriginsBranchSharingItsHistory() throws Exception {
        BranchRepos.branch(b).create(UB, "repo B");
        BranchRepos.fetchBranch(a, b, "refs/remotes/origin/git-annex");

        BranchRepos.branch(a).create(UA, "repo A");

        assertThat(history(a)).extracting(RevCommit::getShortMessage)
                .containsExactly("update", "update", "branch created");
        assertThat(BranchRepos.branch(a).descriptions()).containsOnlyKeys(UA, UB);
    }

    @Test
    void readLaysTheJournalOverTheBranch() throws Exception {
        AnnexBranch branch = BranchRepos.branch(a);
        branch.create(UA, "committed");
        branch.describe(UA, "journalled");

        assertThat(show(a, "uuid.log")).contains("committed");
        assertThat(branch.descriptions()).containsEntry(UA, "journalled");
        assertThat(a.getDirectory().toPath().resolve("annex/journal/uuid.log")).exists();
    }

    @Test
    void readIncludesAnUnmergedSiblingRef() throws Exception {
        BranchRepos.branch(a).create(UA, "repo A");
        AnnexBranch other = BranchRepos.branch(b);
        other.create(UB, "repo B");
        other.setLocation(KEY, UB, true);
        other.commitJournal("update");
        BranchRepos.fetchBranch(a, b, "refs/remotes/b/git-annex");

        AnnexBranch branch = BranchRepos.branch(a);
        assertThat(branch.descriptions()).containsEntry(UA, "repo A").containsEntry(UB, "repo B");
        assertThat(branch.locations(KEY)).containsExactly(UB);
        assertThat(show(a, "uuid.log")).doesNotContain("repo B");
    }

    @Test
    void readUnionsAnUnmergedSiblingWithTheJournal() throws Exception {
        AnnexBranch branch = BranchRepos.branch(a);
        branch.create(UA, "repo A");
        branch.describe(UA, "journalled");
        BranchRepos.branch(b).create(UB, "repo B");
        BranchRepos.fetchBranch(a, b, "refs/remotes/b/git-annex");

        assertThat(branch.descriptions()).containsEntry(UA, "journalled").containsEntry(UB, "repo B");
    }

    @Test
    void setLocationWritesACompactedLogAtTheKeysHashPath() throws Exception {
        AnnexBranch branch = BranchRepos.branch(a);
        branch.create(UA, "repo A");
        branch.setLocation(KEY, UB, true);
        branch.setLocation(KEY, UA, true);
        branch.setLocation(KEY, UB, false);
        branch.commitJournal("update");

        assertThat(AnnexBranch.locationLog(KEY)).isEqualTo("b66/a69/" + KEY + ".log");
        assertThat(show(a, AnnexBranch.locationLog(KEY))).isEqualTo(
                "1700000000.123456789s 1 " + UA + "\n1700000001.123456789s 0 " + UB + "\n");
        assertThat(branch.locations(KEY)).containsExactly(UA);
    }

    @Test
    void aBranchLockLeftByAKilledWriterIsClearedUnderTheJournalLock() throws Exception {
        AnnexBranch branch = BranchRepos.branch(a);
        branch.create(UA, "repo A");
        Path lock = a.getDirectory().toPath().resolve("refs/heads/git-annex.lock");
        Files.writeString(lock, "");
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minusSeconds(10)));
        branch.setLocation(KEY, UA, true);

        assertThat(branch.commitJournal("update")).isPresent();
        assertThat(lock).doesNotExist();
        assertThat(show(a, AnnexBranch.locationLog(KEY))).contains(UA.value());
    }

    @Test
    void aFreshBranchLockIsLeftAndNamedInTheError() throws Exception {
        AnnexBranch branch = BranchRepos.branch(a);
        branch.create(UA, "repo A");
        Path lock = a.getDirectory().toPath().resolve("refs/heads/git-annex.lock");
        Files.writeString(lock, "");
        ObjectId before = a.resolve("refs/heads/git-annex");
        branch.setLocation(KEY, UA, true);

        assertThatThrownBy(() -> branch.commitJournal("update")).isInstanceOf(RepoException.class)
                .hasMessageContaining(lock.toString()).hasMessageContaining("another git process");
        assertThat(lock).exists();
        assertThat(a.resolve("refs/heads/git-annex")).isEqualTo(before);
        assertThat(branch.locations(KEY)).containsExactly(UA);
    }

    @Test
    void commitJournalIsANoOpWhenTheJournalIsEmpty() throws Exception {
        AnnexBranch branch = BranchRepos.branch(a);
        branch.create(UA, "repo A");
        ObjectId before = a.resolve("refs/heads/git-annex");

        assertThat(branch.commitJournal("update")).isEmpty();
        assertThat(a.resolve("refs/heads/git-annex")).isEqualTo(before);
    }

    @Test
    void typedAccessorsReadTrustNumcopiesAndConfig() throws Exception {
        AnnexBranch branch = BranchRepos.branch(a);
        branch.change("trust.log", c -> UA + " 1 timestamp=1s\n" + UB + " X timestamp=1s\n" + UB + " ? timestamp=0s\n");
        branch.change("numcopies.log", c -> "1s 3\n");
        branch.change("config.log", c -> "1s annex.largefiles largerthan=100kb\n");

        assertThat(branch.trust()).containsEntry(UA, TrustLevel.TRUSTED).containsEntry(UB, TrustLevel.DEAD);
        assertThat(branch.numcopies()).hasValue(3);
        assertThat(branch.config()).containsEntry("annex.largefiles", "largerthan=100kb");
        assertThat(BranchRepos.branch(b).numcopies()).isEmpty();
    }

    @Test
    void listSeesAFoldersFilesInTheTipInUnmergedSiblingsAndInTheJournal() throws Exception {
        AnnexBranch ours = BranchRepos.branch(a);
        ours.create(UA, "repo A");
        BranchRepos.fetchBranch(b, a, "refs/remotes/origin/git-annex");
        AnnexBranch theirs = BranchRepos.branch(b);
        theirs.create(UB, "repo B");
        theirs.change("annex-sync/links/" + UB + ".log", c -> "b\n");
        theirs.commitJournal("update");
        ours.change("annex-sync/links/" + UA + ".log", c -> "a\n");
        ours.commitJournal("update");
        ours.change("annex-sync/links/journal-only.log", c -> "j\n");
        ours.change("annex-sync/other.log", c -> "o\n");
        BranchRepos.fetchBranch(a, b, "refs/remotes/b/git-annex");

        assertThat(ours.list("annex-sync/links")).containsExactly("annex-sync/links/" + UA + ".log",
                "annex-sync/links/" + UB + ".log", "annex-sync/links/journal-only.log");
        assertThat(ours.list("annex-sync/links/")).hasSize(3);
        assertThat(ours.list("no/such/folder")).isEmpty();
        assertThat(ours.list("uuid.log")).as("a file is not a folder").isEmpty();
    }

    @Test
    void mergeSiblingsUnionsDivergedBranchesIncludingUnknownFiles() throws Exception {
        AnnexBranch ours = BranchRepos.branch(a);
        ours.create(UA, "repo A");
        BranchRepos.fetchBranch(b, a, "refs/remotes/origin/git-annex");
        AnnexBranch theirs = BranchRepos.branch(b);
        theirs.create(UB, "repo B");
        theirs.change("annex-sync/x.log", c -> "b line\n");
        theirs.commitJournal("update");
        ours.change("annex-sync/x.log", c -> "a line\n");
        BranchRepos.fetchBranch(a, b, "refs/remotes/b/git-annex");

        MergeResult result = ours.mergeSiblings();

        assertThat(result.outcome()).isEqualTo(MergeResult.Outcome.MERGED);
        assertThat(result.merged()).containsExactly("b/git-annex");
        RevCommit merge = history(a).get(0);
        assertThat(merge.getFullMessage()).isEqualTo("merging b/git-annex into git-annex");
        assertThat(merge.getParentCount()).isEqualTo(2);
        assertThat(show(a, "annex-sync/x.log")).isEqualTo("a line\nb line\n");
        assertThat(ours.descriptions()).containsOnlyKeys(UA, UB);
        assertThat(ours.mergeSiblings().outcome()).isEqualTo(MergeResult.Outcome.UP_TO_DATE);
    }

    @Test
    void mergeSiblingsFastForwardsWhenTheSiblingContainsOurBranch() throws Exception {
        BranchRepos.branch(a).create(UA, "repo A");
        BranchRepos.fetchBranch(b, a, "refs/remotes/origin/git-annex");
        BranchRepos.branch(b).create(UB, "repo B");
        BranchRepos.fetchBranch(a, b, "refs/heads/synced/git-annex");

        MergeResult result = BranchRepos.branch(a).mergeSiblings();

        assertThat(result.outcome()).isEqualTo(MergeResult.Outcome.FAST_FORWARD);
        assertThat(a.resolve("refs/heads/git-annex")).isEqualTo(b.resolve("refs/heads/git-annex"));
    }

    @Test
    void mergeSiblingsToleratesUnrelatedHistories() throws Exception {
        BranchRepos.branch(a).create(UA, "repo A");
        BranchRepos.branch(b).create(UB, "repo B");
        BranchRepos.fetchBranch(a, b, "refs/remotes/b/git-annex");

        assertThat(BranchRepos.branch(a).mergeSiblings().outcome()).isEqualTo(MergeResult.Outcome.MERGED);
        assertThat(show(a, "uuid.log").lines()).hasSize(2);
    }

    @Test
    void mergeSiblingsRefusesABranchTunedDifferently() throws Exception {
        BranchRepos.branch(a).create(UA, "repo A");
        AnnexBranch theirs = BranchRepos.branch(b);
        theirs.create(UB, "repo B");
        theirs.change("difference.log", c -> UB + " fromList [ObjectHashLower] timestamp=1s\n");
        theirs.commitJournal("update");
        BranchRepos.fetchBranch(a, b, "refs/remotes/b/git-annex");
        ObjectId before = a.resolve("refs/heads/git-annex");

        assertThatThrownBy(() -> BranchRepos.branch(a).mergeSiblings())
                .isInstanceOf(RepoException.class)
                .hasMessageContaining("tuned in incompatible way");
        assertThat(a.resolve("refs/heads/git-annex")).isEqualTo(before);
    }

    @Test
    void unionMergeReusesABlobThatAlreadyHoldsTheUnion() {
        byte[] full = "b\na\n".getBytes(UTF_8);
        assertThat(UnionMerge.lines(List.of("a\n".getBytes(UTF_8), full))).isSameAs(full);
        assertThat(new String(UnionMerge.lines(List.of("b\n".getBytes(UTF_8), "a\nc".getBytes(UTF_8))), UTF_8))
                .isEqualTo("a\nb\nc\n");
    }

    static List<RevCommit> history(Repository repo) throws Exception {
        try (RevWalk walk = new RevWalk(repo)) {
            walk.markStart(walk.parseCommit(repo.resolve("refs/heads/git-annex")));
            List<RevCommit> commits = new ArrayList<>();
            walk.forEach(commits::add);
            return commits;
        }
    }

    static String show(Repository repo, String path) throws Exception {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit tip = walk.parseCommit(repo.resolve("refs/heads/git-annex"));
            return new String(BranchTrees.read(walk.getObjectReader(), tip.getTree(), path, new BranchWarnings())
                    .orElseThrow(), UTF_8);
        }
    }
}
