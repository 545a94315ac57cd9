package io.annexsync.app.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.app.watch.ChangeBatcher.Batch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * That {@link ChangeBatcher#deadline()} is the first time {@link ChangeBatcher#take} gives a batch (or wants a look at
 * the open files), so that the daemon's commit timer never fires too early, too late or over and over.
 */
class ChangeBatcherDeadlineTest {
    /** An arbitrary nanoTime origin: only differences count. */
    private static final long T0 = 987_654_321_000L;

    private static long at(long millis) {
        return T0 + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static ChangeBatcher batcher(long quietMs, long maxDelayMs, int maxFiles) {
        return new ChangeBatcher(Duration.ofMillis(quietMs), Duration.ofMillis(maxDelayMs), maxFiles);
    }

    /** Takes at each of {@code millis}, checking that it is the deadline and that it gives no batch yet. */
    private static void lookAt(ChangeBatcher b, Set<String> open, long... millis) {
        for (long t : millis) {
            assertThat(b.deadline()).as("at %d ms", t).isEqualTo(OptionalLong.of(at(t)));
            assertThat(b.wantsLook(at(t))).as("at %d ms", t).isTrue();
            assertThat(b.take(at(t), open::contains)).as("at %d ms", t).isEmpty();
        }
    }

    @Test
    void deadlineIsTheFirstTimeTakeGivesABatch() {
        ChangeBatcher b = batcher(200, 2000, 5000);
        b.add(List.of("x"), at(0));
        assertThat(b.deadline()).isEqualTo(OptionalLong.of(at(200)));
        assertThat(b.take(at(200) - 1)).isEmpty();
        assertThat(b.take(at(200))).isPresent();
        assertThat(b.deadline()).isEmpty();
    }

    @Test
    void deadlineAgreesWithTakeOnSeededRandomChanges() {
        int batches = 0;
        int waits = 0;
        for (long seed = 0; seed < 50; seed++) {
            Random random = new Random(seed);
            ChangeBatcher b = batcher(200, 1000, 3);
            long now = at(0);
            for (int step = 0; step < 200; step++) {
                now += TimeUnit.MILLISECONDS.toNanos(random.nextInt(120));
                if (random.nextBoolean()) {
                    int count = 1 + random.nextInt(3);
                    List<String> paths = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        paths.add(String.valueOf((char) ('a' + random.nextInt(8))));
                    }
                    b.add(paths, now);
                }
                OptionalLong deadline = b.deadline();
                if (deadline.isEmpty()) {
                    assertThat(b.take(now)).isEmpty();
                    continue;
                }
                long due = deadline.getAsLong();
                if (due - now > 0 && random.nextInt(4) == 0) {
                    assertThat(b.take(due - 1)).as("seed %d step %d", seed, step).isEmpty();
                    now = due;
                }
                boolean taken = b.take(now).isPresent();
                assertThat(taken).as("seed %d step %d", seed, step).isEqualTo(due - now <= 0);
                batches += taken ? 1 : 0;
                waits += taken ? 0 : 1;
            }
        }
        assertThat(batches).isGreaterThan(500);
        assertThat(waits).isGreaterThan(500);
    }

    @Test
    void withEarlySettlingAFullBatchIsDueWhenAnyMaxFilesPathsSettled() {
        ChangeBatcher b = new ChangeBatcher(Duration.ofMillis(200), Duration.ofMillis(20), Duration.ofSeconds(2), 3);
        Set<String> open = Set.of("a", "b");
        // the daemon's timer looks at each file once it is 20 ms old: a and b are still open, c and d were closed
        b.add(List.of("a"), at(0));
        b.add(List.of("b"), at(10));
        lookAt(b, open, 20, 30);
        b.add(List.of("c"), at(100));
        b.add(List.of("d"), at(110));
        lookAt(b, open, 120, 130);

        // a settles at 200 ms: with c and d that makes a full batch, while b settles only at 210 ms
        assertThat(b.take(at(199), open::contains)).isEmpty();
        assertThat(b.deadline()).as("when a, c and d have settled").isEqualTo(OptionalLong.of(at(200)));
        assertThat(b.take(at(200), open::contains)).contains(new Batch(List.of("a", "c", "d"), true));
    }

    @Test
    void withEarlySettlingTheDaemonsTimerNeverFiresEarlyNorSpinsNorLosesAPath() {
        int batches = 0;
        int looks = 0;
        for (long seed = 0; seed < 50; seed++) {
            Random random = new Random(seed);
            ChangeBatcher b = new ChangeBatcher(Duration.ofMillis(200), Duration.ofMillis(20), Duration.ofSeconds(1),
                    3);
            Set<String> open = new HashSet<>();
            long now = at(0);
            for (int step = 0; step < 300; step++) {
                now += TimeUnit.MILLISECONDS.toNanos(random.nextInt(60));
                if (random.nextInt(3) == 0) {
                    String path = String.valueOf((char) ('a' + random.nextInt(8)));
                    b.add(List.of(path), now);
                    if (random.nextBoolean()) {
                        open.add(path); // its writer still has it open
                    } else {
                        open.remove(path);
                    }
                }
                OptionalLong deadline = b.deadline();
                boolean exact = deadline.isPresent() && deadline.getAsLong() - now > 0 && random.nextInt(3) == 0;
                now = exact ? deadline.getAsLong() : now;
                if (deadline.isEmpty() || deadline.getAsLong() - now > 0) {
                    assertThat(b.wantsLook(now)).as("seed %d step %d", seed, step).isFalse();
                    assertThat(b.take(now, open::contains)).as("seed %d step %d", seed, step).isEmpty();
                    continue;
                }
                // what the daemon's commit timer does: look only when that can help, take a batch, schedule again
                boolean look = b.wantsLook(now);
                Predicate<String> writing = look ? open::contains : path -> true;
                boolean taken = b.take(now, writing).isPresent();
                OptionalLong next = b.deadline();
                assertThat(taken || next.isEmpty() || next.getAsLong() - now > 0).as("spins: seed %d step %d", seed,
                        step).isTrue();
                assertThat(taken || look || !exact).as("woke for nothing: seed %d step %d", seed, step).isTrue();
                batches += taken ? 1 : 0;
                looks += look ? 1 : 0;
            }
            now += TimeUnit.SECONDS.toNanos(10);
            while (b.take(now, open::contains).isPresent()) {
                batches++;
            }
            assertThat(b.pendingCount()).as("seed %d", seed).isZero();
        }
        assertThat(batches).isGreaterThan(500);
        assertThat(looks).isGreaterThan(500);
    }
}
