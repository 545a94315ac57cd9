package io.annexsync.transfer.remote.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.remote.Reachability;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.remote.Remotes;
import io.annexsync.gitsync.stage.AddOptions;
import io.annexsync.gitsync.store.RemoveOutcome;
import io.annexsync.gitsync.store.VerifyResult;
import io.annexsync.gitsync.testing.GitAnnex;
import io.annexsync.transfer.remote.Here;
import io.annexsync.transfer.remote.Locking;
import io.annexsync.transfer.remote.Meter;
import io.annexsync.transfer.remote.OpenRemotes;
import io.annexsync.transfer.remote.Presence;
import io.annexsync.transfer.remote.Remote;
import io.annexsync.transfer.remote.RemoteKinds;
import io.annexsync.transfer.remote.Removing;
import io.annexsync.transfer.remote.Retrieving;
import io.annexsync.transfer.remote.Stopped;
import io.annexsync.transfer.remote.Storing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The path remote through the {@link Remote} interface only, on real repositories in a temporary folder. */
class PathRemoteTest {
    private static final int SIZE = 3 << 20;

    @TempDir
    Path tmp;

    private AnnexRepo a;
    private AnnexRepo b;
    private RemoteConfig bInA;
    private Here here;

    /** A meter that paces nothing, remembers the last size told, and stops when asked to. */
    private static final class TestMeter implements Meter {
        volatile boolean stop;
        long last = -1;
        long stopAfter = Long.MAX_VALUE;

        @Override
        public Optional<String> file() {
            return Optional.of("f.bin");
        }

        @Override
        public String label() {
            return "f.bin";
        }

        @Override
        public boolean limited() {
            return stopAfter != Long.MAX_VALUE; // small chunks, so that a stop comes midway
        }

        @Override
        public void pace(int bytes) {}

        @Override
        public boolean stopping() {
            return stop || last >= stopAfter;
        }

        @Override
        public void progress(long bytes) {
            last = bytes;
        }

