package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon gets every annexed file it lacks, whatever order the events that tell it of the file come in: the
 * orders that left a file a pointer forever are made here on purpose, with a real daemon in folder {@code b} and
 * folder {@code a} changed by the command line and real git, and {@code annex-sync status} must say why a file is
 * still waiting.
 */
class ContentConvergenceIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private DaemonFolders f;
    private GitAnnex tools;
    private Path a;
    private Path b;
    private byte[] photo;

    @BeforeEach
    void folders() throws IOException {
        f = new DaemonFolders(tmp, 3);
        tools = f.tools();
        a = f.folder("a");
        b = f.folder("b");
        DaemonFolders.link(a, "b", b);
        DaemonFolders.link(b, "a", a);
        photo = f.bytes(1 << 20);
    }

    /** a commits the photo, after b's daemon started (so b has not fetched it at its start). */
    private void commitPhoto(Path dir) throws IOException {
        Files.write(dir.resolve("photo.jpg"), photo);
        Cli.ok(dir, "add", "photo.jpg");
        Cli.ok(dir, "commit", "-m", "a photo");
    }

    @AfterEach
    void stopDaemons() throws InterruptedException {
        f.close();
    }

    /**
     * The tree reaches b before the git-annex branch that says a has the content (a push that updated one ref and not
     * yet the other, or a peer that pushed them apart): when the location log arrives the file is asked for.
     */
    @Test
    void aFileWhoseLocationLogArrivesAfterItsPointerIsFetchedWhenTheLogArrives() throws Exception {
        f.start("b", b);
        commitPhoto(a);
        pushToB(branch() + ":synced/" + branch());
        awaitPointer(b.resolve("photo.jpg"));

        pushToB("git-annex:synced/git-annex");
        awaitContent(b.resolve("photo.jpg"));
    }

    /**
     * The merge that wrote the pointer failed after it (another process held the git-annex branch's lock, as a
     * peer's git gc packing refs does for a moment; a lock older than 2 s is cleared as a killed writer's): the file
     * is still asked for, the merge is done again once the lock is free,
     * and content a peer uploads meanwhile is put in place.
     */
    @Test
    void aFileWhoseMergeFailedAfterWritingItsPointerStillGetsItsContent() throws Exception {
        Daemon db = f.start("b", b);
        commitPhoto(a);
        Path lock = b.resolve(".git/refs/heads/git-annex.lock");
        Files.createDirectories(lock.getParent());
        Files.writeString(lock, "");
        pushToB(branch() + ":synced/" + branch(), "git-annex:synced/git-annex");
        awaitPointerOrContent(b.resolve("photo.jpg"));
        await("the merge's failure in b's log").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> db.output().contains("refs/heads/git-annex.lock exists"));
        Files.deleteIfExists(lock);

        Cli.ok(a, "copy", "--to", "b", "photo.jpg");
        awaitContent(b.resolve("photo.jpg"));
        await("synced/git-annex merged into b's git-annex").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> tools.tryGit(b, "merge-base", "--is-ancestor", "synced/git-annex", "git-annex")
                        .exitCode() == 0);
        Oracle.assumeGitAnnex();
        assertThat(Oracle.whereis(tools.annex(b, "whereis", "--json", "photo.jpg")).get("photo.jpg"))
                .as("git annex whereis in b").hasSize(2);
    }

    /**
     * While a file waits, {@code status} (text and JSON) says why: no known copy (the location log has not come),
     * then the remote that has it unreachable; once the remote is back the content comes.
     */
    @Test
    void statusSaysWhyAFileIsWaitingUntilItsContentComes() throws Exception {
        Path away = tmp.resolve("a-away");
        Files.move(a, away);
        f.start("b", b);
        commitPhoto(away);
        String branch = tools.git(away, "symbolic-ref", "--short", "HEAD").trim();
        tools.git(away, "push", b.toString(), branch + ":synced/" + branch);
        awaitReason("photo.jpg: no known copy");

        tools.git(away, "push", b.toString(), "git-annex:synced/git-annex");
        awaitReason("photo.jpg: a unreachable");
        JsonObject waiting = daemonStatus().getAsJsonArray("waiting").get(0).getAsJsonObject();
        assertThat(waiting.get("file").getAsString()).isEqualTo("photo.jpg");
        assertThat(waiting.get("reason").getAsString()).isEqualTo("a unreachable");

        Files.move(away, a);
        awaitContent(b.resolve("photo.jpg"));
        await("nothing waiting in b").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> daemonStatus().get("waiting-for-content").getAsInt() == 0);
        assertThat(Cli.ok(b, "status").out()).contains("0 files waiting for content");
    }

    /** A download that fails (a's copy is gone though its log says a has it) shows its error while it is retried. */
    @Test
    void statusShowsTheErrorOfADownloadThatFailsWhileItIsRetried() throws Exception {
        f.start("b", b);
        commitPhoto(a);
        Path object = objectOf(a, "photo.jpg");
        object.getParent().toFile().setWritable(true);
        Files.delete(object);
        pushToB(branch() + ":synced/" + branch(), "git-annex:synced/git-annex");
        awaitReason("photo.jpg: waiting for content from a; transfer failed");
        assertThat(Cli.ok(b, "status").out()).contains("a does not have the content of photo.jpg");
    }

    // ---- helpers

    private String branch() {
        return tools.git(a, "symbolic-ref", "--short", "HEAD").trim();
    }

    private void pushToB(String... refspecs) {
        String[] args = new String[refspecs.length + 2];
        args[0] = "push";
        args[1] = b.toString();
        System.arraycopy(refspecs, 0, args, 2, refspecs.length);
        tools.git(a, args);
    }

    private static Path objectOf(Path repo, String file) throws IOException {
        String key = Oracle.jsonLines(Cli.ok(repo, "whereis", "--json", file).out()).get(0).get("key").getAsString();
        try (var files = Files.walk(repo.resolve(".git/annex/objects"))) {
            return files.filter(p -> p.getFileName().toString().equals(key) && Files.isRegularFile(p)).findFirst()
                    .orElseThrow(() -> new AssertionError("no object for " + key));
        }
    }

    private JsonObject daemonStatus() {
        return Oracle.jsonLines(Cli.ok(b, "status", "--json").out()).get(0).getAsJsonObject("daemon");
    }

    private void awaitReason(String line) {
        await("'" + line + "' in b's status").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> Cli.ok(b, "status").out().contains(line));
    }

    private void awaitPointer(Path file) {
        await(file + " a pointer").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(file) && new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)
                        .startsWith("/annex/objects/"));
    }

    private void awaitPointerOrContent(Path file) {
        await(file + " checked out").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(file));
    }

    private void awaitContent(Path file) {
        await(file + " with its content").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(Arrays.equals(Files.readAllBytes(file), photo))
                        .as("content of %s (daemon: %s)", file, f.logs()).isTrue());
    }
}
