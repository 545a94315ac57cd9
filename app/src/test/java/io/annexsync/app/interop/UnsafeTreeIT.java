package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.annexsync.app.interop.HostileCommits.Blob;
import io.annexsync.app.interop.HostileCommits.Folder;
import io.annexsync.app.interop.HostileCommits.Link;
import io.annexsync.app.interop.HostileCommits.Plant;
import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.FileMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A path remote whose {@code synced/master} was crafted with git plumbing to write outside the folder and into
 * {@code .git}: {@code annex-sync sync} writes none of it, says which remote, commit and paths, keeps every good change
 * of the same commit and of later ones, does not fail again for what it already reported, and forgets the problem
 * once the peer's tree is clean; real git-annex then syncs and fscks the same repositories without harm.
 */
class UnsafeTreeIT {
    private static final String REF = "refs/heads/synced/master";

    @TempDir
    Path tmp;

    private GitAnnex tools;
    private Path ours;
    private Path hostile;
    private Path outside;
    private Path aboveTmp;

    @BeforeEach
    void oursAndAHostileClone() throws IOException {
        Oracle.assumeGitAnnex();
        tools = new GitAnnex(tmp.resolve("home"));
        ours = tmp.resolve("ours");
        Files.createDirectories(ours);
        Files.writeString(ours.resolve("shared.txt"), "shared\n");
        Cli.ok(ours, "init", "ours");
        Oracle.identity(tools, ours);
        Cli.ok(ours, "add", ".");
        Cli.ok(ours, "commit", "-m", "start");
        hostile = tmp.resolve("hostile");
        tools.git(tmp, "clone", "-q", ours.toString(), hostile.toString());
        Oracle.identity(tools, hostile);
        tools.annex(hostile, "init", "hostile");
        Cli.ok(ours, "remote", "add", "hostile", hostile.toString());
        outside = Files.createDirectories(tmp.resolve("outside"));
        aboveTmp = tmp.getParent().resolve("planted-" + tmp.getFileName());
    }

    @AfterEach
    void removeWhatEscaped() throws IOException {
        Files.deleteIfExists(aboveTmp);
    }

    /** Every hostile entry of the brief, and a good file beside them. */
    private List<Plant> plants() {
        String hook = "#!/bin/sh\ntouch " + tmp.resolve("hook-ran") + "\n";
        String conf = "[assistant]\n\tonchange = touch " + tmp.resolve("onchange-ran") + "\n";
        return List.of(
                new Blob("good.txt", "a good change\n", FileMode.REGULAR_FILE),
                new Folder("..", Map.of("escape-dotdot", "x\n"), FileMode.REGULAR_FILE),
                new Blob("../escape-slash", "x\n", FileMode.REGULAR_FILE),
                new Blob("sub/../../escape-sub", "x\n", FileMode.REGULAR_FILE),
                new Blob(tmp.resolve("escape-absolute").toString(), "x\n", FileMode.REGULAR_FILE),
                new Folder(".git", Map.of("hooks/post-commit", hook, "annex-sync/assistant.conf", conf),
                        FileMode.EXECUTABLE_FILE),
                new Folder(".GIT", Map.of("x", "x\n"), FileMode.REGULAR_FILE),
                new Folder(".git.", Map.of("x", "x\n"), FileMode.REGULAR_FILE),
                new Folder(".git  ", Map.of("x", "x\n"), FileMode.REGULAR_FILE),
                new Folder("GIT~1", Map.of("x", "x\n"), FileMode.REGULAR_FILE),
                new Folder(".g\u200cit", Map.of("x", "x\n"), FileMode.REGULAR_FILE),
                new Link("d", outside.toString()),
                new Folder("d", Map.of("through-absolute-link", "x\n"), FileMode.REGULAR_FILE),
                new Link("e", "../.."),
                new Folder("e", Map.of(aboveTmp.getFileName().toString(), "x\n"), FileMode.REGULAR_FILE));
    }

    /** Every place the plants above would land if they were written. */
    private List<Path> escapes() {
        return List.of(tmp.resolve("escape-dotdot"), tmp.resolve("escape-slash"), tmp.resolve("escape-sub"),
                tmp.resolve("escape-absolute"), ours.resolve(".git/annex-sync/assistant.conf"),
                outside.resolve("through-absolute-link"), aboveTmp, ours.resolve(".GIT"), ours.resolve(".git."),
                ours.resolve(".git  "), ours.resolve("GIT~1"), ours.resolve(".g\u200cit"), tmp.resolve("hook-ran"),
                tmp.resolve("onchange-ran"));
    }

