package io.annexsync.app.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexsync.app.watch.ChangeBatcher.Batch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When {@link ChangeBatcher} makes a batch of settled paths, with times chosen by the test. */
class ChangeBatcherTest {
    /** An arbitrary nanoTime origin: only differences count. */
    private static final long T0 = 987_654_321_000L;

    private static long at(long millis) {
        return T0 + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static ChangeBatcher batcher(long quietMs, long maxDelayMs, int maxFiles) {
        return new ChangeBatcher(Duration.ofMillis(quietMs), Duration.ofMillis(maxDelayMs), maxFiles);
    }

    @Test
    void nothingIsDueBeforeThePathWasQuietLongEnough() {
        ChangeBatcher b = batcher(200, 2000, 5000);
        assertThat(b.take(at(0))).isEmpty();
        assertThat(b.deadline()).isEmpty();

        b.add(List.of("x"), at(0));
        assertThat(b.take(at(149))).isEmpty();
        b.add(List.of("x"), at(150)); // a new change counts from now on
        assertThat(b.take(at(200))).isEmpty();
        assertThat(b.take(at(349))).isEmpty();
        assertThat(b.pendingCount()).isEqualTo(1);

        assertThat(b.take(at(350))).contains(new Batch(List.of("x"), false));
        assertThat(b.pendingCount()).isZero();
        assertThat(b.take(at(10_000))).isEmpty();
    }

    @Test
    void aBurstOfChangesBecomesOneSortedBatch() {
        ChangeBatcher b = batcher(200, 2000, 5000);
        List<String> paths = new ArrayList<>();
        for (int i = 99; i >= 0; i--) {
            String path = "dir/f" + String.format("%03d", i);
            paths.add(path);
            b.add(List.of(path), at(99 - i));
            assertThat(b.take(at(99 - i))).isEmpty();
        }
        assertThat(b.take(at(298))).isEmpty();

        Batch batch = b.take(at(299)).orElseThrow();
        assertThat(batch.paths()).isSorted().containsExactlyInAnyOrderElementsOf(paths);
        assertThat(batch.more()).isFalse();
    }

    @Test
    void aPathThatKeepsChangingDoesNotHoldBackOthers() {
        // the worked example of the class javadoc
        ChangeBatcher b = batcher(200, 2000, 5000);
        Map<Long, Batch> batches = new TreeMap<>();
        b.add(List.of("a"), at(0));
        for (long t = 0; t <= 5000; t += 50) {
            b.add(List.of("b"), at(t));
            long now = t;
            b.take(at(t)).ifPresent(batch -> batches.put(now, batch));
        }
        assertThat(batches).containsExactly(Map.entry(2000L, new Batch(List.of("a"), true)));

        assertThat(b.take(at(5199))).isEmpty();
        assertThat(b.take(at(5200))).contains(new Batch(List.of("b"), false));
    }

    @Test
    void maxDelayForcesABatchOfTheSettledPathsUnderContinuousChange() {
        ChangeBatcher b = batcher(200, 1000, 5000);
        Optional<Batch> first = Optional.empty();
        long t = 0;
        for (int i = 0; first.isEmpty() && i < 100; i++, t += 100) {
            b.add(List.of("p" + i), at(t));
            first = b.take(at(t));
        }
        assertThat(t - 100).as("time of the first batch").isEqualTo(1000);
        assertThat(first.orElseThrow().paths()).containsExactly("p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8");
        assertThat(first.orElseThrow().more()).isTrue();
        assertThat(b.pendingCount()).isEqualTo(2); // p9 and p10 had not settled
    }

    @Test
    void maxFilesCapsABatchAndTheRestFollows() {
        ChangeBatcher b = batcher(200, 2000, 3);
        b.add(List.of("e", "d", "c", "b", "a"), at(0));

        // the oldest changes first: all changed at once, so in the order they were added
        assertThat(b.take(at(200))).contains(new Batch(List.of("c", "d", "e"), true));
        assertThat(b.take(at(200))).contains(new Batch(List.of("a", "b"), false));
        assertThat(b.take(at(200))).isEmpty();
    }

    @Test
    void aFullBatchOfSettledPathsIsDueWithoutWaitingForTheOthers() {
        ChangeBatcher b = batcher(200, 2000, 3);
        b.add(List.of("a", "b", "c"), at(0));
        b.add(List.of("d"), at(100));
        b.add(List.of("e"), at(150));

        assertThat(b.take(at(199))).isEmpty();
        assertThat(b.take(at(200))).contains(new Batch(List.of("a", "b", "c"), true));
        assertThat(b.take(at(349))).isEmpty(); // d is settled, e is not, and they are fewer than maxFiles
        assertThat(b.take(at(350))).contains(new Batch(List.of("d", "e"), false));
    }

    @Test
    void maxFilesCountsOnlySettledPaths() {
        ChangeBatcher b = batcher(200, 2000, 4);
        b.add(List.of("a", "b", "c"), at(0));
        b.add(List.of("d"), at(100));

        assertThat(b.take(at(299))).isEmpty(); // four pending, but only three settled
        assertThat(b.take(at(300))).contains(new Batch(List.of("a", "b", "c", "d"), false));
    }

    @Test
    void anEarlierTimeThanOneSeenCountsAsTheLatest() {
        ChangeBatcher b = batcher(200, 2000, 5000);
        assertThat(b.take(at(10_000))).isEmpty();
        b.add(List.of("x"), at(0)); // earlier than 10 s: counts as changed at 10 s

        assertThat(b.deadline()).isEqualTo(OptionalLong.of(at(10_200)));
        assertThat(b.take(at(10_199))).isEmpty();
        assertThat(b.take(at(5_000))).isEmpty();
        assertThat(b.take(at(10_200))).contains(new Batch(List.of("x"), false));
    }

    @Test
    void timesThatWrapAroundLikeNanoTimeStillWork() {
        ChangeBatcher b = batcher(200, 2000, 5000);
        long start = Long.MAX_VALUE - TimeUnit.MILLISECONDS.toNanos(100);
        b.add(List.of("x"), start);

        assertThat(b.take(start + TimeUnit.MILLISECONDS.toNanos(199))).isEmpty();
        long settled = start + TimeUnit.MILLISECONDS.toNanos(200); // wraps to a negative value
        assertThat(settled).isNegative();
        assertThat(b.deadline()).isEqualTo(OptionalLong.of(settled));
        assertThat(b.take(settled)).contains(new Batch(List.of("x"), false));
    }

    @Test
    void refusesBadSettings() {
        Duration second = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new ChangeBatcher(Duration.ofMillis(-1), second, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quiet");
        assertThatThrownBy(() -> new ChangeBatcher(second, Duration.ofMillis(999), 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDelay");
        assertThatThrownBy(() -> new ChangeBatcher(second, second, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFiles");
        assertThatThrownBy(() -> new ChangeBatcher(second, Duration.ofMillis(1001), second, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("closedQuiet");
        assertThatThrownBy(() -> new ChangeBatcher(second, Duration.ofMillis(-1), second, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("closedQuiet");
        assertThatThrownBy(() -> new ChangeBatcher(null, second, 10)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ChangeBatcher(second, null, 10)).isInstanceOf(NullPointerException.class);

        ChangeBatcher zero = new ChangeBatcher(Duration.ZERO, Duration.ZERO, 1);
        zero.add(List.of("x"), at(0));
        assertThat(zero.take(at(0))).contains(new Batch(List.of("x"), false));
    }
}
