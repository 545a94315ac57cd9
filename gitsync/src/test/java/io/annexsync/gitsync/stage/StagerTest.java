package io.annexsync.gitsync.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.annexsync.gitsync.key.Backend;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.store.ObjectStore;
import io.annexsync.gitsync.store.StoreOptions;
import io.annexsync.gitsync.store.VerifyResult;
import io.annexsync.gitsync.testing.GitAnnex;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagerTest {
    /** Far in the future of every file's mtime, so no cache entry is racy. */
    private static final Clock LATER = Clock.fixed(Instant.parse("2100-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;
    private Path work;
    private Git git;
    private ObjectStore store;
    private StatCache cache;
    private Stager stager;

    @BeforeEach
    void setUp() throws Exception {
        work = tmp.resolve("repo");
        git = TestRepos.annexRepo(work);
        store = new ObjectStore(work.resolve(".git"), StoreOptions.DEFAULT);
        cache = StatCache.open(work.resolve(".git"), LATER);
        stager = new Stager(git.getRepository(), store, cache, 2);
    }

    @AfterEach
    void tearDown() throws Exception {
        stager.close();
        cache.close();
        git.close();
    }

    @Test
    void unlockedAndLockedFilesPassGitAnnexFsck() throws Exception {
        GitAnnex.assumeAvailable();
        GitAnnex oracle = new GitAnnex(tmp.resolve("home"));
        write("big.bin", "large content\n");
        write("sub dir/photo.JPEG", "jpeg bytes");
        write(".gitignore", "*.log\n");
        write("x.log", "ignored");
        Files.writeString(work.resolve("run.sh"), "#!/bin/sh\n").toFile().setExecutable(true);
        Map<String, StageOutcome> first = byPath(stage(false, work));
        write("locked/l.txt", "locked file\n");
        Map<String, StageOutcome> second = byPath(stage(true, work.resolve("locked")));
        commit("add");

        assertThat(first.get(".gitignore").kind()).isEqualTo(StageOutcome.Kind.GIT);
        assertThat(first).doesNotContainKey("x.log");
        assertThat(first.get("big.bin").kind()).isEqualTo(StageOutcome.Kind.ANNEXED);
        assertThat(first.get("run.sh").kind()).isEqualTo(StageOutcome.Kind.ANNEXED);
        assertThat(Files.isSymbolicLink(work.resolve("locked/l.txt"))).isTrue();
        assertThat(Files.readSymbolicLink(work.resolve("locked/l.txt")).toString())
                .startsWith("../.git/annex/objects/");

        for (StageOutcome o : List.of(first.get("big.bin"), first.get("sub dir/photo.JPEG"), first.get("run.sh"),
                second.get("locked/l.txt"))) {
            Key key = o.key().orElseThrow();
            assertThat(oracle.annex(work, "lookupkey", o.path()).strip()).isEqualTo(key.serialize());
            oracle.annex(work, "setpresentkey", key.serialize(), uuid(), "1");
        }
        assertThat(oracle.git(work, "status", "--porcelain")).isEmpty();
        GitAnnex.Outcome fsck = oracle.tryAnnex(work, "fsck");
        assertThat(fsck.exitCode()).as(fsck.out() + fsck.err()).isZero();
        assertThat(fsck.out() + fsck.err()).doesNotContain("fixing").doesNotContain("moved");
        assertThat(git.status().call().isClean()).isTrue();
    }

    @Test
    void secondAddOfAnUnchangedTreeHashesNothing() throws Exception {
        for (int i = 0; i < 30; i++) {
            write("d/f" + i + ".dat", "content " + i);
        }
        write("notes.txt", "plain");
        AtomicLong bytes = new AtomicLong();
        StageProgress counting = new StageProgress() {
            @Override
            public void bytesHashed(long n) {
                bytes.addAndGet(n);
            }
        };
        List<StageOutcome> first = stager.stage(List.of(work), unlocked(), counting);
        assertThat(first).hasSize(31).allMatch(o -> o.kind() == StageOutcome.Kind.ANNEXED);
        assertThat(bytes.get()).isPositive();

        bytes.set(0);
        List<StageOutcome> again = stager.stage(List.of(work), unlocked(), counting);
        assertThat(again).hasSize(31).allMatch(o -> o.kind() == StageOutcome.Kind.UNCHANGED && o.key().isPresent());
        assertThat(bytes.get()).isZero();

        write("d/f3.dat", "changed content");
        List<StageOutcome> third = stager.stage(List.of(work), unlocked(), counting);
        assertThat(third.stream().filter(o -> o.kind() == StageOutcome.Kind.ANNEXED).map(StageOutcome::path))
                .containsExactly("d/f3.dat");
        assertThat(bytes.get()).isEqualTo("changed content".length());
    }

    @Test
    void racyEntriesAreHashedAgain() throws Exception {
        try (StatCache racyCache = StatCache.open(tmp.resolve("other-git"), Clock.fixed(Instant.EPOCH,
                ZoneOffset.UTC)); Stager racy = new Stager(git.getRepository(), store, racyCache, 1)) {
            write("r.txt", "racy");
            racy.stage(List.of(work), unlocked(), StageProgress.NONE);
            java.util.concurrent.atomic.AtomicLong hashed = new java.util.concurrent.atomic.AtomicLong();
            StageProgress counting = new StageProgress() {
                @Override
                public void bytesHashed(long n) {
                    hashed.addAndGet(n);
                }
            };
            List<StageOutcome> again = racy.stage(List.of(work), unlocked(), counting);
            assertThat(hashed.get()).as("bytes hashed again").isEqualTo("racy".length());
            assertThat(again).extracting(StageOutcome::kind).containsExactly(StageOutcome.Kind.UNCHANGED);
        }
    }

    /**
     * A pointer file whose content is not here stays a pointer when touched, and is refused, not annexed as new
     * content, when a person appended to it (git-annex warns and annexes the pointer plus the text as a new key, which
     * replaces the real file in every repository). Also for an appended part beyond git-annex's pointer size limit,
     * and for a new file made that way.
     */
    @Test
    void aPointerWithContentAppendedIsRefusedAndATouchedPointerStaysAsItIs() throws Exception {
        Key key = Key.parse("SHA256E-s1048576--41a6588546713a822c756b3fd93cbbf772972f00c5ea3ad185b6cb8e0acc05f1.jpg")
                .orElseThrow();
        byte[] pointer = Pointer.pointerBlob(key);
        Files.write(work.resolve("photo.jpg"), pointer);
        assertThat(stage(false, work)).singleElement().satisfies(o -> {
            assertThat(o.kind()).isEqualTo(StageOutcome.Kind.ANNEXED);
            assertThat(o.key()).contains(key);
        });
        commit("a photo whose content is elsewhere");
        String blob = indexBlob("photo.jpg");

        Files.setLastModifiedTime(work.resolve("photo.jpg"), java.nio.file.attribute.FileTime.from(Instant.now()));
        assertThat(stage(false, work)).extracting(StageOutcome::kind).containsExactly(StageOutcome.Kind.UNCHANGED);

        Files.writeString(work.resolve("photo.jpg"), "typed by a person\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(stage(false, work)).singleElement().satisfies(o -> {
            assertThat(o.kind()).isEqualTo(StageOutcome.Kind.REFUSED);
            assertThat(o.problem()).get().asString().contains("pointer").contains(key.serialize())
                    .contains("appended");
        });
        assertThat(indexBlob("photo.jpg")).as("the index keeps the pointer").isEqualTo(blob);
        assertThat(store.keys()).as("nothing annexed").isEmpty();

        Files.write(work.resolve("photo.jpg"), new byte[Pointer.MAX_POINTER_SIZE * 2],
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(stage(false, work)).extracting(StageOutcome::kind).containsExactly(StageOutcome.Kind.REFUSED);

        Files.write(work.resolve("copy.jpg"), (new String(pointer, StandardCharsets.UTF_8) + "more\n")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(byPath(stage(false, work.resolve("copy.jpg"))).get("copy.jpg").kind())
                .isEqualTo(StageOutcome.Kind.REFUSED);
        assertThat(store.keys()).isEmpty();
    }

    private String indexBlob(String path) throws IOException {
        return git.getRepository().readDirCache().getEntry(path).getObjectId().name();
    }

    @Test
    void missingAndOutsidePathsAreOutcomes() throws Exception {
        List<StageOutcome> out = stager.stage(List.of(work.resolve("nope"), tmp, work.resolve(".git/config")),
                unlocked(), StageProgress.NONE);
        assertThat(out).extracting(StageOutcome::kind).containsExactly(StageOutcome.Kind.MISSING,
                StageOutcome.Kind.OUTSIDE, StageOutcome.Kind.OUTSIDE);
        assertThat(out).allMatch(o -> o.problem().isPresent());
    }

    @Test
    void fifosAndSocketsAreSkippedWithoutBeingOpened() throws Exception {
        write("a.bin", "annexed");
        write(".small", "to git");
        mkfifo(work.resolve("pipe"));
        write("sub/b.bin", "beside a FIFO");
        mkfifo(work.resolve("sub/pipe"));
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(work.resolve("sock")));
            List<StageOutcome> out = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> stager.stage(List.of(work), unlocked(), StageProgress.NONE), "a FIFO was opened");
            Map<String, StageOutcome> by = byPath(out);
            assertThat(by.keySet()).containsExactlyInAnyOrder("a.bin", ".small", "sub/b.bin", "pipe", "sub/pipe",
                    "sock");
            assertThat(by.get("a.bin").kind()).isEqualTo(StageOutcome.Kind.ANNEXED);
            assertThat(by.get(".small").kind()).isEqualTo(StageOutcome.Kind.GIT);
            assertThat(by.get("pipe").kind()).isEqualTo(StageOutcome.Kind.IGNORED);
            assertThat(by.get("pipe").problem()).hasValueSatisfying(p -> assertThat(p).startsWith("it is a FIFO"));
            assertThat(by.get("sock").problem()).hasValueSatisfying(p -> assertThat(p).startsWith("it is a socket"));
            List<StageOutcome> named = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> stager.stage(List.of(work.resolve("sub/pipe")), unlocked(), StageProgress.NONE));
            assertThat(named).extracting(StageOutcome::kind).containsExactly(StageOutcome.Kind.IGNORED);
        }
        DirCache index = git.getRepository().readDirCache();
        assertThat(index.getEntryCount()).isEqualTo(3);
        assertThat(index.getEntry("pipe")).isNull();
    }

    private static void mkfifo(Path path) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("mkfifo", path.toString()).inheritIO().start().waitFor()).isZero();
    }

    @Test
    void rerunAfterACrashCompletes() throws Exception {
        write("a.bin", "crash me");
        Path stale = Files.createDirectories(work.resolve(".git/annex/tmp")).resolve("ingest-123456");
        Files.writeString(stale, "partial cop");
        List<StageOutcome> out = stager.stage(List.of(work), unlocked(), StageProgress.NONE);
        assertThat(out).extracting(StageOutcome::kind).containsExactly(StageOutcome.Kind.ANNEXED);
        assertThat(stale).doesNotExist();
        assertThat(store.keys()).containsExactly(out.get(0).key().orElseThrow());
    }

    @Test
    void killedAddLeavesNoPartialObjectAndRerunCompletes() throws Exception {
        byte[] content = new byte[256 * 1024];
        for (int i = 0; i < 200; i++) {
            content[0] = (byte) i;
            content[1] = (byte) (i >> 8);
            Files.createDirectories(work.resolve("d"));
            Files.write(work.resolve("d/f" + i + ".bin"), content);
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                StageMain.class.getName(), work.toString()).redirectErrorStream(true).start();
        try (var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (int done = 0; done < 20; ) {
                String line = out.readLine();
                assertThat(line).as("child output").isNotNull();
                done += line.startsWith("done ") ? 1 : 0;
            }
            child.destroyForcibly(); // SIGKILL
            child.waitFor();
        }
        for (Key key : store.keys()) {
            assertThat(store.verify(key)).as(key.toString()).isEqualTo(VerifyResult.OK);
        }
        Files.deleteIfExists(work.resolve(".git/index.lock")); // what the lock error tells the user to do
        List<StageOutcome> rerun = stager.stage(List.of(work), unlocked(), StageProgress.NONE);
        assertThat(rerun).hasSize(200).allMatch(o -> o.kind() == StageOutcome.Kind.ANNEXED);
        assertThat(store.stats().keys()).isEqualTo(200);
        try (var tmpFiles = Files.list(work.resolve(".git/annex/tmp"))) {
            assertThat(tmpFiles.toList()).isEmpty();
        }
        var status = git.status().call();
        assertThat(status.getAdded()).hasSize(200);
        assertThat(status.getModified()).isEmpty();
        assertThat(status.getUntracked()).isEmpty();
    }

    @Test
    void thinAddHardLinksTheWorkTreeFile() throws Exception {
        write("t.bin", "thin");
        StageOptions thin = new StageOptions(false, true, Backend.SHA256E,
                LargeFilesPolicy.load(git.getRepository(), Optional.empty()), false);
        StageOutcome o = stager.stage(List.of(work), thin, StageProgress.NONE).get(0);
        assertThat(Files.isSameFile(store.objectPath(o.key().orElseThrow()), work.resolve("t.bin"))).isTrue();
    }

    private List<StageOutcome> stage(boolean locked, Path path) throws Exception {
        StageOptions options = new StageOptions(locked, false, Backend.SHA256E,
                LargeFilesPolicy.load(git.getRepository(), Optional.empty()), false);
        return stager.stage(List.of(path), options, StageProgress.NONE);
    }

    private StageOptions unlocked() throws Exception {
        return new StageOptions(false, false, Backend.SHA256E,
                LargeFilesPolicy.load(git.getRepository(), Optional.empty()), false);
    }

    private void commit(String message) throws Exception {
        PersonIdent me = new PersonIdent("Test", "test@example.com");
        git.commit().setMessage(message).setAuthor(me).setCommitter(me).call();
    }

    private String uuid() {
        return git.getRepository().getConfig().getString("annex", null, "uuid");
    }

    private void write(String path, String content) throws IOException {
        Path p = work.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private static Map<String, StageOutcome> byPath(List<StageOutcome> outcomes) {
        return outcomes.stream().collect(Collectors.toMap(StageOutcome::path, Function.identity()));
    }
}