    @Test
    void hostileEntriesAreLeftOutReportedOnceAndGoodChangesStillArrive() throws IOException {
        Map<String, String> hooksBefore = files(ours.resolve(".git/hooks"));
        String bad = HostileCommits.commit(hostile, "HEAD", REF, "plant", plants());

        Cli.Run first = Cli.run(ours, "sync", "--timeout", "60");

        assertThat(first.exitCode()).as("%s", first).isEqualTo(1);
        assertThat(first.err()).as("%s", first)
                .contains("left out unsafe path .git/hooks/post-commit of hostile (refs/remotes/hostile/synced/master,"
                        + " commit " + bad + "): ")
                .contains("../escape-slash").contains("sub/../../escape-sub").contains("d/through-absolute-link")
                .contains(".GIT/x").contains("GIT~1/x").contains(".git/annex-sync/assistant.conf");
        assertNothingEscaped(hooksBefore);
        assertThat(Files.readString(ours.resolve("good.txt"))).isEqualTo("a good change\n");
        assertThat(Files.readString(ours.resolve("shared.txt"))).isEqualTo("shared\n");

        tools.git(ours, "commit", "-q", "--allow-empty", "-m", "a plain git commit runs the hooks");
        assertThat(tmp.resolve("hook-ran")).doesNotExist();

        String status = Cli.ok(ours, "status").out();
        assertThat(status).contains("unsafe paths left out of hostile (refs/remotes/hostile/synced/master) at commit "
                + bad).contains(".git/hooks/post-commit");
        JsonObject json = Oracle.jsonLines(Cli.ok(ours, "status", "--json").out()).stream()
                .filter(o -> o.has("unsafe-commit")).findFirst().orElseThrow();
        assertThat(json.get("unsafe-commit").getAsString()).isEqualTo(bad);
        assertThat(json.get("remote").getAsString()).isEqualTo("hostile");
        assertThat(json.getAsJsonArray("paths").toString()).contains(".git/hooks/post-commit");

        Cli.Run second = Cli.run(ours, "sync", "--timeout", "60");
        assertThat(second.exitCode()).as("%s", second).isZero();
        assertThat(second.err()).as("%s", second).doesNotContain("unsafe");

        String later = HostileCommits.commit(hostile, bad, REF, "a good change on top, still carrying the plants",
                List.of(new Blob("later.txt", "later\n", FileMode.REGULAR_FILE)));
        Cli.Run third = Cli.run(ours, "sync", "--timeout", "60");
        assertThat(third.exitCode()).as("the same unsafe paths, already reported: %s", third).isZero();
        assertThat(Files.readString(ours.resolve("later.txt"))).isEqualTo("later\n");
        assertNothingEscaped(hooksBefore);
        assertThat(Cli.ok(ours, "status").out()).contains("at commit " + later);

        cleanTreeOnTop();
        Cli.ok(ours, "sync", "--timeout", "60");
        assertThat(Files.readString(ours.resolve("clean.txt"))).isEqualTo("clean\n");
        assertThat(Cli.ok(ours, "status").out()).doesNotContain("unsafe");

        GitAnnex.Outcome annexSync = tools.tryAnnex(ours, "sync");
        assertThat(annexSync.exitCode()).as("git annex sync in ours:\n%s", annexSync.all()).isZero();
        assertThat(tmp.resolve("hook-ran")).as("git annex sync commits: no planted hook ran").doesNotExist();
        Oracle.assertGitAnnexFsckPasses(tools, ours);
        assertNothingEscaped(hooksBefore);
    }

    /**
     * The work tree holds a link where the index has a folder: the person moved {@code w} out of the folder and left a
     * link to it. {@code drop} and {@code get} put a pointer and the content in place of {@code w/f}: neither may
     * write where the link leads; each fails with the path and the cause, and nothing is lost.
     */
    @Test
    void dropAndGetNeverWriteThroughALinkInTheWorkTree() throws IOException {
        Files.createDirectories(ours.resolve("w"));
        Files.writeString(ours.resolve("w/f"), "kept outside\n");
        Cli.ok(ours, "add", "w/f");
        Cli.ok(ours, "commit", "-m", "w/f");
        Cli.ok(ours, "copy", "--to", "hostile", "w/f");
        Files.move(ours.resolve("w"), outside.resolve("w"));
        Files.createSymbolicLink(ours.resolve("w"), outside.resolve("w"));

        Cli.Run drop = Cli.run(ours, "drop", "w/f");
        assertThat(drop.exitCode()).as("%s", drop).isEqualTo(1);
        assertThat(drop.err()).contains("refusing to write w/f: w is a symbolic link");
        assertThat(outside.resolve("w/f")).hasContent("kept outside");

        Cli.Run get = Cli.run(ours, "get", "w/f");
        assertThat(outside.resolve("w/f")).as("%s", get).hasContent("kept outside");
        Cli.Run whereis = Cli.ok(ours, "whereis", "w/f");
        assertThat(whereis.out()).as("the content is still here").contains("[here]");
    }

