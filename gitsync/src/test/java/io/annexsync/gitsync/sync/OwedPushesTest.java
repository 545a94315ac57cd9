package io.annexsync.gitsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwedPushesTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");
    private static final RetryPolicy POLICY = new RetryPolicy(Duration.ofMinutes(1), 2, Duration.ofMinutes(30), 0);

    @TempDir
    Path gitDir;

    private final TestClock clock = new TestClock(T0);

    @Test
    void countsFailuresInARowAndBacksOffPerPolicy() throws RepoException {
        try (OwedPushes owed = OwedPushes.open(gitDir, clock, POLICY)) {
            owed.recordFailure("usb", "no such folder");
            clock.advance(Duration.ofMinutes(1));
            OwedPush second = owed.recordFailure("usb", "still no such folder");

            assertThat(second).isEqualTo(new OwedPush("usb", "still no such folder", 2, T0,
                    T0.plus(Duration.ofMinutes(1)).plus(Duration.ofMinutes(2))));
            assertThat(owed.all()).containsExactly(second);
        }
    }

    @Test
    void jitteredNextTryStaysWithinThePolicysSpread() throws RepoException {
        try (OwedPushes owed = OwedPushes.open(gitDir, clock, RetryPolicy.DEFAULT, new SplittableRandom(3))) {
            OwedPush first = owed.recordFailure("usb", "gone");
            assertThat(first.nextTry()).isBetween(T0.plusSeconds(54), T0.plusSeconds(66));
        }
    }

    @Test
    void dueFollowsTheClock() throws RepoException {
        try (OwedPushes owed = OwedPushes.open(gitDir, clock, POLICY)) {
            owed.recordFailure("usb", "gone");
            clock.advance(Duration.ofSeconds(30));
            owed.recordFailure("nas", "timed out");
            assertThat(owed.due()).isEmpty();

            clock.advance(Duration.ofSeconds(30));
            assertThat(owed.due()).extracting(OwedPush::remote).containsExactly("usb");

            clock.advance(Duration.ofSeconds(30));
            assertThat(owed.due()).extracting(OwedPush::remote).containsExactly("nas", "usb");
            assertThat(owed.all()).extracting(OwedPush::remote).containsExactly("nas", "usb");
        }
    }

    @Test
    void clearForgetsOneRemoteAndStartsItsCountAgain() throws RepoException {
        try (OwedPushes owed = OwedPushes.open(gitDir, clock, POLICY)) {
            owed.recordFailure("usb", "gone");
            owed.recordFailure("usb", "gone");
            owed.recordFailure("nas", "timed out");
            owed.clear("usb");
            owed.clear("never-owed");

            assertThat(owed.all()).extracting(OwedPush::remote).containsExactly("nas");
            assertThat(owed.recordFailure("usb", "gone again").attempts()).isEqualTo(1);
        }
    }

    @Test
    void survivesCloseAndReopen() throws RepoException {
        OwedPush recorded;
        try (OwedPushes owed = OwedPushes.open(gitDir, clock, POLICY)) {
            recorded = owed.recordFailure("usb", "gone");
        }
        try (OwedPushes owed = OwedPushes.open(gitDir, clock, POLICY)) {
            assertThat(owed.all()).containsExactly(recorded);
        }
        assertThat(gitDir.resolve("annex-sync/state.db")).exists();
    }

    @Test
    void twoInstancesOnOneDatabaseNeitherLoseUpdatesNorGetBusy() throws Exception {
        int perInstance = 100;
        try (OwedPushes a = OwedPushes.open(gitDir, clock, POLICY);
                OwedPushes b = OwedPushes.open(gitDir, clock, POLICY);
                ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<Void>> running = new ArrayList<>();
            for (OwedPushes owed : List.of(a, b)) {
                running.add(pool.submit(failRepeatedly(owed, perInstance)));
            }
            for (Future<Void> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertThat(a.all()).singleElement().extracting(OwedPush::attempts).isEqualTo(2 * perInstance);
        }
    }

    private static Callable<Void> failRepeatedly(OwedPushes owed, int times) {
        return () -> {
            for (int i = 0; i < times; i++) {
                owed.recordFailure("usb", "gone " + i);
                owed.all();
            }
            return null;
        };
    }
}
