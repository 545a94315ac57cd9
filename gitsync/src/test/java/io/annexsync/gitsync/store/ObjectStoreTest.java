package io.annexsync.gitsync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.key.Backend;
import io.annexsync.gitsync.key.Key;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectStoreTest {
    private static final String HELLO_KEY =
            "SHA256E-s12--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt";

    @TempDir
    Path tmp;
    private Path work;
    private Path gitDir;
    private ObjectStore store;

    @BeforeEach
    void setUp() throws IOException {
        work = Files.createDirectories(tmp.resolve("repo"));
        gitDir = Files.createDirectories(work.resolve(".git"));
        store = new ObjectStore(gitDir, StoreOptions.DEFAULT);
    }

    @Test
    void ingestCopiesIntoTheMixedLayoutWithGitAnnexModes() throws Exception {
        Path file = write("hello.txt", "hello world\n");
        Key key = store.ingest(file, Backend.SHA256E, "hello.txt", IngestMode.COPY);

        assertThat(key.serialize()).isEqualTo(HELLO_KEY);
        Path object = store.objectPath(key);
        assertThat(gitDir.relativize(object).toString())
                .isEqualTo("annex/objects/J7/0G/" + HELLO_KEY + "/" + HELLO_KEY);
        assertThat(Files.readString(object)).isEqualTo("hello world\n");
        assertThat(mode(object)).isEqualTo(0444);
        assertThat(mode(object.getParent())).isEqualTo(0555);
        assertThat(mode(object.getParent().getParent())).isEqualTo(0755);
        assertThat(mode(object.getParent().getParent().getParent())).isEqualTo(0755);
        assertThat(mode(file)).isNotEqualTo(0444);
        assertThat(nlink(file)).isEqualTo(1);
        assertThat(store.contains(key)).isTrue();
        assertThat(tmpEntries()).isZero();
    }

    @Test
    void ingestOfPresentContentDiscardsTheCopy() throws Exception {
        Key first = store.ingest(write("a.txt", "same"), Backend.SHA256E, "a.txt", IngestMode.COPY);
        Key second = store.ingest(write("b.txt", "same"), Backend.SHA256E, "b.txt", IngestMode.COPY);
        assertThat(second).isEqualTo(first);
        assertThat(store.stats()).isEqualTo(new StoreStats(1, 4));
        assertThat(tmpEntries()).isZero();
    }

    @Test
    void thinIngestHardLinksAndLeavesTheObjectWritable() throws Exception {
        Path file = write("t.bin", "thin content");
        Key key = store.ingest(file, Backend.SHA256E, "t.bin", IngestMode.THIN);
        Path object = store.objectPath(key);
        assertThat(nlink(object)).isEqualTo(2);
        assertThat(mode(object)).isEqualTo(0644);
        assertThat(Files.isSameFile(object, file)).isTrue();
    }

    @Test
    void moveIngestLinksReadOnlyForTheCallerToReplace() throws Exception {
        Path file = write("m.bin", "moved content");
        Key key = store.ingest(file, Backend.SHA256E, "m.bin", IngestMode.MOVE);
        assertThat(mode(store.objectPath(key))).isEqualTo(0444);
        assertThat(Files.isSameFile(store.objectPath(key), file)).isTrue();
    }

    @Test
    void groupSharedRepositoriesKeepKeyDirsWritable() throws Exception {
        ObjectStore shared = new ObjectStore(gitDir, new StoreOptions(false, true));
        Key key = shared.ingest(write("s.txt", "shared"), Backend.SHA256E, "s.txt", IngestMode.COPY);
        Path object = shared.objectPath(key);
        assertThat(mode(object)).isEqualTo(0444);
        assertThat(mode(object.getParent())).isEqualTo(02775);
        assertThat(mode(object.getParent().getParent())).isEqualTo(02775);
    }

    @Test
    void bareStoresWriteLowerAndReadBoth() throws Exception {
        Path bareDir = Files.createDirectories(tmp.resolve("bare.git"));
        ObjectStore bare = new ObjectStore(bareDir, new StoreOptions(true, false));
        Key key = bare.ingest(write("hello.txt", "hello world\n"), Backend.SHA256E, "hello.txt", IngestMode.COPY);
        assertThat(bareDir.relativize(bare.objectPath(key)).toString())
                .isEqualTo("annex/objects/e7d/d01/" + HELLO_KEY + "/" + HELLO_KEY);

        Key other = store.ingest(write("x.txt", "mixed"), Backend.SHA256E, "x.txt", IngestMode.COPY);
        copyTree(gitDir.resolve("annex/objects"), bareDir.resolve("annex/objects"));
        assertThat(bare.contains(other)).isTrue();
        assertThat(bareDir.relativize(bare.objectPath(other)).toString())
                .isEqualTo(gitDir.relativize(store.objectPath(other)).toString());
        assertThat(bare.keys()).containsExactlyInAnyOrder(key, other);
    }

    @Test
    void insertVerifiedRefusesBadContentAndDeletesIt() throws Exception {
        Key key = Key.of(HELLO_KEY);
        Path download = store.tempFileFor(key);
        assertThat(download).isEqualTo(gitDir.resolve("annex/tmp/" + key.keyFile()));
        Files.writeString(download, "hello WORLD\n");
        assertThatThrownBy(() -> store.insertVerified(key, download))
                .isInstanceOf(RepoException.class).hasMessageContaining("BAD_CHECKSUM");
        assertThat(download).doesNotExist();
        assertThat(store.contains(key)).isFalse();

        Files.writeString(download, "hello world\n");
        store.insertVerified(key, download);
        assertThat(store.verify(key)).isEqualTo(VerifyResult.OK);
        assertThat(download).doesNotExist();
    }

    @Test
    void verifyTellsEveryKindOfDamage() throws Exception {
        Key key = store.ingest(write("v.txt", "verify me"), Backend.SHA256E, "v.txt", IngestMode.COPY);
        assertThat(store.verify(key)).isEqualTo(VerifyResult.OK);
        overwrite(store.objectPath(key), "verify mE");
        assertThat(store.verify(key)).isEqualTo(VerifyResult.BAD_CHECKSUM);
        overwrite(store.objectPath(key), "verify me!");
        assertThat(store.verify(key)).isEqualTo(VerifyResult.BAD_SIZE);
        assertThat(store.verify(Key.of("SHA256E-s1--00.txt"))).isEqualTo(VerifyResult.MISSING);

        Key worm = Key.of("WORM-s4-m1795444864--w.txt");
        Path download = store.tempFileFor(worm);
        Files.writeString(download, "worm");
        store.insertVerified(worm, download);
        assertThat(store.verify(worm)).isEqualTo(VerifyResult.UNVERIFIABLE);
    }

    @Test
    void moveToBadQuarantinesLikeFsck() throws Exception {
        Key key = store.ingest(write("b.txt", "bad"), Backend.SHA256E, "b.txt", IngestMode.COPY);
        Path object = store.objectPath(key);
        Path bad = store.moveToBad(key);
        assertThat(bad).isEqualTo(gitDir.resolve("annex/bad/" + key.keyFile()));
        assertThat(Files.readString(bad)).isEqualTo("bad");
        assertThat(store.contains(key)).isFalse();
        assertThat(object.getParent()).doesNotExist();
        assertThat(gitDir.resolve("annex/objects")).isEmptyDirectory();
    }

    @Test
    void fixPermissionsPutsBackWriteProtection() throws Exception {
        Key key = store.ingest(write("p.txt", "perm"), Backend.SHA256E, "p.txt", IngestMode.COPY);
        Path object = store.objectPath(key);
        ObjectLayout.setMode(object.getParent(), 0755);
        ObjectLayout.setMode(object, 0644);
        store.fixPermissions(key);
        assertThat(mode(object)).isEqualTo(0444);
        assertThat(mode(object.getParent())).isEqualTo(0555);
    }

    @Test
    void keysAndStatsScanTheStore() throws Exception {
        Random random = new Random(7);
        long bytes = 0;
        for (int i = 0; i < 20; i++) {
            byte[] content = new byte[random.nextInt(5000)];
            random.nextBytes(content);
            bytes += content.length;
            Path f = tmp.resolve("f" + i + ".dat");
            Files.write(f, content);
            store.ingest(f, Backend.SHA256E, f.getFileName().toString(), IngestMode.COPY);
        }
        assertThat(store.keys()).hasSize(20).allMatch(store::contains);
        assertThat(store.stats()).isEqualTo(new StoreStats(20, bytes));
    }

    @Test
    void cleanTempDeletesLeftoversOfAKilledIngest() throws Exception {
        Path tmpDir = Files.createDirectories(gitDir.resolve("annex/tmp"));
        Files.writeString(tmpDir.resolve("ingest-123"), "partial");
        Key key = Key.of(HELLO_KEY);
        Files.writeString(store.tempFileFor(key), "partial download");
        store.cleanTemp();
        assertThat(tmpDir.resolve("ingest-123")).doesNotExist();
        assertThat(store.tempFileFor(key)).exists();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(work.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static void overwrite(Path object, String content) throws IOException {
        ObjectLayout.setMode(object, 0644);
        Files.writeString(object, content);
    }

    private long tmpEntries() throws IOException {
        Path dir = gitDir.resolve("annex/tmp");
        try (var s = Files.list(dir)) {
            return s.count();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    static int mode(Path p) throws IOException {
        return ObjectLayout.mode(p) & 07777;
    }

    private static int nlink(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
    }
}