    /**
     * The work tree holds a link where the tree has a folder: {@code w/f} is committed, then the person moves the
     * folder away and leaves a link to it in its place (ignored, so no commit records the link). A peer deletes
     * {@code w/f}; the checkout must not delete the file the link leads to, outside the folder.
     */
    @Test
    void aLinkInTheWorkTreeWhereTheTreeHasAFolderIsNeverWrittenOrDeletedThrough() throws IOException {
        Files.createDirectories(ours.resolve("w"));
        Files.writeString(ours.resolve("w/f"), "kept outside\n");
        Cli.ok(ours, "add", "w/f");
        Cli.ok(ours, "commit", "-m", "w/f");
        Files.writeString(ours.resolve(".gitignore"), "w\n");
        Cli.ok(ours, "add", ".gitignore");
        Cli.ok(ours, "commit", "-m", "w ignored from now on");
        Cli.ok(ours, "sync", "--timeout", "60");
        tools.git(hostile, "pull", "-q", "origin", "master");
        tools.git(hostile, "rm", "-q", "w/f");
        Files.writeString(hostile.resolve("good.txt"), "a good change\n");
        tools.git(hostile, "-c", "annex.largefiles=nothing", "add", "good.txt");
        tools.git(hostile, "commit", "-q", "-m", "w/f deleted");
        tools.git(hostile, "branch", "-f", "synced/master", "master");
        Files.move(ours.resolve("w/f"), outside.resolve("f"));
        Files.delete(ours.resolve("w"));
        Files.createSymbolicLink(ours.resolve("w"), outside);

        Cli.Run sync = Cli.run(ours, "sync", "--no-push", "--timeout", "60");

        assertThat(outside.resolve("f")).as("%s", sync).hasContent("kept outside");
        assertThat(Files.isSymbolicLink(ours.resolve("w"))).isTrue();
        assertThat(Files.readString(ours.resolve("good.txt"))).as("%s", sync).isEqualTo("a good change\n");
        assertThat(sync.out() + sync.err()).contains("w/f");
    }

    /**
     * A uuid names folders ({@code .git/annex/transfer/upload/UUID/KEY}) and a peer chooses its own: one whose
     * {@code annex.uuid} is {@code ..} is refused as a remote, and {@code ..} in its logs is not a uuid.
     */
    @Test
    void aPeerWhoseUuidIsDotDotIsRefusedAsARemote() throws IOException {
        Path peer = tmp.resolve("dotdot");
        tools.git(tmp, "clone", "-q", ours.toString(), peer.toString());
        tools.git(peer, "config", "annex.uuid", "..");
        tools.git(peer, "config", "annex.version", "10");

        Cli.Run add = Cli.run(ours, "remote", "add", "dotdot", peer.toString());

        assertThat(add.exitCode()).as("%s", add).isEqualTo(4);
        assertThat(add.err()).contains("has annex.uuid '..', which is not a repository uuid");
        assertThat(tools.tryGit(ours, "config", "remote.dotdot.url").exitCode()).isNotZero();
    }

    /** The hostile peer removes its planted entries: a commit on top whose tree is clean again. */
    private void cleanTreeOnTop() throws IOException {
        tools.git(hostile, "checkout", "-q", "master");
        tools.git(hostile, "merge", "-q", "--no-edit", "-s", "ours", "synced/master");
        Files.writeString(hostile.resolve("good.txt"), "a good change\n");
        Files.writeString(hostile.resolve("later.txt"), "later\n");
        Files.writeString(hostile.resolve("clean.txt"), "clean\n");
        tools.git(hostile, "-c", "annex.largefiles=nothing", "add", "good.txt", "later.txt", "clean.txt");
        tools.git(hostile, "commit", "-q", "-m", "clean again");
        tools.git(hostile, "branch", "-f", "synced/master", "master");
    }

    private void assertNothingEscaped(Map<String, String> hooksBefore) throws IOException {
        for (Path p : escapes()) {
            assertThat(Files.exists(p, LinkOption.NOFOLLOW_LINKS)).as("%s was written", p).isFalse();
        }
        assertThat(Files.list(outside).toList()).as("nothing written through the link d").isEmpty();
        assertThat(files(ours.resolve(".git/hooks"))).as("the hooks").isEqualTo(hooksBefore);
        assertThat(Files.isDirectory(ours.resolve("d"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    private static Map<String, String> files(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : new ArrayList<>(s.toList())) {
                out.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        return out;
    }
}
