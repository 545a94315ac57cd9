package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.annexsync.gitsync.branch.AnnexBranch;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer's git-annex branch whose location log holds a 10 MB timestamp line ({@code 1111...s 1 UUID}): {@code sync}
 * and {@code whereis} used to hang for minutes parsing it; now they skip the line within seconds and keep every
 * good one, and real git-annex reads the merged branch for the other files.
 */
class HugeBranchLogIT {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void aTenMegabyteTimestampInAPeersLocationLogNeitherHangsSyncNorWhereis() throws IOException {
        Oracle.assumeGitAnnex();
        GitAnnex tools = new GitAnnex(tmp.resolve("home"));
        Path ours = Files.createDirectories(tmp.resolve("ours"));
        Files.writeString(ours.resolve("poisoned.txt"), "its log gets a huge line\n");
        Files.writeString(ours.resolve("other.txt"), "an ordinary file\n");
        Cli.ok(ours, "init", "ours");
        Oracle.identity(tools, ours);
        Cli.ok(ours, "add", ".");
        Cli.ok(ours, "commit", "-m", "two files");
        Path peer = tmp.resolve("peer");
        tools.git(tmp, "clone", "-q", ours.toString(), peer.toString());
        Oracle.identity(tools, peer);
        tools.annex(peer, "init", "peer");
        Cli.ok(ours, "remote", "add", "peer", peer.toString());
        String ourUuid = tools.git(ours, "config", "annex.uuid").strip();
        Key key = Key.parse(tools.annex(ours, "lookupkey", "poisoned.txt").strip()).orElseThrow();
        String log = AnnexBranch.locationLog(key);
        String huge = "1".repeat(10 * 1024 * 1024) + "s 1 " + ourUuid + "\n";
        replaceBranchFile(peer, log, "1500000000s 1 " + ourUuid + "\n" + huge);

        Cli.Run sync = assertTimeoutPreemptively(LIMIT, () -> Cli.run(ours, "sync", "--timeout", "60"));
        assertThat(sync.exitCode()).as("%s", sync).isZero();
        Cli.Run whereis = assertTimeoutPreemptively(LIMIT, () -> Cli.run(ours, "whereis", "--json"));
        assertThat(whereis.exitCode()).as("%s", whereis).isZero();
        Map<String, Set<String>> where = Oracle.whereis(whereis.out());
        assertThat(where).containsEntry("poisoned.txt", Set.of(ourUuid)).containsEntry("other.txt", Set.of(ourUuid));
        GitAnnex.Outcome other = tools.tryAnnex(ours, "whereis", "--json", "other.txt");
        assertThat(other.exitCode()).as("git annex whereis other.txt:\n%s", other.all()).isZero();
        assertThat(Oracle.whereis(other.out())).containsEntry("other.txt", Set.of(ourUuid));
    }

    /** Commits on top of the peer's git-annex branch with {@code path} holding {@code content}, as a peer could. */
    private static void replaceBranchFile(Path repoDir, String path, String content) throws IOException {
        try (Repository repo = new FileRepositoryBuilder().setGitDir(repoDir.resolve(".git").toFile()).build();
                ObjectInserter ins = repo.newObjectInserter();
                RevWalk walk = new RevWalk(repo)) {
            RevCommit tip = walk.parseCommit(repo.resolve("refs/heads/git-annex"));
            DirCache index = DirCache.newInCore();
            try (var reader = repo.newObjectReader()) {
                var builder = index.builder();
                builder.addTree(new byte[0], 0, reader, tip.getTree());
                builder.finish();
            }
            ObjectId blob = ins.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8));
            DirCacheEditor editor = index.editor();
            editor.add(new DirCacheEditor.PathEdit(path) {
                @Override
                public void apply(DirCacheEntry e) {
                    e.setFileMode(FileMode.REGULAR_FILE);
                    e.setObjectId(blob);
                }
            });
            editor.finish();
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(index.writeTree(ins));
            c.setParentId(tip);
            PersonIdent who = new PersonIdent("Peer", "peer@example.com");
            c.setAuthor(who);
            c.setCommitter(who);
            c.setMessage("update\n");
            ObjectId id = ins.insert(c);
            ins.flush();
            RefUpdate u = repo.updateRef("refs/heads/git-annex");
            u.setNewObjectId(id);
            u.setExpectedOldObjectId(tip);
            assertThat(u.update()).isIn(RefUpdate.Result.FAST_FORWARD, RefUpdate.Result.FORCED);
        }
    }
}
