package io.annexsync.gitsync.sync;

import static io.annexsync.gitsync.sync.Peers.UNLOCKED;
import static io.annexsync.gitsync.sync.Peers.commitFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.TreeChanges;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.stage.AddOptions;
import io.annexsync.gitsync.stage.StageOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The steps the assistant runs one at a time: staging only changed paths, the changes a merge brought, pushes. */
class SyncStepsTest {
    private static final AddOptions ADD = new AddOptions(false, AddOptions.Force.NONE, 1);

    @TempDir
    Path tmp;
    private AnnexRepo a;
    private AnnexRepo b;

    @BeforeEach
    void peers() throws Exception {
        AnnexRepo origin = Peers.init(tmp.resolve("origin"));
        commitFile(origin, "start.txt", "start\n", UNLOCKED);
        a = Peers.cloneOf(origin, tmp.resolve("a"));
        b = Peers.cloneOf(origin, tmp.resolve("b"));
        origin.close();
        Peers.addRemote(a, "b", b);
        Peers.addRemote(b, "a", a);
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    @Test
    void stagingChangedPathsAddsNewFilesAndRemovesWhatIsGoneOrBecameAFolder() throws Exception {
        Files.writeString(a.workTree().resolve("new.txt"), "new\n");
        Files.createDirectories(a.workTree().resolve("dir/sub"));
        Files.writeString(a.workTree().resolve("dir/sub/deep.txt"), "deep\n");
        Files.writeString(a.workTree().resolve("untouched.txt"), "not reported by the watcher\n");
        List<StageOutcome> first = a.stageChanges(List.of("new.txt", "dir"), ADD, Progress.NONE);
        assertThat(first).extracting(StageOutcome::path).containsExactlyInAnyOrder("new.txt", "dir/sub/deep.txt");
        a.commit("first");

        Files.delete(a.workTree().resolve("dir/sub/deep.txt"));
        Files.delete(a.workTree().resolve("dir/sub"));
        Files.delete(a.workTree().resolve("new.txt"));
        Files.createDirectories(a.workTree().resolve("new.txt"));
        Files.writeString(a.workTree().resolve("new.txt/inside.txt"), "a file where a file was\n");
        List<StageOutcome> second = a.stageChanges(List.of("dir", "new.txt"), ADD, Progress.NONE);
        // the file new.txt that became a folder leaves the index as its new file enters it (JGit's editor)
        assertThat(second).extracting(StageOutcome::path, StageOutcome::kind).contains(
                tuple("dir/sub/deep.txt", StageOutcome.Kind.DELETED),
                tuple("new.txt/inside.txt", StageOutcome.Kind.ANNEXED));
        a.commit("second");
        assertThat(a.changes(Optional.empty(), a.head().orElseThrow()).paths())
                .contains("new.txt/inside.txt").doesNotContain("new.txt", "dir/sub/deep.txt");
        assertThat(a.status()).extracting(c -> c.path()).containsExactly("untouched.txt");
    }

    @Test
    void changesBetweenCommitsNameEveryPathAndTheNewAnnexedFiles() throws Exception {
        String before = a.head().orElseThrow();
        commitFile(a, "photo.jpg", "a photo\n", UNLOCKED);
        Files.delete(a.workTree().resolve("start.txt"));
        a.stageChanges(List.of("start.txt"), ADD, Progress.NONE);
        a.commit("delete");
        TreeChanges changes = a.changes(Optional.of(before), a.head().orElseThrow());
        assertThat(changes.paths()).containsExactly("photo.jpg", "start.txt");
        assertThat(changes.annexed()).extracting(AnnexedFile::path).containsExactly("photo.jpg");
        assertThat(a.changes(Optional.empty(), a.head().orElseThrow()).paths()).containsExactly("photo.jpg");
    }

    @Test
    void mergeBringsWhatAPeerPushedAndSyncedMovesOnlyForward() throws Exception {
        commitFile(b, "from-b.txt", "from b\n", UNLOCKED);
        try (SyncSteps steps = SyncSteps.open(b, Duration.ofSeconds(30), Clock.systemUTC())) {
            List<PushOutcome> pushed = steps.push(SyncSteps.remotes(b, List.of("a")));
            assertThat(pushed).extracting(PushOutcome::status).containsExactly(PushStatus.OK);
        }
        try (SyncSteps steps = SyncSteps.open(a, Duration.ofSeconds(30), Clock.systemUTC())) {
            Optional<String> before = a.head();
            SyncSteps.Merged merged = steps.merge(List.of());
            assertThat(merged.changed()).isTrue();
            assertThat(a.changes(before, merged.branch().newHead().orElseThrow()).paths())
                    .containsExactly("from-b.txt");
            assertThat(Files.readString(a.workTree().resolve("from-b.txt"))).isEqualTo("/annex/objects/"
                    + a.annexedFiles(List.of(a.workTree().resolve("from-b.txt"))).get(0).key().serialize() + "\n");
            assertThat(steps.merge(List.of()).changed()).as("a second merge has nothing to do").isFalse();
        }
        ObjectId head = a.git().resolve("refs/heads/main");
        assertThat(a.git().resolve("refs/heads/synced/main")).isEqualTo(head);
    }

    @Test
    void locationsOfManyKeysAtOnceMatchOneByOne() throws Exception {
        commitFile(a, "one.bin", "one\n", UNLOCKED);
        commitFile(a, "two.bin", "two\n", UNLOCKED);
        List<AnnexedFile> files = a.annexedFiles(List.of(a.workTree()));
        List<Key> keys = files.stream().map(AnnexedFile::key).toList();
        Map<Key, Set<Uuid>> all = a.branch().locations(keys);
        assertThat(all).hasSize(3);
        for (AnnexedFile f : files) {
            assertThat(all.get(f.key())).as(f.path()).isEqualTo(a.branch().locations(f.key()));
            if (!f.path().equals("start.txt")) { // start.txt was added in origin, its content copied without a log
                assertThat(all.get(f.key())).as(f.path()).containsExactly(a.uuid());
            }
        }
    }

    @Test
    void contentPutInPlaceIsStagedAgainWithoutAnotherCopyInTheStore() throws Exception {
        commitFile(a, "big.bin", "content that is already stored\n", UNLOCKED);
        Path file = a.workTree().resolve("big.bin");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()
                + 5000)); // as after a checkout: the stat cache no longer matches
        Path tmpDir = a.gitDir().resolve("annex/tmp");
        List<StageOutcome> again = a.stageChanges(List.of("big.bin"), ADD, Progress.NONE);
        assertThat(again).extracting(StageOutcome::kind).containsExactly(StageOutcome.Kind.UNCHANGED);
        try (var listing = Files.list(tmpDir)) {
            assertThat(listing).as("no ingest copy left in %s", tmpDir).isEmpty();
        }
    }
}
