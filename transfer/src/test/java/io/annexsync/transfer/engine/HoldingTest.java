package io.annexsync.transfer.engine;

import static io.annexsync.transfer.engine.Repos.addFiles;
import static io.annexsync.transfer.engine.Repos.addRemote;
import static io.annexsync.transfer.engine.Repos.download;
import static io.annexsync.transfer.engine.Repos.upload;
import static io.annexsync.transfer.engine.TransferServiceTest.awaitTrue;
import static io.annexsync.transfer.engine.TransferServiceTest.corrupt;
import static io.annexsync.transfer.engine.TransferServiceTest.size;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.store.VerifyResult;
import io.annexsync.gitsync.sync.RetryPolicy;
import io.annexsync.transfer.engine.TransferOutcome.Status;
import io.annexsync.transfer.queue.QueuePolicy;
import io.annexsync.transfer.queue.TransferQueue;
import io.annexsync.transfer.record.Direction;
import io.annexsync.transfer.record.TransferInfo;
import io.annexsync.transfer.record.TransferRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a transfer holds besides its own record: for an upload to a path remote, the remote's record of receiving
 * the key from us (as git-annex keeps it), and the receiver's partial-file lock. The slow side of each test runs
 * under a bandwidth limit, so that the other side starts while it moves; none of the outcomes depends on how slow.
 */
class HoldingTest {
    private static final int MIB = 1 << 20;
    private static final QueuePolicy ONCE = new QueuePolicy(RetryPolicy.DEFAULT, 1);
    /** 8 MiB at this rate take four seconds. */
    private static final OptionalLong SLOW = OptionalLong.of(2L * MIB);

    @TempDir
    Path tmp;

    private AnnexRepo a;
    private AnnexRepo b;
    private RemoteConfig aInB;
    private RemoteConfig bInA;

    @BeforeEach
    void setUp() throws Exception {
        a = Repos.init(tmp.resolve("a"));
        b = Repos.init(tmp.resolve("b"));
        aInB = addRemote(b, "a", a);
        bInA = addRemote(a, "b", b);
    }

    @AfterEach
    void tearDown() {
        a.close();
        b.close();
    }

    private static TransferService start(AnnexRepo repo, QueuePolicy policy, OptionalLong bandwidth, String owner)
            throws Exception {
        return TransferService.start(repo, new TransferSettings(4, 4, 4, bandwidth, Map.of(), policy), owner,
                Clock.systemUTC(), Progress.NONE);
    }

    private static TransferService start(AnnexRepo repo, OptionalLong bandwidth) throws Exception {
        return start(repo, ONCE, bandwidth, TransferQueue.processOwner());
    }