        @Override
        public boolean dropPartialWhenFull() {
            return false;
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        a = init(tmp.resolve("a"));
        b = init(tmp.resolve("b"));
        bInA = Remotes.add(a.git(), "b", b.workTree());
        here = new Here(a.uuid(), a.workTree(), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        a.close();
        b.close();
    }

    private static AnnexRepo init(Path dir) throws Exception {
        Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call().close();
        AnnexRepo.init(dir, Optional.of(dir.getFileName().toString()), "test");
        AnnexRepo repo = AnnexRepo.open(dir);
        StoredConfig config = repo.git().getConfig();
        config.setString("user", null, "name", GitAnnex.NAME);
        config.setString("user", null, "email", GitAnnex.EMAIL);
        config.save();
        return repo;
    }

    private static AnnexedFile add(AnnexRepo repo, long seed) throws Exception {
        byte[] bytes = new byte[SIZE];
        new SplittableRandom(seed).nextBytes(bytes);
        Path file = repo.workTree().resolve("f" + seed + ".bin");
        Files.write(file, bytes);
        repo.add(List.of(file), new AddOptions(true, AddOptions.Force.LARGE, 1), Progress.NONE);
        repo.commit("file");
        return repo.annexedFiles(List.of(file)).get(0);
    }

    private Remote openB() throws RepoException {
        return RemoteKinds.standard().open(bInA, here);
    }

    @Test
    void theStandardKindsOpenAPathRemoteAndKnowItsUuid() throws Exception {
        assertThat(RemoteKinds.standard().kindOf(bInA)).contains(PathRemote.KIND);
        try (Remote r = openB()) {
            assertThat(r.uuid()).isEqualTo(b.uuid());
            assertThat(r.name()).isEqualTo("b");
            assertThat(r.reachability()).isInstanceOf(Reachability.Reachable.class);
            assertThat(r.disk()).isPresent();
        }
    }

    @Test
    void aRemoteOverANetworkIsNoPathRemoteAndOpeningItSaysSo() {
        RemoteConfig net = new RemoteConfig("far", "ssh://host/repo", Optional.empty(), 200, false);
        assertThat(PathRemote.KIND.recognises(net)).isFalse();
        assertThat(net.reachability(a.workTree())).isInstanceOf(Reachability.Unknown.class);
        assertThatThrownBy(() -> RemoteKinds.standard().open(net, here)).isInstanceOf(RepoException.class)
                .hasMessageContaining("remote far (ssh://host/repo) is not on a local path");
    }

    @Test
    void aMissingFolderIsUnreachableAndAWrongRepositoryIsRefused() throws Exception {
        RemoteConfig gone = new RemoteConfig("gone", tmp.resolve("nowhere").toString(), Optional.empty(), 100, false);
        assertThat(gone.reachability(a.workTree())).isInstanceOf(Reachability.Unreachable.class);
        assertThatThrownBy(() -> RemoteKinds.standard().open(gone, here)).isInstanceOf(RepoException.class)
                .hasMessageContaining("remote gone is not reachable").hasMessageContaining("is the drive mounted?");
        Uuid other = Uuid.parse("11111111-2222-3333-4444-555555555555").orElseThrow();
        RemoteConfig wrong = new RemoteConfig("b", bInA.url(), Optional.of(other), 100, false);
        assertThatThrownBy(() -> RemoteKinds.standard().open(wrong, here)).isInstanceOf(RepoException.class)
                .hasMessageContaining("refusing to use it");
    }

    @Test
    void retrieveContinuesAPartialFileFromItsOffsetAndHashesTheWholeFile() throws Exception {
        AnnexedFile f = add(b, 1);
        Key key = f.key();
        byte[] content = Files.readAllBytes(b.store().objectPath(key));
        Path partial = a.store().tempFileFor(key);
        Files.write(partial, Arrays.copyOf(content, 1 << 20));
        try (Remote r = openB()) {
            assertThat(r.checkPresent(key)).isInstanceOf(Presence.Present.class);
            TestMeter meter = new TestMeter();
            Retrieving got = r.retrieve(key, partial, 1 << 20, meter);
            assertThat(got).isInstanceOf(Retrieving.Retrieved.class);
            Retrieving.Retrieved done = (Retrieving.Retrieved) got;
            assertThat(done.resumedFrom()).isEqualTo(1 << 20);
            assertThat(done.moved()).isEqualTo(SIZE - (1 << 20));
            assertThat(done.mismatch(key)).isEmpty();
            assertThat(meter.last).isEqualTo(SIZE);
            assertThat(Files.readAllBytes(partial)).isEqualTo(content);
        }
    }

    @Test
    void retrieveOfABadPartialPrefixGivesContentThatDoesNotMatchItsKey() throws Exception {
        Key key = add(b, 2).key();
        Path partial = a.store().tempFileFor(key);
        Files.write(partial, new byte[1000]); // zeros where the content is random
        try (Remote r = openB()) {
            Retrieving.Retrieved got = (Retrieving.Retrieved) r.retrieve(key, partial, 1000, new TestMeter());
            assertThat(got.mismatch(key)).contains("checksum differs");
        }
    }

    @Test
    void retrieveOfAKeyTheRemoteLacksIsNotPresentAndStoppingKeepsThePartial() throws Exception {
        Key key = add(a, 3).key();
        try (Remote r = openB()) {
            assertThat(r.checkPresent(key)).isInstanceOf(Presence.Absent.class);
            assertThat(r.retrieve(key, tmp.resolve("p"), 0, new TestMeter()))
                    .isInstanceOf(Retrieving.NotPresent.class);
        }
        Key theirs = add(b, 4).key();
        Path partial = a.store().tempFileFor(theirs);
        TestMeter stopping = new TestMeter();
        stopping.stopAfter = 1 << 20;
        try (Remote r = openB()) {
            assertThatThrownBy(() -> r.retrieve(theirs, partial, 0, stopping)).isInstanceOf(Stopped.class);
        }
        assertThat(Files.size(partial)).isGreaterThanOrEqualTo(1 << 20).isLessThan(SIZE);
    }

    @Test
    void storeVerifiesIntoTheRemotesStoreResumesItsPartialAndKeysArrivedWritesItsLog() throws Exception {
        AnnexedFile f = add(a, 5);
        Key key = f.key();
        byte[] content = Files.readAllBytes(a.store().objectPath(key));
        Files.write(b.store().tempFileFor(key), Arrays.copyOf(content, 1 << 20));
        try (Remote r = openB()) {
            Storing stored = r.store(key, a.store().objectPath(key), new TestMeter());
            assertThat(stored).isEqualTo(new Storing.Stored(SIZE - (1 << 20), 1 << 20));
            assertThat(b.store().verify(key)).isEqualTo(VerifyResult.OK);
            assertThat(r.store(key, a.store().objectPath(key), new TestMeter()))
                    .isInstanceOf(Storing.AlreadyHave.class);
            r.keysArrived(List.of(key));
        }
        assertThat(b.branch().locations(key)).contains(b.uuid());
    }

    @Test
    void storeOfContentThatDoesNotMatchItsKeyStoresNothing() throws Exception {
        Key key = add(a, 6).key();
        Path fake = tmp.resolve("fake");
        Files.write(fake, new byte[SIZE]);
        try (Remote r = openB()) {
            Storing stored = r.store(key, fake, new TestMeter());
            assertThat(stored).isInstanceOf(Storing.Failed.class);
            assertThat(((Storing.Failed) stored).reason()).contains("does not match its key");
            assertThat(r.checkPresent(key).present()).isFalse();
        }
        assertThat(b.store().tempFileFor(key)).doesNotExist();
    }

    @Test
    void aLockedCopyCannotBeRemovedUntilTheLockIsReleasedThenRemoveTakesIt() throws Exception {
        Key key = add(b, 7).key();
        try (Remote r = openB()) {
            Locking locking = r.lockContent(key);
            assertThat(locking).isInstanceOf(Locking.Locked.class);
            try (Locking.Lock lock = ((Locking.Locked) locking).lock()) {
                assertThat(b.store().remove(key)).isEqualTo(RemoveOutcome.LOCKED);
                assertThat(r.remove(key)).isInstanceOf(Removing.Failed.class);
            }
            assertThat(r.remove(key)).isInstanceOf(Removing.Removed.class);
            assertThat(r.remove(key)).isInstanceOf(Removing.NotPresent.class);
            assertThat(r.lockContent(key)).isInstanceOf(Locking.NotPresent.class);
        }
        assertThat(b.hasContent(key)).isFalse();
        assertThat(b.branch().locations(key)).doesNotContain(b.uuid());
    }

    @Test
    void theCacheOpensOnceAndOpensAgainARemoteWhoseFolderWentAway() throws Exception {
        try (OpenRemotes remotes = new OpenRemotes(RemoteKinds.standard(), here, a::remotes)) {
            assertThat(remotes.ifOpen("b")).isEmpty();
            Remote first = remotes.open("b");
            assertThat(remotes.open("b")).isSameAs(first);
            assertThat(remotes.ifOpen("b")).containsSame(first);
            assertThatThrownBy(() -> remotes.open("nope")).hasMessageContaining("there is no remote called nope");
            Files.move(b.workTree(), tmp.resolve("b-unmounted"));
            assertThat(first.reachability()).isInstanceOf(Reachability.Unreachable.class);
            assertThat(remotes.ifOpen("b")).isEmpty();
            assertThatThrownBy(() -> remotes.open("b")).hasMessageContaining("remote b is not reachable");
            Files.move(tmp.resolve("b-unmounted"), b.workTree());
            assertThat(remotes.open("b").uuid()).isEqualTo(b.uuid());
        }
    }
}
