package io.annexsync.gitsync.sync;

import static io.annexsync.gitsync.sync.Peers.GIT;
import static io.annexsync.gitsync.sync.Peers.commitFile;
import static io.annexsync.gitsync.sync.Peers.headFiles;
import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.AnnexRepo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The merge of a commit whose tree holds unsafe entries: they are left out and reported, the rest is merged, a
 * fast-forward becomes a merge commit that records the incoming commit as merged, and nothing is tried twice.
 */
class UnsafeMergeTest {
    private static final String THEIRS = "refs/remotes/peer/main";

    @TempDir
    Path tmp;
    private AnnexRepo origin;
    private AnnexRepo repo;

    @BeforeEach
    void aClone() throws Exception {
        origin = Peers.init(tmp.resolve("origin"));
        commitFile(origin, "kept.txt", "kept\n", GIT);
        repo = Peers.cloneOf(origin, tmp.resolve("repo"));
    }

    @AfterEach
    void close() {
        repo.close();
        origin.close();
    }

    /** A commit on top of HEAD whose root adds a good file, a .git folder, a raw '../x' name, and d beside d/f. */
    private ObjectId hostileCommit(ObjectId parent) throws Exception {
        try (ObjectInserter ins = repo.git().newObjectInserter(); RevWalk walk = new RevWalk(repo.git())) {
            RevCommit base = walk.parseCommit(parent);
            TreeFormatter root = new TreeFormatter();
            ObjectId x = ins.insert(Constants.OBJ_BLOB, "x\n".getBytes(StandardCharsets.UTF_8));
            TreeFormatter dotGit = new TreeFormatter();
            dotGit.append("config", FileMode.REGULAR_FILE, x);
            TreeFormatter d = new TreeFormatter();
            d.append("f", FileMode.REGULAR_FILE, x);
            root.append("../x", FileMode.REGULAR_FILE, x);
            root.append(".git", FileMode.TREE, ins.insert(dotGit));
            root.append("d", FileMode.SYMLINK, ins.insert(Constants.OBJ_BLOB, tmp.toString().getBytes(
                    StandardCharsets.UTF_8)));
            root.append("d", FileMode.TREE, ins.insert(d));
            root.append("good.txt", FileMode.REGULAR_FILE, x);
            try (TreeWalk w = new TreeWalk(repo.git())) {
                w.addTree(base.getTree());
                while (w.next()) {
                    root.append(w.getNameString(), w.getFileMode(0), w.getObjectId(0));
                }
            }
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(ins.insert(root));
            c.setParentId(base);
            PersonIdent who = new PersonIdent("Peer", "peer@example.com");
            c.setAuthor(who);
            c.setCommitter(who);
            c.setMessage("plant\n");
            ObjectId id = ins.insert(c);
            ins.flush();
            RefUpdate u = repo.git().updateRef(THEIRS);
            u.setNewObjectId(id);
            u.setForceUpdate(true);
            u.update();
            return id;
        }
    }

    @Test
    void aFastForwardIntoAnUnsafeTreeBecomesAMergeCommitWithoutTheUnsafeEntries() throws Exception {
        ObjectId before = repo.git().resolve("HEAD");
        ObjectId theirs = hostileCommit(before);

        MergeReport report = new Merger(repo).merge(List.of(THEIRS));

        assertThat(report.merged()).containsExactly(THEIRS);
        assertThat(report.unsafe()).singleElement().satisfies(u -> {
            assertThat(u.ref()).isEqualTo(THEIRS);
            assertThat(u.commit()).isEqualTo(theirs.name());
            assertThat(u.paths()).extracting(UnsafePath::path).containsExactly("../x", ".git/config", "d/f");
        });
        assertThat(headFiles(repo)).containsOnlyKeys("kept.txt", "good.txt", "d");
        try (RevWalk walk = new RevWalk(repo.git())) {
            RevCommit head = walk.parseCommit(repo.git().resolve("HEAD"));
            assertThat(head.getParents()).extracting(RevCommit::getId).containsExactly(before, theirs);
        }
        assertThat(Files.readString(repo.workTree().resolve("good.txt"))).isEqualTo("x\n");
        assertThat(Files.isSymbolicLink(repo.workTree().resolve("d"))).isTrue();
        assertThat(tmp.resolve("f")).doesNotExist();
        assertThat(tmp.resolve("x")).doesNotExist();
        assertThat(repo.gitDir().resolve("config")).content().contains("[core]").isNotEqualTo("x\n");

        assertThat(new Merger(repo).merge(List.of(THEIRS))).isEqualTo(MergeReport.none());
    }

    @Test
    void aThreeWayMergeLeavesTheUnsafeEntriesOutOfEverySide() throws Exception {
        ObjectId base = repo.git().resolve("HEAD");
        commitFile(repo, "ours.txt", "ours\n", GIT);
        ObjectId theirs = hostileCommit(base);

        MergeReport report = new Merger(repo).merge(List.of(THEIRS));

        assertThat(report.unsafe()).singleElement().satisfies(u -> assertThat(u.commit()).isEqualTo(theirs.name()));
        assertThat(headFiles(repo)).containsOnlyKeys("kept.txt", "ours.txt", "good.txt", "d");
        assertThat(Files.exists(repo.workTree().resolve("d/f"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(tmp.resolve("f")).doesNotExist();
        assertThat(repo.status()).isEmpty();
    }
}
