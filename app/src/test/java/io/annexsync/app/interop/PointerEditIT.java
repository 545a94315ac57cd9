package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A work-tree file that still holds its pointer (the content is not here) never becomes a new version of the file
 * when a person touches it or appends to it: {@code add} and {@code sync} refuse it with a message, the daemon
 * leaves the pointer committed and logs why, and the real content stays the file's version in every repository.
 * (git-annex 10.20230126 warns and annexes the pointer with the appended text as the new version.)
 */
class PointerEditIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private DaemonFolders f;
    private GitAnnex tools;
    private Path a;
    private Path b;
    private byte[] photo;
    private String pointer;

    @BeforeEach
    void folders() throws IOException {
        f = new DaemonFolders(tmp, 5);
        tools = f.tools();
        a = f.folder("a");
        b = f.folder("b");
        DaemonFolders.link(a, "b", b);
        DaemonFolders.link(b, "a", a);
        photo = f.bytes(1 << 20);
    }

    /** a commits the photo (after b's daemon started, when there is one, so that it is not fetched at its start). */
    private void commitPhoto() throws IOException {
        Files.write(a.resolve("photo.jpg"), photo);
        Cli.ok(a, "add", "photo.jpg");
        Cli.ok(a, "commit", "-m", "a photo");
        pointer = tools.git(a, "show", "HEAD:photo.jpg");
    }

    @AfterEach
    void stopDaemons() throws InterruptedException {
        f.close();
    }

    @Test
    void addAndSyncRefuseAPointerWithTextAppendedAndLeaveATouchedOneAlone() throws Exception {
        commitPhoto();
        Cli.ok(b, "sync");
        Path file = b.resolve("photo.jpg");
        assertThat(Files.readString(file)).isEqualTo(pointer);

        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        Cli.Run touched = Cli.run(b, "add", "photo.jpg");
        assertThat(touched.exitCode()).as("%s", touched).isZero();
        assertThat(touched.out() + touched.err()).isEmpty();

        Files.writeString(file, "my notes\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Cli.Run add = Cli.run(b, "add", "photo.jpg");
        assertThat(add.exitCode()).as("%s", add).isEqualTo(1);
        assertThat(add.err()).contains("add photo.jpg refused: it is the pointer file of SHA256E-s1048576--")
                .contains("(whose content is not here) with other content appended")
                .contains("annex-sync get photo.jpg");
        Cli.Run sync = Cli.run(b, "sync");
        assertThat(sync.exitCode()).as("%s", sync).isEqualTo(1);
        assertThat(sync.err()).contains("not committed: photo.jpg: it is the pointer file of");

        assertThat(tools.git(b, "show", "HEAD:photo.jpg")).as("b's commit keeps the pointer").isEqualTo(pointer);
        Cli.ok(a, "sync");
        assertThat(tools.git(a, "show", "HEAD:photo.jpg")).isEqualTo(pointer);
        assertThat(Files.readAllBytes(a.resolve("photo.jpg"))).as("a's real file").isEqualTo(photo);
        assertThat(Files.readString(file)).as("what the person typed is kept").isEqualTo(pointer + "my notes\n");
        if (GitAnnex.available()) {
            assertThat(tools.git(b, "status", "--porcelain")).as("git sees b's edit, uncommitted")
                    .contains("photo.jpg");
        }
    }

    @Test
    void theDaemonKeepsThePointerCommittedWhenAPersonAppendsToIt() throws Exception {
        Daemon db = f.start("b", b);
        commitPhoto();
        Path away = tmp.resolve("a-away");
        Files.move(a, away);
        String branch = tools.git(away, "symbolic-ref", "--short", "HEAD").trim();
        tools.git(away, "push", b.toString(), branch + ":synced/" + branch, "git-annex:synced/git-annex");
        Path file = b.resolve("photo.jpg");
        await("b's merge of a's commit, its pointer checked out").atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> pointer.equals(tools.tryGit(b, "show", "HEAD:photo.jpg").out())
                        && Files.exists(file) && Files.readString(file).equals(pointer));

        Files.writeString(file, "my notes\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        await("b's daemon looked at the edited pointer").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> db.output().contains("not committed: photo.jpg")
                        || !pointer.equals(tools.git(b, "show", "HEAD:photo.jpg")));
        assertThat(tools.git(b, "show", "HEAD:photo.jpg")).as("b's commit keeps the pointer").isEqualTo(pointer);
        assertThat(db.output()).contains("not committed: photo.jpg: it is the pointer file of SHA256E-s1048576--")
                .contains("(whose content is not here) with other content appended");

        Files.move(away, a);
        await("the content in b's store").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> Cli.ok(b, "whereis", "photo.jpg").out().contains("[here]"));
        assertThat(Files.readString(file)).as("what the person typed is kept").isEqualTo(pointer + "my notes\n");
        assertThat(tools.git(b, "show", "HEAD:photo.jpg")).isEqualTo(pointer);
        assertThat(Files.readAllBytes(a.resolve("photo.jpg"))).isEqualTo(photo);
        Oracle.assumeGitAnnex();
        await("b's location log, through git annex sync in a").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    tools.annex(a, "sync");
                    assertThat(Oracle.whereis(tools.annex(a, "whereis", "--json", "photo.jpg")).get("photo.jpg"))
                            .as("git annex whereis in a").hasSize(2);
                });
        assertThat(tools.git(a, "show", "HEAD:photo.jpg")).as("a's branch after git annex sync with b")
                .isEqualTo(pointer);
        assertThat(Files.readAllBytes(a.resolve("photo.jpg"))).as("a's file after git annex sync").isEqualTo(photo);
        Oracle.assertGitAnnexFsckPasses(tools, a);
    }
}
