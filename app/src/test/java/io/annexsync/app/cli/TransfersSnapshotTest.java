package io.annexsync.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.sync.RetryPolicy;
import io.annexsync.gitsync.testing.TestClock;
import io.annexsync.transfer.queue.Claimed;
import io.annexsync.transfer.queue.QueuePolicy;
import io.annexsync.transfer.queue.TransferQueue;
import io.annexsync.transfer.queue.TransferRequest;
import io.annexsync.transfer.queue.TransferRequest.Way;
import io.annexsync.transfer.record.ActiveTransfer;
import io.annexsync.transfer.record.Direction;
import io.annexsync.transfer.record.TransferRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the status files and the queue of one repository (real files, a real SQLite queue) make one picture. */
class TransfersSnapshotTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Uuid USB = new Uuid("0b9c5a1e-1111-4a8b-9d0e-2f6a7b9c1d3e");
    private static final List<RemoteConfig> REMOTES = List.of(
            new RemoteConfig("usb", "/media/usb", Optional.of(USB), RemoteConfig.LOCAL_COST, false),
            new RemoteConfig("web", "https://example.com/x", Optional.empty(), RemoteConfig.NETWORK_COST, false));

    @TempDir
    Path dir;
    private final TestClock clock = new TestClock(T0);
    private TransferRecords records;
    private TransferQueue queue;

    private static Key key(int n) {
        return Key.of("SHA256E-s" + n + "--" + "%064x".formatted(n) + ".bin");
    }

    private static TransferRequest download(int n, int priority) {
        return new TransferRequest(key(n), "usb", USB, Way.DOWNLOAD, Optional.of("f" + n), 100, priority);
    }

    @BeforeEach
    void open() throws Exception {
        Path gitDir = Files.createDirectories(dir.resolve(".git"));
        records = new TransferRecords(gitDir, clock);
        queue = TransferQueue.open(gitDir, clock, new QueuePolicy(RetryPolicy.DEFAULT, 1), new SplittableRandom(1));
    }

    @AfterEach
    void close() throws Exception {
        queue.close();
    }

    private TransfersSnapshot read() throws Exception {
        return TransfersSnapshot.read(records, queue, REMOTES, clock.instant());
    }

    @Test
    void aClaimedItemWithoutAStatusFileShowsAsRunningWithNoCount() throws Exception {
        queue.enqueue(download(1, 0));
        queue.claim("w1", 5).orElseThrow();

        TransfersSnapshot s = read();

        assertThat(s.running()).singleElement().satisfies(i -> {
            assertThat(i.key()).isEqualTo(key(1));
            assertThat(i.direction()).isEqualTo(Direction.DOWNLOAD);
            assertThat(i.file()).contains("f1");
            assertThat(i.bytesDone()).isEmpty();
            assertThat(i.started()).isEqualTo(T0);
        });
        assertThat(s.queued()).isEmpty();
    }

    @Test
    void aClaimedItemWithItsStatusFileShowsOnceWithTheCount() throws Exception {
        queue.enqueue(download(1, 0));
        queue.claim("w1", 5).orElseThrow();
        try (ActiveTransfer t = records.begin(Direction.DOWNLOAD, USB, key(1), Optional.of("f1")).orElseThrow()) {
            t.progress(1);

            assertThat(read().running()).singleElement().satisfies(i -> assertThat(i.bytesDone()).hasValue(1));
            t.finish();
        }
    }

    @Test
    void aFailedStatusFileOfAQueuedItemIsLeftToTheQueueItem() throws Exception {
        records.begin(Direction.DOWNLOAD, USB, key(1), Optional.of("f1")).orElseThrow().fail();
        records.begin(Direction.DOWNLOAD, USB, key(2), Optional.empty()).orElseThrow().fail();
        queue.enqueue(download(1, 5));

        TransfersSnapshot s = read();

        assertThat(s.queued()).singleElement().satisfies(q -> assertThat(q.request().key()).isEqualTo(key(1)));
        assertThat(s.failedRecords()).singleElement().satisfies(i -> assertThat(i.key()).isEqualTo(key(2)));
    }

    @Test
    void givenUpItemsAreFailedItemsAndRemotesAreNamedByUuid() throws Exception {
        queue.enqueue(download(1, 0));
        Claimed c = queue.claim("w1", 5).orElseThrow();
        queue.failed(c, "disk full");

        TransfersSnapshot s = read();

        assertThat(s.failedItems()).singleElement().satisfies(q -> assertThat(q.lastError()).contains("disk full"));
        assertThat(s.running()).isEmpty();
        assertThat(s.remoteName(USB)).isEqualTo("usb");
        assertThat(s.remoteName(new Uuid("elsewhere"))).isEqualTo("elsewhere");
        assertThat(s.isEmpty()).isFalse();
    }
}
