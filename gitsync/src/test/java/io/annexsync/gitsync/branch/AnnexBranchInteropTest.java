package io.annexsync.gitsync.branch;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.testing.GitAnnex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The branch as real git-annex writes and reads it. */
class AnnexBranchInteropTest {
    private static final Uuid PHANTOM = new Uuid("0f0f0f0f-1111-4111-8111-111111111111");

    @TempDir
    Path tmp;
    private GitAnnex tools;
    private Path a;

    @BeforeEach
    void setUp() throws Exception {
        GitAnnex.assumeAvailable();
        tools = new GitAnnex(tmp.resolve("home"));
        a = tmp.resolve("a");
        Files.createDirectories(a);
        tools.git(a, "init", "-q", "-b", "master");
        tools.annex(a, "init", "-q", "repo A");
        Files.writeString(a.resolve("f"), "hi\n");
        tools.annex(a, "add", "-q", "f");
        tools.git(a, "commit", "-q", "-m", "add f");
    }

    @Test
    void gitAnnexAcceptsWhatCommitJournalCommits() throws Exception {
        Key key = Key.of(tools.annex(a, "lookupkey", "f").strip());
        try (Repository repo = BranchRepos.open(a)) {
            AnnexBranch branch = BranchRepos.branch(repo);
            branch.describe(PHANTOM, "phantom repo");
            branch.setLocation(key, PHANTOM, true);
            assertThat(branch.commitJournal("update")).isPresent();
        }

        assertThat(tools.annex(a, "whereis", "f")).contains("(2 copies)").contains("phantom repo");
        assertThat(tools.annex(a, "info", "--fast")).contains(PHANTOM + " -- phantom repo");
        assertThat(tools.git(a, "show", "git-annex:uuid.log")).contains(PHANTOM + " phantom repo timestamp=");
        tools.annex(a, "describe", "here", "repo A again");
        assertThat(tools.git(a, "show", "git-annex:uuid.log")).contains("phantom repo").contains("repo A again");
    }

    @Test
    void readsGitAnnexJournalAndAnUnmergedCloneThenMergesItAsGitAnnexAccepts() throws Exception {
        tools.annex(a, "describe", "here", "journalled A", "-c", "annex.alwayscommit=false");
        Path b = cloneWithContent("repo B");
        tools.git(a, "remote", "add", "b", b.toString());
        tools.git(a, "fetch", "-q", "b");
        Uuid ua = uuid(a);
        Uuid ub = uuid(b);
        Key key = Key.of(tools.annex(a, "lookupkey", "f").strip());
        assertThat(a.resolve(".git/annex/journal/uuid.log")).exists();

        try (Repository repo = BranchRepos.open(a)) {
            AnnexBranch branch = BranchRepos.branch(repo);
            assertThat(branch.descriptions()).containsEntry(ua, "journalled A").containsEntry(ub, "repo B");
            assertThat(branch.locations(key)).containsExactlyInAnyOrder(ua, ub);
            assertThat(branch.mergeSiblings().merged()).containsExactly("b/git-annex");
        }

        String tip = tools.git(a, "rev-parse", "git-annex");
        assertThat(tools.annex(a, "whereis", "f")).contains("(2 copies)").contains("repo B");
        assertThat(tools.annex(a, "info", "--fast")).contains("journalled A").contains("repo B");
        assertThat(tools.git(a, "rev-parse", "git-annex")).isEqualTo(tip);
    }

    @Test
    void gitAnnexAcceptsAUnionMergeOfDivergedBranchesWithAnUnknownFile() throws Exception {
        Path b = cloneWithContent("repo B");
        try (Repository repo = BranchRepos.open(b)) {
            BranchRepos.branch(repo).change("annex-sync/x.log", c -> "from b\n");
            BranchRepos.branch(repo).commitJournal("update");
        }
        tools.annex(b, "describe", "here", "B renamed");
        tools.annex(a, "describe", "here", "A renamed");
        tools.git(a, "remote", "add", "b", b.toString());
        tools.git(a, "fetch", "-q", "b");

        try (Repository repo = BranchRepos.open(a)) {
            AnnexBranch branch = BranchRepos.branch(repo);
            branch.change("annex-sync/x.log", c -> "from a\n");
            assertThat(branch.mergeSiblings().outcome()).isEqualTo(MergeResult.Outcome.MERGED);
        }

        String tip = tools.git(a, "rev-parse", "git-annex");
        assertThat(tools.git(a, "log", "-1", "--format=%s%n%P", "git-annex"))
                .startsWith("merging b/git-annex into git-annex\n");
        assertThat(tools.git(a, "show", "git-annex:annex-sync/x.log")).isEqualTo("from a\nfrom b\n");
        assertThat(tools.annex(a, "info", "--fast")).contains("A renamed").contains("B renamed");
        assertThat(tools.annex(a, "whereis", "f")).contains("(2 copies)");
        assertThat(tools.git(a, "rev-parse", "git-annex")).isEqualTo(tip);
    }

    @Test
    void gitAnnexCompactsLocationLogsSortedByUuidAsWeDo() throws Exception {
        Key key = Key.of(tools.annex(a, "lookupkey", "f").strip());
        Uuid last = new Uuid("ffffffff-ffff-4fff-8fff-ffffffffffff");
        try (Repository repo = BranchRepos.open(a)) {
            AnnexBranch branch = BranchRepos.branch(repo);
            branch.setLocation(key, last, true);
            branch.setLocation(key, PHANTOM, true);
            branch.commitJournal("update");
        }
        tools.annex(a, "drop", "-q", "--force", "f");

        String written = tools.git(a, "show", "git-annex:" + AnnexBranch.locationLog(key));
        assertThat(written.lines().map(l -> l.split(" ")[2]).toList())
                .containsExactlyInAnyOrder(PHANTOM.value(), uuid(a).value(), last.value())
                .isSortedAccordingTo(Comparator.naturalOrder());
        assertThat(written).contains(" 0 " + uuid(a));
    }

    private Path cloneWithContent(String description) {
        Path b = tmp.resolve("b");
        tools.git(tmp, "clone", "-q", a.toString(), b.toString());
        tools.annex(b, "init", "-q", description);
        tools.annex(b, "get", "-q", "f");
        return b;
    }

    private Uuid uuid(Path repo) {
        return new Uuid(tools.git(repo, "config", "annex.uuid").strip());
    }
}
