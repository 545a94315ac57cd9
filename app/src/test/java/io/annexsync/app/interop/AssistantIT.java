package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assistant end to end: folders that are each other's path remotes, each with its daemon in a JVM of its own,
 * changed by hand as a person would; the tests wait (bounded) for every folder to show the same files with the same
 * content, and check that no version is lost.
 */
class AssistantIT {
    static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    private DaemonFolders f;
    private GitAnnex tools;

    @BeforeEach
    void folders() {
        f = new DaemonFolders(tmp, 7);
        tools = f.tools();
    }

    @AfterEach
    void stopDaemons() throws InterruptedException {
        f.close();
    }

    @Test
    void twoFoldersShareEditsDeletionsRenamesAndBothSidesOfAConflict() throws Exception {
        Path a = folder("a");
        Path b = folder("b");
        link(a, "b", b);
        link(b, "a", a);
        Daemon da = start("a", a);
        Daemon db = start("b", b);

        write(a.resolve("notes.txt"), "first notes\n");
        byte[] photo = bytes(1 << 20);
        Files.write(a.resolve("photo.jpg"), photo);
        awaitSame(a, b);
        assertThat(Files.readAllBytes(b.resolve("photo.jpg"))).isEqualTo(photo);

        write(a.resolve("notes.txt"), "edited notes\n");
        Files.write(b.resolve("from-b.bin"), bytes(300_000));
        awaitSame(a, b);
        assertThat(Files.readString(b.resolve("notes.txt"))).isEqualTo("edited notes\n");

        Files.delete(a.resolve("notes.txt"));
        awaitSame(a, b);
        assertThat(b.resolve("notes.txt")).doesNotExist();

        long movedBefore = da.counter("bytes-moved") + db.counter("bytes-moved");
        Files.createDirectories(a.resolve("pictures/2026"));
        Files.move(a.resolve("photo.jpg"), a.resolve("pictures/2026/photo.jpg"));
        awaitSame(a, b);
        assertThat(b.resolve("photo.jpg")).doesNotExist();
        assertThat(Files.readAllBytes(b.resolve("pictures/2026/photo.jpg"))).isEqualTo(photo);
        assertThat(da.counter("bytes-moved") + db.counter("bytes-moved")).as("bytes moved by the rename")
                .isEqualTo(movedBefore);

        // a conflict: b edits while its daemon is down, a edits meanwhile; b's daemon starts, both versions stay
        db.stop();
        f.forget(db);
        Files.write(a.resolve("shared.bin"), bytes(2000));
        awaitCommitted(a, "shared.bin");
        String fromA = Oracle.sha256(a.resolve("shared.bin"));
        Files.write(b.resolve("shared.bin"), bytes(3000));
        String fromB = Oracle.sha256(b.resolve("shared.bin"));
        start("b", b);
        awaitSame(a, b);
        Map<String, String> tree = Oracle.contents(a);
        assertThat(tree.values()).as("both versions of shared.bin, in %s", tree).contains(fromA, fromB);
        assertThat(tree.keySet()).anyMatch(p -> p.startsWith("shared.variant-"));
        Oracle.assertEveryObjectVerifies(a);
        Oracle.assertEveryObjectVerifies(b);
    }

    @Test
    void threeFoldersInAMeshConverge() throws Exception {
        Path[] f = {folder("a"), folder("b"), folder("c")};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                if (i != j) {
                    link(f[i], "r" + j, f[j]);
                }
            }
        }
        for (int i = 0; i < 3; i++) {
            start("r" + i, f[i]);
        }
        for (int i = 0; i < 3; i++) {
            Files.write(f[i].resolve("from-" + i + ".bin"), bytes(50_000 + i));
            write(f[i].resolve("small-" + i + ".txt"), "hello from " + i + "\n");
        }
        awaitSame(f[0], f[1], f[2]);
        assertThat(Oracle.contents(f[0])).hasSize(6);
    }

    @Test
    void contentAddedAtTheStartOfAChainReachesTheEndThroughTheMiddle() throws Exception {
        Path a = folder("a");
        Path b = folder("b");
        Path c = folder("c");
        link(a, "b", b);
        link(b, "c", c);
        start("a", a);
        start("b", b);
        start("c", c);
        byte[] content = bytes(2 << 20);
        Files.write(a.resolve("travels.bin"), content);
        awaitSame(a, b, c);
        assertThat(Files.readAllBytes(c.resolve("travels.bin"))).isEqualTo(content);
        Oracle.assertEveryObjectVerifies(c);
    }

    @Test
    void aThousandFilesAtOnceAndAMovedTreeMakeFewCommits() throws Exception {
        Path a = folder("a");
        Path b = folder("b");
        link(a, "b", b);
        link(b, "a", a);
        start("a", a);
        start("b", b);
        int before = commits(a);
        for (int i = 0; i < 1000; i++) {
            Path file = a.resolve("many/d" + (i % 20) + "/f" + i + ".dat");
            Files.createDirectories(file.getParent());
            Files.write(file, bytes(1000 + i));
        }
        awaitSame(a, b);
        int afterCreate = commits(a);
        assertThat(afterCreate - before).as("commits for 1,000 new files").isBetween(1, 5);
        Files.move(a.resolve("many"), a.resolve("moved"));
        awaitSame(a, b);
        assertThat(b.resolve("many")).doesNotExist();
        assertThat(Oracle.contents(b).keySet()).hasSize(1000).allMatch(p -> p.startsWith("moved/"));
        assertThat(commits(a) - afterCreate).as("commits for moving the tree").isBetween(1, 5);
    }

    // ---- helpers

    private Path folder(String name) throws IOException {
        return f.folder(name);
    }

    private static void link(Path from, String name, Path to) {
        DaemonFolders.link(from, name, to);
    }

    private Daemon start(String name, Path dir) throws IOException {
        return f.start(name, dir);
    }

    private byte[] bytes(int n) {
        return f.bytes(n);
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text);
    }

    private void awaitSame(Path... folders) {
        f.awaitSame(PATIENCE, folders);
    }

    private void awaitCommitted(Path dir, String path) {
        await(path + " committed in " + dir).atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> Oracle.committed(tools, dir, path));
    }

    /** How many commits the current branch has (0 before the first: a new folder makes no empty commit). */
    private int commits(Path dir) {
        GitAnnex.Outcome count = tools.tryGit(dir, "rev-list", "--count", "HEAD");
        return count.exitCode() == 0 ? Integer.parseInt(count.out().trim()) : 0;
    }
}
