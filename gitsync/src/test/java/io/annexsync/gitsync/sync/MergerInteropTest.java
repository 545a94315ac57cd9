package io.annexsync.gitsync.sync;

import static io.annexsync.gitsync.sync.Peers.LOCKED;
import static io.annexsync.gitsync.sync.Peers.commitDelete;
import static io.annexsync.gitsync.sync.Peers.commitFile;
import static io.annexsync.gitsync.sync.Peers.headFiles;
import static io.annexsync.gitsync.sync.Peers.read;
import static io.annexsync.gitsync.sync.Peers.variant;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.testing.GitAnnex;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real {@code git annex sync} on one peer, {@link Merger} on the other: both must resolve to the same names. */
class MergerInteropTest {
    @TempDir
    Path tmp;
    private GitAnnex tools;
    private AnnexRepo origin;
    private AnnexRepo ours;
    private AnnexRepo theirs;

    @BeforeEach
    void peers() throws Exception {
        GitAnnex.assumeAvailable();
        tools = new GitAnnex(tmp.resolve("home"));
        origin = Peers.init(tmp.resolve("origin"));
        commitFile(origin, "one.txt", "one\n", LOCKED);
        commitFile(origin, "del.txt", "del\n", LOCKED);
        ours = Peers.cloneOf(origin, tmp.resolve("ours"));
        theirs = Peers.cloneOf(origin, tmp.resolve("theirs"));
        Peers.addRemote(ours, "theirs", theirs);
        Peers.addRemote(theirs, "ours", ours);
    }

    @AfterEach
    void close() {
        for (AnnexRepo r : new AnnexRepo[] {origin, ours, theirs}) {
            if (r != null) {
                r.close();
            }
        }
    }

    @Test
    void bothToolsNameAnAnnexedFileChangedOnBothSidesAlike() throws Exception {
        commitFile(ours, "one.txt", "ours\n", LOCKED);
        commitFile(theirs, "one.txt", "theirs\n", LOCKED);
        syncEachOther(Set.of("del.txt", variant("one", ".txt", "ours\n"), variant("one", ".txt", "theirs\n")));
        assertEquals("theirs\n", read(ours, variant("one", ".txt", "theirs\n")));
    }

    /**
     * Kept apart from the case above: git's inexact rename detection pairs a deleted annex link with any other
     * changed one (the link texts are alike), and git-annex then names variants after the wrong file.
     */
    @Test
    void bothToolsKeepAModifiedAnnexedFileDeletedOnTheOtherSideAlike() throws Exception {
        commitFile(ours, "del.txt", "changed by ours\n", LOCKED);
        commitDelete(theirs, "del.txt");
        syncEachOther(Set.of("one.txt", variant("del", ".txt", "changed by ours\n")));
    }

    /** Merger merges theirs' commit while git annex sync merges ours'; both trees must match, twice. */
    private void syncEachOther(Set<String> expectedNames) throws Exception {
        Peers.shareContent(ours, theirs);
        Peers.shareContent(theirs, ours);
        Peers.fetch(ours, "theirs");
        tools.annex(theirs.workTree(), "sync", "--no-push", "--no-content", "ours");
        new Merger(ours).merge(List.of("refs/remotes/theirs/main"));
        assertEquals(expectedNames, headFiles(theirs).keySet(), "git-annex's names");
        assertEquals(headFiles(theirs), headFiles(ours), "annex-sync resolves to git-annex's tree");

        Peers.fetch(ours, "theirs");
        new Merger(ours).merge(List.of("refs/remotes/theirs/main"));
        tools.annex(theirs.workTree(), "sync", "--no-push", "--no-content", "ours");
        assertEquals(headFiles(theirs), headFiles(ours));
        Peers.assertClean(ours, tools);
        Peers.assertClean(theirs, tools);
    }
}
