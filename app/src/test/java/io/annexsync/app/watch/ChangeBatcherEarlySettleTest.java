package io.annexsync.app.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A file its writer has closed settles after the closed quiet; one still open waits the whole quiet time. */
class ChangeBatcherEarlySettleTest {
    private static final long MS = 1_000_000;
    private final ChangeBatcher batcher = new ChangeBatcher(Duration.ofMillis(200), Duration.ofMillis(20),
            Duration.ofSeconds(2), 5000);

    @Test
    void aClosedFileIsCommittedAfterTheClosedQuiet() {
        batcher.add(List.of("notes.txt"), 0);
        assertThat(batcher.deadline()).hasValue(20 * MS);
        assertThat(batcher.wantsLook(19 * MS)).isFalse();
        assertThat(batcher.take(19 * MS, p -> false)).isEmpty();
        assertThat(batcher.wantsLook(20 * MS)).isTrue();
        assertThat(batcher.take(20 * MS, p -> false)).hasValueSatisfying(b -> assertThat(b.paths())
                .containsExactly("notes.txt"));
        assertThat(batcher.pendingCount()).isZero();
    }

    @Test
    void aFileStillOpenWaitsTheWholeQuietAndIsLookedAtOnlyOnce() {
        batcher.add(List.of("download.iso"), 0);
        assertThat(batcher.take(20 * MS, Set.of("download.iso")::contains)).isEmpty();
        assertThat(batcher.wantsLook(50 * MS)).as("looked at once per change").isFalse();
        assertThat(batcher.deadline()).hasValue(200 * MS);
        assertThat(batcher.take(199 * MS, p -> false)).isEmpty();
        assertThat(batcher.take(200 * MS, p -> true)).hasValueSatisfying(b -> assertThat(b.paths())
                .containsExactly("download.iso"));
    }

    @Test
    void aBurstWithAFileStillOpenIsCommittedTogetherOnceThatFileSettled() {
        batcher.add(List.of("open.log"), 0);
        batcher.add(List.of("closed.txt"), 5 * MS);
        assertThat(batcher.take(25 * MS, Set.of("open.log")::contains)).isEmpty();
        assertThat(batcher.deadline()).hasValue(200 * MS);
        assertThat(batcher.take(200 * MS, p -> true)).hasValueSatisfying(b -> assertThat(b.paths())
                .containsExactly("closed.txt", "open.log"));
    }

    @Test
    void aNewChangeIsLookedAtAgain() {
        batcher.add(List.of("f"), 0);
        assertThat(batcher.take(20 * MS, p -> true)).isEmpty();
        batcher.add(List.of("f"), 100 * MS);
        assertThat(batcher.deadline()).hasValue(120 * MS);
        assertThat(batcher.take(120 * MS, p -> false)).hasValueSatisfying(b -> assertThat(b.paths())
                .containsExactly("f"));
    }

    @Test
    void whenNobodyCanTellOnlyTheQuietTimeSettles() {
        batcher.add(List.of("f"), 0);
        assertThat(batcher.take(20 * MS)).isEmpty();
        assertThat(batcher.take(200 * MS)).isPresent();
    }

    @Test
    void aTimerThatFiresLateNeitherLoopsNorLosesThePath() {
        batcher.add(List.of("old"), 0);
        batcher.add(List.of("young"), 150 * MS);
        assertThat(batcher.take(300 * MS, p -> false)).hasValueSatisfying(b -> assertThat(b.paths())
                .containsExactly("old", "young"));
        batcher.add(List.of("a"), 1000 * MS);
        assertThat(batcher.take(1500 * MS, p -> true)).hasValueSatisfying(b -> assertThat(b.paths())
                .containsExactly("a"));
        assertThat(batcher.deadline()).isEmpty();
    }
}
