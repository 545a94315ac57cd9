package io.annexsync.transfer.queue;

import static io.annexsync.transfer.queue.Requests.download;
import static io.annexsync.transfer.queue.Requests.key;
import static io.annexsync.transfer.queue.Requests.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.sync.RetryPolicy;
import io.annexsync.gitsync.testing.TestClock;
import io.annexsync.transfer.queue.QueueItem.State;
import io.annexsync.transfer.queue.TransferRequest.Way;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferQueueTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    /** One minute doubling to at most five, without jitter, so delays are exact. */
    private static final RetryPolicy RETRY = new RetryPolicy(Duration.ofMinutes(1), 2, Duration.ofMinutes(5), 0);
    private static final int MANY = 100;

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(T0);
    private final List<TransferQueue> opened = new ArrayList<>();
    private Path gitDir;

    @BeforeEach
    void gitDir() {
        gitDir = dir.resolve(".git");
    }

    @AfterEach
    void closeAll() throws Exception {
        for (TransferQueue q : opened) {
            q.close();
        }
    }

    private TransferQueue open(int maxAttempts) throws Exception {
        TransferQueue q = TransferQueue.open(gitDir, clock, new QueuePolicy(RETRY, maxAttempts),
                new SplittableRandom(1));
        opened.add(q);
        return q;
    }

    private TransferQueue open() throws Exception {
        return open(QueuePolicy.DEFAULT_MAX_ATTEMPTS);
    }

    private static Claimed claim(TransferQueue q) throws Exception {
        return q.claim("w1", MANY).orElseThrow(() -> new AssertionError("nothing to claim"));
    }

    @Test
    void mergesEqualRequestsKeepingLowestPriorityAndCostAndEarliestTime() throws Exception {
        TransferQueue q = open();
        assertThat(q.enqueue(upload(1, "usb", 200, 5))).isTrue();
        clock.advance(Duration.ofMinutes(3));
        assertThat(q.enqueue(upload(1, "usb", 250, 2))).isFalse();
        assertThat(q.enqueue(upload(1, "usb", 100, 7))).isFalse();

        assertThat(q.queued()).singleElement().satisfies(item -> {
            assertThat(item.request().priority()).isEqualTo(2);
            assertThat(item.request().cost()).isEqualTo(100);
            assertThat(item.enqueued()).isEqualTo(T0);
            assertThat(item.state()).isEqualTo(State.QUEUED);
            assertThat(item.attempts()).isZero();
        });
    }

    @Test
    void requestsDifferingInKeyRemoteOrWayAreDifferentTransfers() throws Exception {
        TransferQueue q = open();
        assertThat(q.enqueue(upload(1, "usb", 100, 1))).isTrue();
        assertThat(q.enqueue(download(1, "usb", 100, 1))).isTrue();
        assertThat(q.enqueue(upload(1, "cloud", 100, 1))).isTrue();
        assertThat(q.enqueue(upload(2, "usb", 100, 1))).isTrue();
        assertThat(q.queued()).hasSize(4);
    }

    @Test
    void mergingKeepsTheFileNameOfTheFirstRequestThatHadOne() throws Exception {
        TransferQueue q = open();
        q.enqueue(new TransferRequest(key(1), "usb", Requests.uuidOf("usb"), Way.UPLOAD, Optional.empty(), 100, 1));
        q.enqueue(upload(1, "usb", 100, 1));
        assertThat(q.queued()).singleElement().extracting(i -> i.request().file()).isEqualTo(Optional.of(
                "dir/file1.bin"));
    }

    @Test
    void claimsByPriorityThenCostThenAge() throws Exception {
        TransferQueue q = open();
        q.enqueue(upload(1, "cloud", 200, 1));
        clock.advance(Duration.ofSeconds(1));
        q.enqueue(upload(2, "usb", 100, 1));
        clock.advance(Duration.ofSeconds(1));
        q.enqueue(upload(3, "cloud", 200, 0));
        clock.advance(Duration.ofSeconds(1));
        q.enqueue(upload(4, "usb", 100, 1));
        q.enqueue(upload(5, "cheap", 50, 2));

        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            order.add((int) claim(q).request().key().size().orElseThrow());
        }
        assertThat(order).containsExactly(3, 2, 4, 1, 5);
        assertThat(q.claim("w1", MANY)).isEmpty();
    }

    @Test
    void queuedListsItemsInClaimOrder() throws Exception {
        TransferQueue q = open();
        q.enqueue(upload(1, "cloud", 200, 1));
        q.enqueue(upload(2, "usb", 100, 1));
        q.enqueue(upload(3, "usb", 100, 0));
        assertThat(q.queued()).extracting(i -> i.request().key()).containsExactly(key(3), key(2), key(1));
    }

    @Test
    void respectsThePerRemoteLimitAcrossWorkers() throws Exception {
        TransferQueue q = open();
        q.enqueue(upload(1, "usb", 100, 0));
        q.enqueue(upload(2, "usb", 100, 0));
        q.enqueue(upload(3, "usb", 100, 0));
        q.enqueue(upload(4, "cloud", 200, 9));

        Claimed first = q.claim("w1", 2).orElseThrow();
        Claimed second = q.claim("w2", 2).orElseThrow();
        assertThat(List.of(first.request().remote(), second.request().remote())).containsOnly("usb");
        assertThat(q.claim("w3", 2)).get().extracting(c -> c.request().remote()).isEqualTo("cloud");
        assertThat(q.claim("w4", 2)).isEmpty();

        assertThat(q.done(first)).isTrue();
        assertThat(q.claim("w4", 2)).get().extracting(c -> c.request().key()).isEqualTo(key(3));
    }

    @Test
    void leavesOutTheRemotesTheCallerSkips() throws Exception {
        TransferQueue q = open();
        q.enqueue(upload(1, "usb", 100, 0));
        q.enqueue(upload(2, "cloud", 200, 0));
        assertThat(q.claim("w1", MANY, Set.of("usb"))).get().extracting(c -> c.request().remote())
                .isEqualTo("cloud");
        assertThat(q.claim("w1", MANY, Set.of("usb", "other"))).isEmpty();
        assertThat(q.claim("w1", MANY, Set.of())).get().extracting(c -> c.request().remote()).isEqualTo("usb");
    }

    @Test
    void claimMarksTheItemRunningUnderTheWorker() throws Exception {
        TransferQueue q = open();
        q.enqueue(upload(1, "usb", 100, 0));
        clock.advance(Duration.ofSeconds(5));
        Claimed c = q.claim("worker-7", 1).orElseThrow();

        assertThat(c.worker()).isEqualTo("worker-7");
        assertThat(c.attempts()).isZero();
        assertThat(c.request()).isEqualTo(upload(1, "usb", 100, 0));
        assertThat(q.queued()).isEmpty();
        assertThat(q.running()).singleElement().satisfies(item -> {
            assertThat(item.id()).isEqualTo(c.id());
            assertThat(item.worker()).contains("worker-7");
            assertThat(item.started()).contains(T0.plusSeconds(5));
        });
    }

    @Test
    void doneRemovesTheItem() throws Exception {
        TransferQueue q = open();
        q.enqueue(upload(1, "usb", 100, 0));
        Claimed c = claim(q);
        assertThat(q.done(c)).isTrue();
        assertThat(q.running()).isEmpty();
        assertThat(q.queued()).isEmpty();
        assertThat(q.done(c)).isFalse();
        assertThat(q.enqueue(upload(1, "usb", 100, 0))).as("a finished transfer can be asked for again").isTrue();
    }

    @Test
    void failedItemWaitsUntilItsNextTry() throws Exception {
        TransferQueue q = open();
        q.enqueue(upload(1, "usb", 100, 0));
        Optional<QueueItem> after = q.failed(claim(q), "connection refused");

        assertThat(after).get().satisfies(item -> {
            assertThat(item.state()).isEqualTo(State.QUEUED);
            assertThat(item.attempts()).isEqualTo(1);
            assertThat(item.nextTry()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
            assertThat(item.lastError()).contains("connection refused");
            assertThat(item.worker()).isEmpty();
        });
        assertThat(q.claim("w1", MANY)).isEmpty();
        clock.advance(Duration.ofSeconds(59));
        assertThat(q.claim("w1", MANY)).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(q.claim("w1", MANY)).get().extracting(Claimed::attempts).isEqualTo(1);
    }

    @Test
    void dueItemsGoBeforeWaitingOnesOfHigherPriority() throws Exception {
        TransferQueue q = open();
        q.enqueue(upload(1, "usb", 100, 0));
        q.failed(claim(q), "busy");
        q.enqueue(upload(2, "usb", 100, 5));
        assertThat(q.claim("w1", MANY)).get().extracting(c -> c.request().key()).isEqualTo(key(2));
    }

    @Test
    void backOffGrowsAndStopsAtTheCap() throws Exception {
        TransferQueue q = open(MANY);
        q.enqueue(upload(1, "usb", 100, 0));
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Instant failedAt = clock.instant();
            QueueItem item = q.failed(claim(q), "timeout").orElseThrow();
            delays.add(Duration.between(failedAt, item.nextTry()));
            clock.set(item.nextTry());
        }
        assertThat(delays).extracting(Duration::toMinutes).containsExactly(1L, 2L, 4L, 5L, 5L, 5L);
    }

    @Test
    void givesUpAfterMaxAttemptsUntilRetryFailed() throws Exception {
        TransferQueue q = open(3);
        q.enqueue(upload(1, "usb", 100, 1));
        for (int i = 1; i <= 3; i++) {
            QueueItem item = q.failed(claim(q), "disk full " + i).orElseThrow();
            assertThat(item.state()).isEqualTo(i < 3 ? State.QUEUED : State.FAILED);
            clock.set(item.nextTry());
        }
        clock.advance(Duration.ofDays(30));
        assertThat(q.claim("w1", MANY)).isEmpty();
        assertThat(q.enqueue(upload(1, "usb", 100, 1))).as("enqueued again by a scan").isFalse();
        assertThat(q.claim("w1", MANY)).isEmpty();
        assertThat(q.queued()).isEmpty();
        assertThat(q.failed()).singleElement().satisfies(item -> {
            assertThat(item.attempts()).isEqualTo(3);
            assertThat(item.lastError()).contains("disk full 3");
        });

        assertThat(q.retryFailed()).isEqualTo(1);
        assertThat(q.failed()).isEmpty();
        Claimed again = claim(q);
        assertThat(again.attempts()).isZero();
        assertThat(q.failed(again, "disk full 4")).get().extracting(QueueItem::state).isEqualTo(State.QUEUED);
    }

    @Test
    void aRequestSomeoneMakesNowRevivesAFailedItem() throws Exception {
        TransferQueue q = open(1);
        q.enqueue(upload(1, "usb", 100, 1));
        assertThat(q.failed(claim(q), "disk full").orElseThrow().state()).isEqualTo(State.FAILED);

        assertThat(q.enqueue(upload(1, "usb", 100, 0))).as("merged, not new").isFalse();
        assertThat(q.failed()).isEmpty();
        Claimed again = claim(q);
        assertThat(again.attempts()).isZero();
        assertThat(again.request().priority()).isZero();
    }

    @Test
    void ownersShareTheTableButClaimOnlyTheirOwn() throws Exception {
        try (TransferQueue daemon = open();
                TransferQueue command = TransferQueue.open(gitDir, clock, new QueuePolicy(RETRY, 3),
                        new SplittableRandom(1), TransferQueue.processOwner())) {
            daemon.enqueue(upload(1, "usb", 100, 1));
            command.enqueue(upload(1, "usb", 100, 0));
            assertThat(daemon.queued()).hasSize(2).extracting(QueueItem::owner)
                    .containsExactlyInAnyOrder(TransferQueue.ASSISTANT, TransferQueue.processOwner());
            Claimed mine = command.claim("c1", MANY).orElseThrow();
            assertThat(command.claim("c2", MANY)).isEmpty();
            assertThat(command.done(mine)).isTrue();
            command.enqueue(upload(2, "usb", 100, 0));
            assertThat(command.removeOwn()).isEqualTo(1);
            assertThat(command.removeDeadOwners()).as("this process is alive").isZero();
            assertThat(daemon.queued()).singleElement().extracting(QueueItem::owner).isEqualTo(TransferQueue.ASSISTANT);
        }
    }

    @Test
    void aSecondInstanceRequeuesTheItemsOfACrashedProcess() throws Exception {
        TransferQueue crashed = open();
        for (int n = 1; n <= 3; n++) {
            crashed.enqueue(upload(n, "usb", 100, 0));
        }
        Claimed lost = crashed.claim("dead-worker", MANY).orElseThrow();
        crashed.claim("dead-worker", MANY).orElseThrow();

        TransferQueue restarted = open();
        assertThat(restarted.running()).hasSize(2).allSatisfy(item -> {
            assertThat(item.state()).isEqualTo(State.RUNNING);
            assertThat(item.worker()).contains("dead-worker");
        });
        assertThat(restarted.requeueRunning()).isEqualTo(2);
        assertThat(restarted.running()).isEmpty();
        assertThat(restarted.queued()).hasSize(3).allSatisfy(item -> assertThat(item.attempts()).isZero());

        assertThat(crashed.failed(lost, "late report")).as("a lost claim changes nothing").isEmpty();
        assertThat(restarted.queued()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            restarted.done(restarted.claim("new-worker", MANY).orElseThrow());
        }
        assertThat(restarted.queued()).isEmpty();
    }

    @Test
    void doneOfALostClaimRemovesTheItemUnlessAnotherWorkerHoldsIt() throws Exception {
        TransferQueue q = open();
        q.enqueue(upload(1, "usb", 100, 0));
        q.enqueue(upload(2, "usb", 100, 1));
        Claimed first = q.claim("old", MANY).orElseThrow();
        Claimed second = q.claim("old", MANY).orElseThrow();
        q.requeueRunning();
        Claimed retaken = q.claim("new", MANY).orElseThrow();
        assertThat(retaken.id()).isEqualTo(first.id());

        assertThat(q.done(first)).as("held by another worker now").isFalse();
        assertThat(q.done(second)).as("queued again, content already moved").isTrue();
        assertThat(q.running()).singleElement().extracting(QueueItem::worker).isEqualTo(Optional.of("new"));
        assertThat(q.queued()).isEmpty();
    }

    @Test
    void survivesCloseAndReopen() throws Exception {
        TransferQueue q = TransferQueue.open(gitDir, clock, RETRY);
        q.enqueue(upload(1, "usb", 100, 3));
        q.enqueue(download(2, "cloud", 200, 1));
        q.failed(q.claim("w1", MANY).orElseThrow(), "unreachable");
        q.enqueue(upload(3, "usb", 100, 0));
        q.claim("w1", MANY).orElseThrow();
        List<QueueItem> queued = q.queued();
        List<QueueItem> running = q.running();
        q.close();

        TransferQueue reopened = open();
        assertThat(reopened.queued()).isEqualTo(queued).hasSize(2);
        assertThat(reopened.running()).isEqualTo(running).hasSize(1);
        assertThat(queued).filteredOn(i -> i.attempts() == 1).singleElement()
                .satisfies(i -> assertThat(i.lastError()).contains("unreachable"));
    }

    @Test
    void aClosedQueueRefusesWork() throws Exception {
        TransferQueue q = TransferQueue.open(gitDir, clock, RETRY);
        q.close();
        q.close();
        assertThatThrownBy(() -> q.enqueue(upload(1, "usb", 100, 0))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(q::queued).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rejectsBadArguments() throws Exception {
        TransferQueue q = open();
        assertThatThrownBy(() -> q.claim(" ", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> q.claim("w1", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> q.enqueue(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new QueuePolicy(RETRY, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requestsAreValidated() {
        Uuid uuid = Requests.uuidOf("usb");
        assertThatThrownBy(() -> new TransferRequest(key(1), "", uuid, Way.UPLOAD, Optional.empty(), 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TransferRequest(key(1), "a\nb", uuid, Way.UPLOAD, Optional.empty(), 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TransferRequest(key(1), "usb", uuid, Way.UPLOAD, Optional.of(""), 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TransferRequest(key(1), "usb", uuid, Way.UPLOAD, Optional.empty(), Double.NaN,
                0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TransferRequest(key(1), "usb", uuid, Way.UPLOAD, Optional.empty(), 1, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TransferRequest(key(1), "usb", null, Way.UPLOAD, Optional.empty(), 1, 0))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Claimed(0, upload(1, "usb", 1, 0), 0, "w"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Claimed(1, upload(1, "usb", 1, 0), 0, ""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
