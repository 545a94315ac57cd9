package io.annexsync.gitsync.sync;

import static io.annexsync.gitsync.sync.Peers.GIT;
import static io.annexsync.gitsync.sync.Peers.LOCKED;
import static io.annexsync.gitsync.sync.Peers.UNLOCKED;
import static io.annexsync.gitsync.sync.Peers.commitDelete;
import static io.annexsync.gitsync.sync.Peers.commitFile;
import static io.annexsync.gitsync.sync.Peers.headFiles;
import static io.annexsync.gitsync.sync.Peers.read;
import static io.annexsync.gitsync.sync.Peers.variant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.WorkTreeChange;
import io.annexsync.gitsync.sync.ConflictResolution.Kind;
import io.annexsync.gitsync.testing.GitAnnex;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergerTest {
    private static final String B_MAIN = "refs/remotes/b/main";
    private static final String A_MAIN = "refs/remotes/a/main";

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
        commitFile(origin, "del.txt", "del\n", LOCKED);
        commitFile(origin, "gdel.txt", "git del\n", GIT);
        commitFile(origin, "doc.txt", "doc\n", LOCKED);
        commitFile(origin, "gren.txt", "git rename\n", GIT);
        commitFile(origin, "small.txt", "line1\nline2\nline3\n", GIT);
        commitFile(origin, "merged.txt", "1\n2\n3\n4\n5\n", GIT);
        a = Peers.cloneOf(origin, tmp.resolve("a"));
        b = Peers.cloneOf(origin, tmp.resolve("b"));
        Peers.addRemote(a, "b", b);
        Peers.addRemote(b, "a", a);
    }

    @AfterEach
    void close() {
        for (AnnexRepo r : new AnnexRepo[] {origin, a, b}) {
            if (r != null) {
                r.close();
            }
        }
    }

    /**
     * Both peers fetch and merge each other's commits at the same time (each resolves the conflicts itself), then
     * sync once more; the trees must be identical after each round, and both work trees clean.
     */
    private MergeReport syncBoth() throws Exception {
        Peers.shareContent(a, b);
        Peers.shareContent(b, a);
        Peers.fetch(a, "b");
        Peers.fetch(b, "a");
        MergeReport report = new Merger(a).merge(List.of(B_MAIN));
        new Merger(b).merge(List.of(A_MAIN));
        assertEquals(headFiles(a), headFiles(b), "both peers resolve to the same tree");
        Peers.fetch(a, "b");
        Peers.fetch(b, "a");
        new Merger(a).merge(List.of(B_MAIN));
        new Merger(b).merge(List.of(A_MAIN));
        assertEquals(headFiles(a), headFiles(b));
        Peers.assertClean(a, tools);
        Peers.assertClean(b, tools);
        return report;
    }

    @Test
    void clonesStartClean() throws Exception {
        Peers.assertClean(a, tools);
        Peers.assertClean(b, tools);
    }

    @Test
    void annexedFileChangedOnBothSidesKeepsBothVariantsInTheirOwnForm() throws Exception {
        commitFile(a, "one.txt", "A's one\n", LOCKED);
        commitFile(b, "one.txt", "B's one\n", UNLOCKED);
        MergeReport report = syncBoth();
        String va = variant("one", ".txt", "A's one\n");
        String vb = variant("one", ".txt", "B's one\n");
        SortedMap<String, TreeEntry> files = headFiles(a);
        assertFalse(files.containsKey("one.txt"));
        assertTrue(files.get(va).symlink());
        assertTrue(files.get(vb).regular());
        for (AnnexRepo peer : List.of(a, b)) {
            assertEquals("A's one\n", read(peer, va));
            assertEquals("B's one\n", read(peer, vb));
            assertTrue(Files.isSymbolicLink(peer.workTree().resolve(va)));
        }
        assertTrue(report.conflicts().contains(new ConflictResolution("one.txt", Kind.ANNEXED_BOTH_CHANGED,
                List.of(va, vb).stream().sorted().toList())));
    }

    /**
     * A criss-cross: each peer merged the other's first commit, so their next commits have two merge bases, each
     * lacking what the other peer added. Merged against one of them, files added on the other side look added on
     * both sides (a false conflict) and files it deleted come back; against both (a virtual base, as git's recursive
     * merge) each side's changes simply apply.
     */
    @Test
    void aCrissCrossMergeUsesEveryMergeBaseSoDeletionsHoldAndNoConflictIsMadeUp() throws Exception {
        commitFile(a, "fa.bin", "a1\n", UNLOCKED);
        commitFile(a, "ka.txt", "ka\n", GIT);
        commitFile(b, "fb.bin", "b1\n", UNLOCKED);
        commitFile(b, "kb.txt", "kb\n", GIT);
        Peers.fetch(a, "b");
        Peers.fetch(b, "a");
        new Merger(a).merge(List.of(B_MAIN));
        new Merger(b).merge(List.of(A_MAIN));
        commitFile(a, "fa.bin", "a2\n", UNLOCKED);
        commitDelete(a, "ka.txt");
        commitFile(b, "fb.bin", "b2\n", UNLOCKED);
        commitDelete(b, "kb.txt");
        Peers.shareContent(a, b);
        Peers.shareContent(b, a);
        Peers.fetch(a, "b");
        Peers.fetch(b, "a");
        MergeReport ra = new Merger(a).merge(List.of(B_MAIN));
        MergeReport rb = new Merger(b).merge(List.of(A_MAIN));
        assertEquals(List.of(), ra.conflicts());
        assertEquals(List.of(), rb.conflicts());
        for (AnnexRepo peer : List.of(a, b)) {
            SortedMap<String, TreeEntry> files = headFiles(peer);
            assertFalse(files.containsKey("ka.txt"), "ka.txt deleted by a stays deleted in " + peer.workTree());
            assertFalse(files.containsKey("kb.txt"), "kb.txt deleted by b stays deleted in " + peer.workTree());
            assertEquals("a2\n", read(peer, "fa.bin"));
            assertEquals("b2\n", read(peer, "fb.bin"));
        }
        assertEquals(headFiles(a), headFiles(b));
    }

    @Test
    void sameKeyOnBothSidesKeepsTheNameAsAPointerFile() throws Exception {
        commitFile(a, "one.txt", "same\n", LOCKED);
        commitFile(b, "one.txt", "same\n", UNLOCKED);
        MergeReport report = syncBoth();
        assertTrue(headFiles(a).get("one.txt").regular());
        assertEquals("same\n", read(b, "one.txt"));
        assertEquals(List.of(), report.conflicts());
    }

    @Test
    void gitFileKeepsTheNameAgainstAnAnnexedFile() throws Exception {
        commitFile(a, "one.txt", "now in git\n", GIT);
        commitFile(b, "one.txt", "annexed by B\n", LOCKED);
        MergeReport report = syncBoth();
        String vb = variant("one", ".txt", "annexed by B\n");
        for (AnnexRepo peer : List.of(a, b)) {
            assertEquals("now in git\n", read(peer, "one.txt"));
            assertEquals("annexed by B\n", read(peer, vb));
        }
        assertEquals(Kind.ANNEXED_VS_GIT, report.conflicts().get(0).kind());
    }

    @Test
    void modificationSurvivesADeletion() throws Exception {
        commitDelete(a, "del.txt");
        commitDelete(a, "gdel.txt");
        commitFile(b, "del.txt", "B del\n", LOCKED);
        commitFile(b, "gdel.txt", "B gdel\n", GIT);
        MergeReport report = syncBoth();
        String vb = variant("del", ".txt", "B del\n");
        SortedMap<String, TreeEntry> files = headFiles(b);
        assertFalse(files.containsKey("del.txt"));
        for (AnnexRepo peer : List.of(a, b)) {
            assertEquals("B del\n", read(peer, vb));
            assertEquals("B gdel\n", read(peer, "gdel.txt"));
        }
        assertEquals(List.of(new ConflictResolution("del.txt", Kind.MODIFY_DELETE, List.of(vb)),
                new ConflictResolution("gdel.txt", Kind.MODIFY_DELETE, List.of("gdel.txt"))), report.conflicts());
    }

    @Test
    void fileAgainstFolderKeepsBoth() throws Exception {
        commitFile(a, "thing", "a file\n", GIT);
        commitFile(b, "thing/inside.txt", "in a folder\n", LOCKED);
        MergeReport report = syncBoth();
        String variant;
        try (ObjectInserter.Formatter f = new ObjectInserter.Formatter()) {
            variant = VariantNames.git("thing", f.idFor(Constants.OBJ_BLOB, "a file\n".getBytes()));
        }
        assertTrue(variant.startsWith("thing.variant-git-"), variant);
        for (AnnexRepo peer : List.of(a, b)) {
            assertEquals("a file\n", read(peer, variant));
            assertEquals("in a folder\n", read(peer, "thing/inside.txt"));
        }
        assertEquals(List.of(new ConflictResolution("thing", Kind.FILE_VS_FOLDER, List.of(variant))),
                report.conflicts());
    }

    @Test
    void renameOnOneSideAndChangeOnTheOtherBothApply() throws Exception {
        commitDelete(a, "doc.txt");
        commitFile(a, "sub/doc.txt", "doc\n", LOCKED);
        commitDelete(a, "gren.txt");
        commitFile(a, "moved/gren.txt", "git rename\n", GIT);
        commitFile(b, "doc.txt", "doc changed by B\n", LOCKED);
        commitFile(b, "gren.txt", "git rename, changed\n", GIT);
        MergeReport report = syncBoth();
        SortedMap<String, TreeEntry> files = headFiles(a);
        assertFalse(files.containsKey("doc.txt"));
        assertFalse(files.containsKey("gren.txt"));
        for (AnnexRepo peer : List.of(a, b)) {
            assertEquals("doc changed by B\n", read(peer, "sub/doc.txt"));
            assertEquals("git rename, changed\n", read(peer, "moved/gren.txt"));
        }
        assertTrue(report.conflicts().contains(new ConflictResolution("doc.txt", Kind.RENAME_MODIFY,
                List.of("sub/doc.txt"))));
    }

    @Test
    void gitFileChangedOnBothSidesKeepsBothVersionsWithoutMarkers() throws Exception {
        commitFile(a, "small.txt", "line1 A\nline2\nline3\n", GIT);
        commitFile(a, "merged.txt", "1 A\n2\n3\n4\n5\n", GIT);
        commitFile(b, "small.txt", "line1 B\nline2\nline3\n", GIT);
        commitFile(b, "merged.txt", "1\n2\n3\n4\n5 B\n", GIT);
        MergeReport report = syncBoth();
        ConflictResolution small = report.conflicts().get(0);
        assertEquals(Kind.GIT_BOTH_CHANGED, small.kind());
        assertEquals(2, small.keptAs().size());
        assertFalse(headFiles(a).containsKey("small.txt"));
        for (AnnexRepo peer : List.of(a, b)) {
            assertEquals("1 A\n2\n3\n4\n5 B\n", read(peer, "merged.txt"));
            List<String> versions = List.of(read(peer, small.keptAs().get(0)), read(peer, small.keptAs().get(1)));
            assertTrue(versions.containsAll(List.of("line1 A\nline2\nline3\n", "line1 B\nline2\nline3\n")));
        }
    }

    @Test
    void fastForwardsAndPopulatesUnlockedContent() throws Exception {
        commitFile(a, "new.bin", "new content\n", UNLOCKED);
        Peers.shareContent(a, b);
        Peers.fetch(b, "a");
        MergeReport report = new Merger(b).merge(List.of("refs/remotes/a/synced/main", A_MAIN));
        String aHead = a.git().resolve("HEAD").name();
        assertEquals(new MergeReport(List.of(A_MAIN), List.of(), Optional.of(aHead), List.of()), report);
        assertEquals(aHead, b.git().resolve("HEAD").name());
        assertEquals("new content\n", read(b, "new.bin"));
        assertEquals("unlocked\n", read(b, "un.txt"));
        Peers.assertClean(b, tools);
        assertEquals(MergeReport.none(), new Merger(b).merge(List.of(A_MAIN)));
    }

    @Test
    void unlockedFileWithoutLocalContentGetsItsPointer() throws Exception {
        commitFile(a, "absent.bin", "not shared\n", UNLOCKED);
        Peers.fetch(b, "a");
        new Merger(b).merge(List.of(A_MAIN));
        assertTrue(read(b, "absent.bin").startsWith("/annex/objects/SHA256E-s11--"));
        Peers.assertClean(b, tools);
    }

    @Test
    void mergesUnrelatedHistories() throws Exception {
        try (AnnexRepo c = Peers.init(tmp.resolve("c"))) {
            commitFile(c, "c.txt", "from c\n", GIT);
            Peers.addRemote(a, "c", c);
            Peers.fetch(a, "c");
            MergeReport report = new Merger(a).merge(List.of("refs/remotes/c/main"));
            assertEquals(List.of("refs/remotes/c/main"), report.merged());
            assertEquals("from c\n", read(a, "c.txt"));
            assertEquals("one\n", read(a, "one.txt"));
            try (RevWalk walk = new RevWalk(a.git())) {
                RevCommit head = walk.parseCommit(a.git().resolve("HEAD"));
                assertEquals(2, head.getParentCount());
                assertEquals("merging refs/remotes/c/main into main", head.getShortMessage());
            }
            Peers.assertClean(a, tools);
        }
    }

    @Test
    void neverOverwritesAFileChangedSinceTheLastCommit() throws Exception {
        commitFile(a, "small.txt", "from A\n", GIT);
        Files.writeString(b.workTree().resolve("small.txt"), "typed in B meanwhile\n");
        Peers.fetch(b, "a");
        MergeReport report = new Merger(b).merge(List.of(A_MAIN));
        assertEquals("typed in B meanwhile\n", read(b, "small.txt"));
        assertEquals(List.of(new ConflictResolution("small.txt", Kind.LOCAL_CHANGE_KEPT, List.of("small.txt"))),
                report.conflicts());
        assertEquals(List.of(new WorkTreeChange('M', "small.txt")), b.status());
        assertEquals(a.git().resolve("HEAD"), b.git().resolve("HEAD"));
        assertTrue(Files.exists(b.workTree().resolve("one.txt"), LinkOption.NOFOLLOW_LINKS));
    }
}