    private static TransferOutcome await(CompletableFuture<TransferOutcome> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    private static boolean running(AnnexRepo in, Direction direction, AnnexRepo with, Key key) {
        try {
            return new TransferRecords(in.gitDir()).isRunning(direction, with.uuid(), key);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static boolean claimed(TransferService s) {
        try {
            return !s.queue().running().isEmpty();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The bytes done that the info file of {@code in}'s record says, 0 when it says none yet. */
    private static long writtenProgress(AnnexRepo in, Direction direction, Uuid with, Key key) {
        Path info = in.gitDir().resolve("annex/transfer").resolve(direction.dirName()).resolve(with.value())
                .resolve(key.keyFile());
        try {
            String first = Files.readString(info, StandardCharsets.UTF_8).lines().findFirst().orElse("");
            int space = first.indexOf(' ');
            return space < 0 ? 0 : Long.parseLong(first.substring(space + 1));
        } catch (Exception e) {
            return 0;
        }
    }

    private static void assertNothingHeld(AnnexRepo... repos) throws Exception {
        for (AnnexRepo repo : repos) {
            TransferRecords records = new TransferRecords(repo.gitDir());
            assertThat(records.live()).as("records live in %s", repo.workTree()).isEmpty();
            assertThat(records.failed()).as("failed records in %s", repo.workTree()).isEmpty();
            Path locks = repo.gitDir().resolve("annex-sync/partial");
            try (Stream<Path> left = Files.exists(locks) ? Files.list(locks) : Stream.empty()) {
                assertThat(left).as("partial-file locks in %s", repo.workTree()).isEmpty();
            }
        }
    }

    @Test
    void anUploadHoldsTheReceiversDownloadRecordSoTheReceiversOwnDownloadWaitsForIt() throws Exception {
        AnnexedFile f = addFiles(a, 21, 8 * MIB).get(0);
        Key key = f.key();
        try (TransferService sender = start(a, SLOW); TransferService receiver = start(b, OptionalLong.empty())) {
            CompletableFuture<TransferOutcome> up = sender.submit(upload(f, bInA, b));
            awaitTrue(() -> running(b, Direction.DOWNLOAD, a, key), "b's record of receiving from a");
            assertThat(new TransferRecords(b.gitDir()).live()).singleElement().satisfies(i -> {
                assertThat(i.direction()).isEqualTo(Direction.DOWNLOAD);
                assertThat(i.remote()).isEqualTo(a.uuid());
                assertThat(i.key()).isEqualTo(key);
                assertThat(i.file()).contains(f.path());
            });
            assertThat(running(a, Direction.UPLOAD, b, key)).as("and a's own upload record").isTrue();

            CompletableFuture<TransferOutcome> down = receiver.submit(download(f, aInB, a));
            awaitTrue(() -> claimed(receiver), "b's download claimed");
            awaitTrue(() -> writtenProgress(b, Direction.DOWNLOAD, a.uuid(), key) > 0, "progress in b's record");

            TransferOutcome sent = await(up);
            assertThat(sent.status()).as("%s", sent).isEqualTo(Status.DONE);
            assertThat(sent.bytesMoved()).isEqualTo(8L * MIB);
            TransferOutcome got = await(down);
            assertThat(got.status()).as("%s", got).isEqualTo(Status.NOTHING_TO_DO);
            assertThat(got.message()).isEqualTo("brought by another process");
            assertThat(got.bytesMoved()).isZero();
            assertThat(receiver.bytesMoved()).isZero();
        }
        assertThat(b.store().verify(key)).isEqualTo(VerifyResult.OK);
        assertNothingHeld(a, b);
    }

    @Test
    void anUploadWaitsForTheReceiversOwnDownloadOfTheSameKey() throws Exception {
        AnnexedFile f = addFiles(a, 22, 8 * MIB).get(0);
        Key key = f.key();
        try (TransferService receiver = start(b, SLOW); TransferService sender = start(a, OptionalLong.empty())) {
            CompletableFuture<TransferOutcome> down = receiver.submit(download(f, aInB, a));
            awaitTrue(() -> running(b, Direction.DOWNLOAD, a, key), "b's download from a");
            CompletableFuture<TransferOutcome> up = sender.submit(upload(f, bInA, b));
            awaitTrue(() -> claimed(sender), "a's upload claimed");

            TransferOutcome got = await(down);
            assertThat(got.status()).as("%s", got).isEqualTo(Status.DONE);
            assertThat(got.bytesMoved()).isEqualTo(8L * MIB);
            TransferOutcome sent = await(up);
            assertThat(sent.status()).as("%s", sent).isEqualTo(Status.NOTHING_TO_DO);
            assertThat(sent.message()).isEqualTo("received by another process");
            assertThat(sent.bytesMoved()).isZero();
            assertThat(sender.bytesMoved()).isZero();
        }
        assertThat(b.store().verify(key)).isEqualTo(VerifyResult.OK);
        assertThat(a.branch().locations(key)).as("a learnt where it went").contains(b.uuid());
        assertNothingHeld(a, b);
    }

    @Test
    void anUploadStoppedMidwayHoldsNothingOnEitherSideAndTheNextRunContinuesItsPartial() throws Exception {
        AnnexedFile f = addFiles(a, 23, 8 * MIB).get(0);
        Path partial = b.store().tempFileFor(f.key());
        CompletableFuture<TransferOutcome> future;
        QueuePolicy retries = new QueuePolicy(RetryPolicy.DEFAULT, 5);
        try (TransferService s = start(a, retries, OptionalLong.of(4L * MIB), TransferQueue.ASSISTANT)) {
            future = s.submit(upload(f, bInA, b));
            awaitTrue(() -> size(partial) >= 2L * MIB, "2 MiB sent");
            assertThat(running(b, Direction.DOWNLOAD, a, f.key())).isTrue();
        }
        assertThatThrownBy(future::get).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("stopped before the transfer was done");
        long kept = size(partial);
        assertThat(kept).isBetween(2L * MIB, 8L * MIB - 1);
        assertThat(running(a, Direction.UPLOAD, b, f.key())).isFalse();
        assertThat(running(b, Direction.DOWNLOAD, a, f.key())).isFalse();
        assertNothingHeld(a, b);

        try (TransferService s = start(a, ONCE, OptionalLong.empty(), TransferQueue.ASSISTANT)) {
            awaitTrue(() -> s.bytesMoved() > 0, "the queued upload done by the next start");
            assertThat(s.bytesMoved()).isEqualTo(8L * MIB - kept);
        }
        assertThat(b.store().verify(f.key())).isEqualTo(VerifyResult.OK);
        assertNothingHeld(a, b);
    }

    @Test
    void aFailedUploadIsRecordedAsFailedOnBothSidesAsGitAnnexDoes() throws Exception {
        AnnexedFile f = addFiles(a, 24, MIB).get(0);
        Path object = a.store().objectPath(f.key());
        byte[] content = Files.readAllBytes(object);
        corrupt(object);
        try (TransferService s = start(a, OptionalLong.empty())) {
            TransferOutcome o = await(s.submit(upload(f, bInA, b)));
            assertThat(o.status()).as("%s", o).isEqualTo(Status.FAILED);
            assertThat(o.message()).contains("does not match its key");
            assertThat(new TransferRecords(a.gitDir()).failed())
                    .extracting(TransferInfo::direction, TransferInfo::remote)
                    .containsExactly(tuple(Direction.UPLOAD, b.uuid()));
            assertThat(new TransferRecords(b.gitDir()).failed())
                    .extracting(TransferInfo::direction, TransferInfo::remote)
                    .containsExactly(tuple(Direction.DOWNLOAD, a.uuid()));
            assertThat(new TransferRecords(b.gitDir()).live()).isEmpty();

            Files.write(object, content);
            TransferOutcome again = await(s.submit(upload(f, bInA, b)));
            assertThat(again.status()).as("%s", again).isEqualTo(Status.DONE);
        }
        assertThat(b.store().verify(f.key())).isEqualTo(VerifyResult.OK);
        assertNothingHeld(a, b);
    }

    @Test
    void twoSendersOfOneKeyToOneReceiverMoveItOnce() throws Exception {
        AnnexRepo c = Repos.init(tmp.resolve("c"));
        try {
            RemoteConfig bInC = addRemote(c, "b", b);
            AnnexedFile f = addFiles(a, 25, 8 * MIB).get(0);
            AnnexedFile g = addFiles(c, 25, 8 * MIB).get(0);
            assertThat(g.key()).as("the same content").isEqualTo(f.key());
            Path partial = b.store().tempFileFor(f.key());
            try (TransferService fromA = start(a, SLOW); TransferService fromC = start(c, SLOW)) {
                CompletableFuture<TransferOutcome> first = fromA.submit(upload(f, bInA, b));
                awaitTrue(() -> size(partial) > 0, "a writes b's partial file");
                CompletableFuture<TransferOutcome> second = fromC.submit(upload(g, bInC, b));
                awaitTrue(() -> running(b, Direction.DOWNLOAD, c, g.key()), "b's record of receiving from c");
                assertThat(new TransferRecords(b.gitDir()).live()).extracting(TransferInfo::remote)
                        .as("two records of receiving, one partial file").containsExactlyInAnyOrder(a.uuid(), c.uuid());

                TransferOutcome one = await(first);
                TransferOutcome two = await(second);
                assertThat(one.status()).as("%s", one).isEqualTo(Status.DONE);
                assertThat(one.bytesMoved()).isEqualTo(8L * MIB);
                assertThat(two.status()).as("%s", two).isEqualTo(Status.NOTHING_TO_DO);
                assertThat(two.message()).isEqualTo("received by another process");
                assertThat(fromC.bytesMoved()).isZero();
            }
            assertThat(b.store().verify(f.key())).isEqualTo(VerifyResult.OK);
            assertNothingHeld(a, b, c);
        } finally {
            c.close();
        }
    }
}
